/**
 * A task completion that is not allowed is refused synchronously by the Update's validator,
 * with a reason and a code, and leaves the case exactly as it was: same state, not one more
 * event in its history. Retrying a request with the same id returns the first result.
 */
import { actAs } from '../helpers/env.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestRejectedError, type AftercareClient, type TaskCompletion } from '../../client/index.js';
import { openTaskOf, settledHistoryLength } from '../helpers/cases.js';
import { actors, devServerWorker, testDatabase, uniqueName, type TestDatabase } from '../helpers/env.js';

// On the dev server, not the time-skipping one: the real server runs Update validators in a
// speculative workflow task and writes nothing for a rejection, which is what we assert; the
// Java test server writes a workflow task (3 events) for each.
let db: TestDatabase;
let dev: Awaited<ReturnType<typeof devServerWorker>>;
let client: AftercareClient;
let running: Promise<void>;

beforeAll(async () => {
  db = await testDatabase();
  dev = await devServerWorker(db.pool);
  client = dev.client;
  running = dev.worker.run();
});

afterAll(async () => {
  dev?.worker.shutdown();
  await running;
  await dev?.close();
  await db?.close();
});

const customer = { id: 'C-1', name: 'Zhou Min' };

const historyLength = (caseId: string) => settledHistoryLength(client.temporal, caseId);

/** Attempts `completion` and checks it is refused with `code`, changing nothing. */
async function expectRefused(caseId: string, taskId: string, completion: TaskCompletion, code: string, message: RegExp): Promise<void> {
  const state = await client.getCase(caseId);
  const events = await historyLength(caseId);
  const error = await client.completeTask(caseId, taskId, completion).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RequestRejectedError);
  expect(error).toMatchObject({ caseId, code });
  expect((error as RequestRejectedError).reason).toMatch(message);
  expect(await client.getCase(caseId)).toEqual(state);
  expect(await historyLength(caseId)).toBe(events);
}

describe('refused task completions', () => {
  let caseId: string;

  beforeAll(async () => {
    caseId = uniqueName('R');
    await client.openCase('every-step', { customer, amount: 10 }, { caseId, owner: actors.agent.id });
    await openTaskOf(client, caseId, 'review');
  });
  afterAll(async () => {
    await client.cancelCase(caseId, 'test over', actors.supervisor).catch(() => undefined);
  });

  it('refuses a task the case does not have, naming the open ones', async () => {
    await expectRefused(caseId, 'reveiw#1', { outcome: 'approve', actor: actors.agent }, 'TASK_UNKNOWN', /has no task `reveiw#1`; open tasks: `review#1`/);
  });

  it('refuses an actor whose role may not act on the task', async () => {
    await expectRefused(caseId, 'review#1', { outcome: 'approve', actor: actors.manager }, 'ROLE_NOT_ALLOWED', /task `review#1` is for role `agent`; wang\.fang acts as `manager`, which may not act on it/);
  });

  it('refuses a role the process does not know (one the person holds elsewhere)', async () => {
    await expectRefused(caseId, 'review#1', { outcome: 'approve', actor: actAs('x', 'technician') }, 'ROLE_UNKNOWN', /`technician` is not a role of process `every-step`/);
  });

  it('refuses a person other than the assignee', async () => {
    await expectRefused(caseId, 'review#1', { outcome: 'approve', actor: actors.otherAgent }, 'NOT_ASSIGNEE', /assigned to li\.na/);
  });

  it('refuses an outcome the task does not offer, listing those it does', async () => {
    await expectRefused(caseId, 'review', { outcome: 'maybe', actor: actors.agent }, 'OUTCOME_NOT_OFFERED', /does not offer outcome `maybe`; choose one of `approve`, `reject`, `ask-manager`/);
  });

  it('refuses form data that fails the task’s form', async () => {
    await expectRefused(caseId, 'review', { outcome: 'approve', data: { note: '' }, actor: actors.agent }, 'FORM_INVALID', /`note` must not be empty/);
  });

  it('refuses form fields the form does not declare, and form data too large to carry', async () => {
    await expectRefused(caseId, 'review', { outcome: 'approve', data: { note: 'ok', discount: 500 }, actor: actors.agent }, 'FORM_INVALID', /the form of task `review#1` has no field `discount`; its fields are `note`/);
    await expectRefused(caseId, 'review', { outcome: 'approve', data: { note: 'x'.repeat(40_000) }, actor: actors.agent }, 'FORM_TOO_LARGE', /the form data of task `review#1` is 40,011 bytes as JSON; at most 32,768 are accepted/);
  });

  it('refuses a request without an actor', async () => {
    await expectRefused(caseId, 'review', { outcome: 'approve', actor: undefined as never }, 'ACTOR_UNVERIFIED', /carries no signed actor assertion/);
  });

  it('lets a supervisor complete it for the assignee, then refuses a second completion', async () => {
    const done = await client.completeTask(caseId, 'review', { outcome: 'reject', data: { note: 'duplicate request' }, actor: actors.supervisor, requestId: 'req-1' });
    expect(done).toMatchObject({ taskId: 'review#1', outcome: 'reject', completedBy: 'chen.jie' });
    await expect(client.result(caseId)).resolves.toMatchObject({ outcome: 'rejected' });
  });

  it('refuses any completion once the case is closed', async () => {
    await expectRefused(caseId, 'review#1', { outcome: 'approve', actor: actors.agent }, 'CASE_CLOSED', /is closed/);
  });
});

describe('idempotent requests', () => {
  it('returns the first result for a retried request id and completes the task once', async () => {
    const caseId = uniqueName('I');
    await client.openCase('every-step', { customer, amount: 10 }, { caseId });
    await openTaskOf(client, caseId, 'review');
    const first = await client.completeTask(caseId, 'review', { outcome: 'ask-manager', actor: actors.agent, requestId: 'complete-review-1' });
    await openTaskOf(client, caseId, 'manager-review');
    const events = await historyLength(caseId);
    const again = await client.completeTask(caseId, 'review', { outcome: 'ask-manager', actor: actors.agent, requestId: 'complete-review-1' });
    expect(again).toEqual(first);
    expect(await historyLength(caseId)).toBe(events);
    const view = await client.getCase(caseId);
    expect(view.timeline.filter((e) => e.type === 'task-completed')).toHaveLength(1);

    // The same completion under a new request id is a second attempt, and is refused.
    await expectRefused(caseId, 'review#1', { outcome: 'ask-manager', actor: actors.agent }, 'TASK_ALREADY_COMPLETED', /already completed by li\.na .* with outcome `ask-manager`/);
    await client.cancelCase(caseId, 'test over', actors.supervisor);
  });

  it('refuses a request id used again for a different request, changing nothing', async () => {
    const caseId = uniqueName('R');
    await client.openCase('every-step', { customer, amount: 10 }, { caseId });
    await openTaskOf(client, caseId, 'review');
    await client.claimTask(caseId, 'review', actors.agent, 'req-42');
    const events = await historyLength(caseId);
    // The same id, now for a completion: a caller's bug (or a replayed id), not a retry.
    await expect(client.completeTask(caseId, 'review', { outcome: 'approve', actor: actors.agent, requestId: 'req-42' })).rejects.toMatchObject({
      name: 'RequestRejectedError',
      code: 'REQUEST_ID_REUSED',
      message: expect.stringMatching(/request id `req-42` was already used for a different request on case .*; a request id names one request: use a new one for a new request/),
    });
    expect(await historyLength(caseId)).toBe(events);
    expect((await client.getCase(caseId)).tasks['review#1']?.status).toBe('open');
    // The claim itself, retried with its id, is answered with its first result.
    expect(await client.claimTask(caseId, 'review', actors.agent, 'req-42')).toEqual({ caseId, taskId: 'review#1', assignee: actors.agent.id });
    await client.cancelCase(caseId, 'test over', actors.supervisor);
  });

  it('opens a case once for one case id, and refuses the id for other input', async () => {
    const caseId = uniqueName('O');
    const first = await client.openCase('every-step', { customer, amount: 10 }, { caseId });
    const second = await client.openCase('every-step', { customer, amount: 10 }, { caseId });
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ caseId, created: false, runId: first.runId, version: 1, definitionHash: first.definitionHash });
    await expect(client.openCase('every-step', { customer, amount: 11 }, { caseId })).rejects.toMatchObject({ name: 'CaseConflictError', message: expect.stringMatching(/different input/) });
    await expect(client.openCase('child-process', { amount: 1 }, { caseId })).rejects.toMatchObject({ name: 'CaseConflictError', message: expect.stringMatching(/already used by a every-step case/) });
    await client.cancelCase(caseId, 'test over', actors.supervisor);
  });

  it('refuses invalid input synchronously and opens nothing', async () => {
    const caseId = uniqueName('V');
    await expect(client.openCase('every-step', { customer: { id: 'C-1' }, amount: 'lots' }, { caseId })).rejects.toMatchObject({
      name: 'CaseInputInvalidError',
      issues: [
        { path: '/customer', message: '`customer`: `name` is required' },
        { path: '/amount', message: '`amount` must be a number, not text' },
      ],
    });
    await expect(client.openCase('every-step', { customer, amount: 1 }, { caseId, parameters: { coolingOf: '2 days' } })).rejects.toMatchObject({
      issues: [{ path: '/coolingOf', message: 'the process has no parameter `coolingOf`; did you mean `coolingOff`?' }],
    });
    await expect(client.getCase(caseId)).rejects.toMatchObject({ name: 'CaseNotFoundError' });
  });

  it('refuses input too large to carry before it reaches Temporal, saying how large it is', async () => {
    const caseId = uniqueName('V');
    await expect(client.openCase('every-step', { customer: { ...customer, name: 'x'.repeat(1_000_000) }, amount: 1 }, { caseId })).rejects.toMatchObject({
      name: 'CaseInputInvalidError',
      issues: [{ path: '', message: 'the case input is 1,000,046 bytes as JSON; at most 65,536 are accepted (keep documents and photos in your own store and pass their links)' }],
    });
    await expect(client.openCase('every-step', { customer: { ...customer, name: 'x'.repeat(20_000) }, amount: 1 }, { caseId })).rejects.toMatchObject({
      issues: [{ path: '/customer/name', message: 'the text at `/customer/name` is 20,000 characters long; at most 16,384 are accepted' }],
    });
    await expect(client.getCase(caseId)).rejects.toMatchObject({ name: 'CaseNotFoundError' });
  });
});
