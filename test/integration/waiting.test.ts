/**
 * Services that do not poll: `openCase` waits (Update-with-Start) until the case reaches its
 * first person's task, `completeTask` answers with the tasks open after it, and `waitFor`
 * waits until a given task is open — on the dev server, with the real activities.
 */
import { temporal } from '@temporalio/proto';
import { describe, expect, inject, it } from 'vitest';
import { CaseWaitError, RequestRejectedError, type CaseTask } from '../../client/index.js';
import { settledHistoryLength } from '../helpers/cases.js';
import { runAftercare } from '../helpers/cli.js';
import { actors, uniqueName } from '../helpers/env.js';
import { devServerSuite } from '../helpers/suites.js';

const suite = devServerSuite();

const returnInput = {
  customer: { id: 'M-70031', name: 'Huang Jing', phone: '135-0101-7788' },
  order: { id: 'SO-2026-11-0467', amount: 2899, paymentMethod: 'alipay' },
  product: { model: 'WM-80', serial: 'WM80-2026-220319' },
  reason: 'Does not fit the bathroom niche',
};

const idsOf = (tasks: { id: string }[]) => tasks.map((t) => t.id);

describe('openCase with waitFor', () => {
  it('returns once the case reached its first task, with that task open', async () => {
    const caseId = uniqueName('RT');
    const opened = await suite.client.openCase('return', returnInput, { caseId, owner: 'li.na', waitFor: 'task' });
    expect(opened.created).toBe(true);
    expect(opened.runId).not.toBe('');
    expect(opened.progress).toMatchObject({ caseId, status: 'open', currentSteps: ['eligibility'], settled: true, reached: true });
    expect(idsOf(opened.progress?.openTasks ?? [])).toEqual(['eligibility#1']);
    expect(opened.progress?.openTasks[0]).toMatchObject({ stepId: 'eligibility', role: 'agent', outcomes: ['eligible', 'not-eligible'], status: 'open' });
    // What the case says itself, asked separately.
    const view = await suite.client.getCase(caseId);
    expect(Object.values(view.tasks).filter((t) => t.status === 'open').map((t) => t.id)).toEqual(['eligibility#1']);
    // The snippet the README had: completing right after opening now works.
    const completed = await suite.client.completeTask(caseId, 'eligibility', { outcome: 'eligible', actor: actors.agent });
    expect(completed.taskId).toBe('eligibility#1');
  });

  it('waits for a named step and, opened again with the same id and input, returns the existing case having waited too', async () => {
    const caseId = uniqueName('RT');
    const first = await suite.client.openCase('return', returnInput, { caseId, waitFor: { task: 'eligibility' } });
    expect(first.created).toBe(true);
    expect(idsOf(first.progress?.openTasks ?? [])).toEqual(['eligibility#1']);
    const again = await suite.client.openCase('return', returnInput, { caseId, waitFor: { task: 'eligibility' } });
    expect(again).toMatchObject({ caseId, created: false, runId: first.runId, version: first.version, definitionHash: first.definitionHash });
    expect(idsOf(again.progress?.openTasks ?? [])).toEqual(['eligibility#1']);
  });

  it('refuses to wait for a step that opens no task, before opening anything', async () => {
    const caseId = uniqueName('RT');
    const refused = await suite.client.openCase('return', returnInput, { caseId, waitFor: { task: 'approved' } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RequestRejectedError);
    expect((refused as RequestRejectedError).code).toBe('STEP_OPENS_NO_TASK');
    expect((refused as RequestRejectedError).reason).toBe(
      `step \`approved\` of process \`return\` opens no task, so case ${caseId} cannot wait for its task; the steps with tasks are \`eligibility\`, \`manager-approval\`, \`sign-for-parcel\`, \`inspect\`, \`negotiate\`, \`finance-refund\`, \`refund\``,
    );
    await expect(suite.client.getCase(caseId)).rejects.toThrow(`there is no case ${caseId}`);
  });
});

describe('completeTask', () => {
  it('returns the tasks open after it, and the outcome once the case closed', async () => {
    const caseId = uniqueName('RT');
    await suite.client.openCase('return', returnInput, { caseId, waitFor: 'task' });
    const eligible = await suite.client.completeTask(caseId, 'eligibility', { outcome: 'eligible', actor: actors.agent });
    expect(eligible).toMatchObject({ taskId: 'eligibility#1', outcome: 'eligible', completedBy: actors.agent.id });
    expect(eligible.progress).toMatchObject({ status: 'open', currentSteps: ['manager-approval'], settled: true, reached: true });
    expect(idsOf(eligible.progress?.openTasks ?? [])).toEqual(['manager-approval#1']);
    // Rejected: two actions (the decision recorded, the case record closed), then the end.
    const rejected = await suite.client.completeTask(caseId, 'manager-approval', { outcome: 'rejected', actor: actors.manager });
    expect(rejected.progress).toMatchObject({ status: 'closed', outcome: 'rejected', openTasks: [], currentSteps: [], settled: true });
    expect((await suite.client.result(caseId)).outcome).toBe('rejected');
  });

  it('with waitFor: false answers at once, without progress', async () => {
    const caseId = uniqueName('RT');
    await suite.client.openCase('return', returnInput, { caseId, waitFor: 'task' });
    const completed = await suite.client.completeTask(caseId, 'eligibility', { outcome: 'eligible', actor: actors.agent, waitFor: false });
    expect(completed.taskId).toBe('eligibility#1');
    expect(completed.progress).toBeUndefined();
    expect((await suite.client.waitForTask(caseId, 'manager-approval')).id).toBe('manager-approval#1');
  });

  it('the same request id again returns the first result and the tasks open now', async () => {
    const caseId = uniqueName('RT');
    await suite.client.openCase('return', returnInput, { caseId, waitFor: 'task' });
    const request = { outcome: 'eligible', actor: actors.agent, requestId: 'req-7' };
    const first = await suite.client.completeTask(caseId, 'eligibility', request);
    const second = await suite.client.completeTask(caseId, 'eligibility', request);
    expect(second.completedAt).toBe(first.completedAt);
    expect(idsOf(second.progress?.openTasks ?? [])).toEqual(['manager-approval#1']);
  });
});

describe('waitFor', () => {
  it('times out with where the case is, and the wait changes nothing in the case', async () => {
    const caseId = uniqueName('RT');
    await suite.client.openCase('return', returnInput, { caseId, waitFor: 'task' });
    const before = await suite.client.getCase(caseId);
    const error = await suite.client.waitFor(caseId, { task: 'inspect' }, { timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaseWaitError);
    const wait = error as CaseWaitError;
    expect(wait.code).toBe('WAIT_TIMED_OUT');
    expect(wait.message).toBe(`case ${caseId}: waited 1 s for a task of step \`inspect\` in vain: the case is at \`eligibility\`, open tasks: \`eligibility#1\` (WAIT_TIMED_OUT)`);
    expect(idsOf(wait.progress.openTasks)).toEqual(['eligibility#1']);
    const after = await suite.client.getCase(caseId);
    expect(after.timeline).toEqual(before.timeline);
    expect(after.tasks).toEqual(before.tasks);
  });

  it('completeTask with an explicit waitFor says the completion stands when the case closes before that task', async () => {
    const caseId = uniqueName('RT');
    await suite.client.openCase('return', returnInput, { caseId, waitFor: 'task' });
    const error = await suite.client.completeTask(caseId, 'eligibility', { outcome: 'not-eligible', actor: actors.agent, waitFor: { task: 'manager-approval' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaseWaitError);
    const wait = error as CaseWaitError;
    expect(wait.code).toBe('CASE_CLOSED');
    expect(wait.reason).toBe('task `eligibility#1` was completed with outcome `not-eligible`, but the case closed with outcome `not-eligible` before a task of step `manager-approval` opened');
    expect(wait.completed?.taskId).toBe('eligibility#1');
    expect((await suite.client.result(caseId)).outcome).toBe('not-eligible');
    // Waiting on a closed case answers at once with its outcome.
    expect(await suite.client.waitFor(caseId)).toMatchObject({ status: 'closed', outcome: 'not-eligible', openTasks: [], reached: true });
  });

  it('a wait that holds already is answered by a query, leaving nothing in the case history', async () => {
    const caseId = uniqueName('RT');
    await suite.client.openCase('return', returnInput, { caseId, waitFor: 'task' });
    const handle = suite.client.temporal.workflow.getHandle(caseId);
    const before = await settledHistoryLength(suite.client.temporal, caseId);
    expect((await suite.client.waitForTask(caseId, 'eligibility')).id).toBe('eligibility#1');
    expect(await suite.client.waitFor(caseId)).toMatchObject({ settled: true, reached: true });
    await settledHistoryLength(suite.client.temporal, caseId);
    expect(((await handle.fetchHistory()).events ?? []).slice(before)).toEqual([]);
  });

  it('a wait that has to wait is one Update with one timer, cancelled when the case gets there', async () => {
    const caseId = uniqueName('RT');
    await suite.client.openCase('return', returnInput, { caseId, waitFor: 'task' });
    await suite.client.completeTask(caseId, 'eligibility', { outcome: 'eligible', actor: actors.agent });
    // Rejected: the decision is recorded and the case record closed (two actions) before the case ends.
    const rejected = await suite.client.completeTask(caseId, 'manager-approval', { outcome: 'rejected', actor: actors.manager });
    expect(rejected.progress).toMatchObject({ status: 'closed', outcome: 'rejected' });
    const { EventType } = temporal.api.enums.v1;
    const events = (await handle(caseId).fetchHistory()).events ?? [];
    const waits = events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'waitForTasks');
    // The open's wait (the first action ran first) and the last completion's; the first completion's was a query.
    expect(waits).toHaveLength(2);
    const lastWait = Number(waits.at(-1)?.eventId);
    const timer = events.find((e) => Number(e.eventId) > lastWait && e.eventType === EventType.EVENT_TYPE_TIMER_STARTED);
    expect(timer).toBeDefined();
    const ended = events.filter((e) => e.timerCanceledEventAttributes?.timerId === timer?.timerStartedEventAttributes?.timerId || e.timerFiredEventAttributes?.timerId === timer?.timerStartedEventAttributes?.timerId);
    expect(ended.map((e) => e.eventType)).toEqual([EventType.EVENT_TYPE_TIMER_CANCELED]);
  });
});

const handle = (caseId: string) => suite.client.temporal.workflow.getHandle(caseId);

describe('continue-as-new', () => {
  it('completions that wait keep working while the case continues as new at nearly every wait', async () => {
    // Before the handlers were registered last, a completion that reached a new run with its
    // first workflow task failed that task (the publisher did not exist yet) again and again.
    const caseId = uniqueName('N');
    await suite.client.openCase('every-step', { customer: { id: 'C-9', name: 'Sun Li' }, amount: 5000 }, { caseId, owner: actors.agent.id, continueAsNewAfterEvents: 10, waitFor: { task: 'review' } });
    const reviewed = await suite.client.completeTask(caseId, 'review', { outcome: 'approve', data: { note: 'ok' }, actor: actors.agent });
    expect(idsOf(reviewed.progress?.openTasks ?? []).sort()).toEqual(['collect-it#1', 'ship-it#1']);
    const shipped = await suite.client.completeTask(caseId, 'ship-it', { outcome: 'shipped', actor: actors.agent });
    expect(idsOf(shipped.progress?.openTasks ?? [])).toEqual(['collect-it#1']);
    const view = await suite.client.getCase(caseId);
    expect(view.run).toBeGreaterThan(1);
    expect(view.timeline.filter((e) => e.type === 'task-completed').map((e) => e.task)).toEqual(['review#1', 'ship-it#1']);
  });
});

describe('the CLI', () => {
  const aftercare = (...args: string[]) => runAftercare(args, { TEMPORAL_ADDRESS: inject('temporalAddress'), AFTERCARE_TASK_QUEUE: suite.taskQueue, DATABASE_URL: suite.db.url });

  // Each `node bin/aftercare.js` costs seconds of CPU on a loaded machine (test/integration/cli.test.ts).
  it('opens with --wait, completes with --wait and waits for a task, as a person types it', { timeout: 300_000 }, async () => {
    const caseId = uniqueName('RT-CLI');
    const opened = await aftercare('case', 'open', 'return', '--case-id', caseId, '--input', JSON.stringify(returnInput), '--wait');
    expect(opened.code, opened.stderr).toBe(0);
    const lines = opened.stdout.trim().split('\n');
    expect(lines[0]).toBe(`Opened case ${caseId} (return v4) · Return ${caseId} · Huang Jing · WM-80 · Does not fit the bathroom niche`);
    expect(lines.slice(1)).toEqual(['open tasks:', `  ${'eligibility#1'.padEnd(22)} Review eligibility  [role agent]  outcomes: eligible, not-eligible`]);

    const completed = await aftercare('task', 'complete', caseId, 'eligibility', '--outcome', 'eligible', '--actor', 'li.na', '--role', 'agent', '--wait');
    expect(completed.code, completed.stderr).toBe(0);
    expect(completed.stdout).toContain(`completed eligibility#1 of case ${caseId} with outcome eligible\nopen tasks:\n  ${'manager-approval#1'.padEnd(22)} Approve the return  [role manager]  outcomes: approved, rejected`);

    const [timedOut, open] = await Promise.all([aftercare('task', 'wait', caseId, 'inspect', '--timeout', '1s'), aftercare('task', 'wait', caseId, 'manager-approval', '--json')]);
    expect(timedOut.code).toBe(1);
    expect(timedOut.stderr.trim()).toBe(`timed out (WAIT_TIMED_OUT): case ${caseId}: waited 1 s for a task of step \`inspect\` in vain: the case is at \`manager-approval\`, open tasks: \`manager-approval#1\``);
    expect(open.code, open.stderr).toBe(0);
    expect(JSON.parse(open.stdout) as CaseTask).toMatchObject({ id: 'manager-approval#1', stepId: 'manager-approval', role: 'manager', status: 'open' });

    const unknown = await aftercare('task', 'wait', caseId, 'approved');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe(`refused (STEP_OPENS_NO_TASK): step \`approved\` of process \`return\` opens no task, so case ${caseId} cannot wait for its task; the steps with tasks are \`eligibility\`, \`manager-approval\`, \`sign-for-parcel\`, \`inspect\`, \`negotiate\`, \`finance-refund\`, \`refund\``);
  });
});
