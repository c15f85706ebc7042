/**
 * Who may act, on the dev server with the demo staff directory in PostgreSQL (seeds/staff.yaml),
 * driven through the client and the CLI as people would: every way of acting as someone one is
 * not, or of deciding what one may not, is refused with its code, and the case's history and
 * its rows are exactly as before; the allowed paths still complete.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ActorIssuer } from '../../client/acting.js';
import { ActorKeySet } from '../../client/actor-keys.js';
import { devIdentityVerifier, devToken } from '../../client/identity.js';
import { AftercareClient, ActorRefusedError, type ActAs } from '../../client/index.js';
import { StaffDirectory } from '../../directory/index.js';
import { base64urlDecode, base64urlEncode, requestDigest } from '../../workflows/actor-assertion.js';
import { completeTaskUpdate } from '../../workflows/messages.js';
import { testActorKeys, testIdentityKey } from '../helpers/acting.js';
import { openTaskOf, settledHistoryLength } from '../helpers/cases.js';
import { runAftercare } from '../helpers/cli.js';
import { devServerSuite } from '../helpers/suites.js';
import { testDataConverter, testRegistry, uniqueName } from '../helpers/env.js';

const suite = devServerSuite();
let client: AftercareClient;
let directory: StaffDirectory;
let connection: Connection;

/** A person's token, as the company's identity provider would give it (here: the test's dev key). */
const person = (id: string, role?: string): ActAs => ({ token: devToken(testIdentityKey, id), ...(role ? { role } : {}) });

beforeAll(async () => {
  directory = new StaffDirectory(suite.db.pool);
  connection = await Connection.connect({ address: inject('temporalAddress') });
  const acting = new ActorIssuer({ identity: await devIdentityVerifier(testIdentityKey), directory, keys: testActorKeys });
  client = new AftercareClient(new Client({ connection, namespace: 'default', dataConverter: testDataConverter() }), await testRegistry(), { taskQueue: suite.taskQueue, acting });
});

afterAll(async () => {
  await connection?.close();
});

const exampleOf = async (process: string) => ((await testRegistry()).get(process).definition.input as { examples: unknown[] }).examples[0] as Record<string, unknown>;

/** What must not change when a request is refused: the history and the audit rows. */
async function footprint(caseId: string) {
  const events = await settledHistoryLength(client.temporal, caseId);
  const rows = (await suite.db.pool.query('SELECT count(*)::int AS n FROM case_events WHERE case_id = $1', [caseId])).rows[0].n as number;
  const state = await client.getCase(caseId);
  return { events, rows, tasks: state.tasks };
}

/** Runs `attempt`, expects it refused with `code`, and the case exactly as before. */
async function refused(caseId: string, attempt: () => Promise<unknown>, code: string, message?: RegExp): Promise<Error> {
  const before = await footprint(caseId);
  const error = await attempt().then(
    () => new Error('the request was accepted'),
    (e: Error) => e,
  );
  expect(error).toMatchObject({ code });
  if (message) expect(error.message).toMatch(message);
  expect(await footprint(caseId)).toEqual(before);
  return error;
}

/** An exchange waiting for the manager's approval, its eligibility reviewed by li.na. */
async function exchangeAwaitingApproval(): Promise<string> {
  const caseId = uniqueName('EX');
  await client.openCase('exchange', await exampleOf('exchange'), { caseId, waitFor: { task: 'eligibility' } });
  await client.completeTask(caseId, 'eligibility', { outcome: 'eligible', data: { notes: 'within the window' }, actor: person('li.na') });
  await openTaskOf(client, caseId, 'manager-approval');
  return caseId;
}

describe('verified actors', () => {
  it('refuses a person the directory does not know, and a role the person does not hold, before anything reaches the case', async () => {
    const caseId = await exchangeAwaitingApproval();
    const unknown = await refused(caseId, () => client.completeTask(caseId, 'manager-approval', { outcome: 'approved', actor: person('ghost') }), 'PERSON_UNKNOWN', /ghost is not in the staff directory/);
    expect(unknown).toBeInstanceOf(ActorRefusedError);
    await refused(caseId, () => client.completeTask(caseId, 'manager-approval', { outcome: 'approved', actor: person('li.na', 'manager') }), 'ROLE_NOT_HELD', /li\.na \(Li Na\) does not hold role `manager` in process `exchange`; they hold `agent`/);
    // An agent not naming a role acts as an agent, who may not approve.
    await refused(caseId, () => client.completeTask(caseId, 'manager-approval', { outcome: 'approved', actor: person('zhao.lei') }), 'ROLE_NOT_ALLOWED', /acts as `agent`, which may not act on it/);
    await refused(caseId, () => client.completeTask(caseId, 'manager-approval', { outcome: 'approved', actor: { token: 'not-a-token' } }), 'TOKEN_INVALID');
  });

  it('refuses a role revoked in the directory, from the next request on', async () => {
    const caseId = await exchangeAwaitingApproval();
    await directory.grant('zhao.lei', 'manager', { process: 'exchange' }, { by: 'test', reason: 'standing in' });
    await directory.revoke('zhao.lei', 'manager', { process: 'exchange' }, { by: 'test', reason: 'back to agent work' });
    await refused(caseId, () => client.completeTask(caseId, 'manager-approval', { outcome: 'approved', actor: person('zhao.lei', 'manager') }), 'ROLE_NOT_HELD');
  });

  it('refuses an Update sent straight to Temporal with a hand-made actor, a forged role, an expired or a replayed assertion', async () => {
    const caseId = await exchangeAwaitingApproval();
    const handle = client.temporal.workflow.getHandle(caseId);
    const request = { taskId: 'manager-approval', outcome: 'approved', requestId: uniqueName('raw') };
    const digest = requestDigest(request);
    const send = (actor: unknown, updateId = uniqueName('u')) =>
      handle.executeUpdate(completeTaskUpdate, { args: [{ ...request, digest, actor } as never], updateId }).catch((error: unknown) => {
        const cause = (error as { cause?: { details?: { code?: string }[]; message?: string } }).cause;
        throw Object.assign(new Error(cause?.message ?? String(error)), { code: cause?.details?.[0]?.code });
      });

    // The old way: a caller naming whoever and whatever role it likes.
    await refused(caseId, () => send({ id: 'anyone', role: 'manager' }), 'ACTOR_UNVERIFIED', /a role named by the caller is not accepted/);

    // A real assertion for wang.fang, made by the client for exactly this request...
    const issuer = new ActorIssuer({ identity: await devIdentityVerifier(testIdentityKey), directory, keys: testActorKeys });
    const assertionFor = async (actAs: ActAs, now?: number) =>
      (now === undefined ? issuer : new ActorIssuer({ identity: await devIdentityVerifier(testIdentityKey), directory, keys: testActorKeys, now: () => now })).issue(actAs, {
        process: 'exchange',
        processRoles: ['agent', 'manager', 'logistics', 'parts'],
        caseId,
        update: 'completeTask',
        requestId: request.requestId,
        digest,
      });
    // ...with its roles edited: the signature no longer matches.
    const agentAssertion = await assertionFor(person('li.na'));
    const [header, payload, signature] = agentAssertion.assertion.split('.') as [string, string, string];
    const claims = JSON.parse(new TextDecoder().decode(base64urlDecode(payload)));
    const forged = base64urlEncode(new TextEncoder().encode(JSON.stringify({ ...claims, roles: ['manager'] })));
    await refused(caseId, () => send({ assertion: `${header}.${forged}.${signature}` }), 'ACTOR_UNVERIFIED', /signature does not match/);

    // Expired: made (and signed) fifteen minutes ago.
    const stale = await assertionFor(person('wang.fang', 'manager'), Date.now() - 15 * 60_000);
    await refused(caseId, () => send(stale), 'ASSERTION_EXPIRED');

    // Made for another request: the outcome changed after signing.
    const approval = await assertionFor(person('wang.fang', 'manager'));
    await refused(
      caseId,
      () => handle.executeUpdate(completeTaskUpdate, { args: [{ ...request, outcome: 'rejected', digest, actor: approval } as never], updateId: uniqueName('u') }).catch((error: unknown) => {
        const cause = (error as { cause?: { details?: { code?: string }[]; message?: string } }).cause;
        throw Object.assign(new Error(cause?.message ?? String(error)), { code: cause?.details?.[0]?.code });
      }),
      'ASSERTION_NOT_FOR_REQUEST',
    );

    // The genuine request goes through once; the same assertion again, under another Update id, is refused.
    await send(approval);
    await openTaskOf(client, caseId, 'ship-it').catch(() => undefined);
    await refused(caseId, () => send(approval), 'ASSERTION_REPLAYED');
    const approvedBy = Object.values((await client.getCase(caseId)).tasks).find((t) => t.stepId === 'manager-approval');
    expect(approvedBy).toMatchObject({ status: 'completed', completedBy: 'wang.fang', outcome: 'approved' });
  });

  it('four eyes: the person who reviewed an exchange may not approve it, even holding the manager role', async () => {
    await directory.grant('wang.fang', 'agent', { process: 'exchange' }, { by: 'test', reason: 'covers the front desk' });
    try {
      const caseId = uniqueName('EX');
      await client.openCase('exchange', await exampleOf('exchange'), { caseId, waitFor: { task: 'eligibility' } });
      await client.completeTask(caseId, 'eligibility', { outcome: 'eligible', actor: person('wang.fang', 'agent') });
      await openTaskOf(client, caseId, 'manager-approval');
      await refused(caseId, () => client.completeTask(caseId, 'manager-approval', { outcome: 'approved', actor: person('wang.fang', 'manager') }), 'SAME_PERSON_NOT_ALLOWED', /wang\.fang completed `eligibility#1`/);
    } finally {
      await directory.revoke('wang.fang', 'agent', { process: 'exchange' }, { by: 'test', reason: 'test over' });
    }
  });

  it('an amount above the approver\'s limit is refused; within it, the same manager approves', async () => {
    const example = await exampleOf('return');
    const order = example.order as Record<string, unknown>;
    // The demo manager may approve 20,000 CNY as manager.
    const big = uniqueName('RT');
    await client.openCase('return', { ...example, order: { ...order, amount: 25_000 } }, { caseId: big, waitFor: { task: 'eligibility' } });
    await client.completeTask(big, 'eligibility', { outcome: 'eligible', actor: person('li.na') });
    await openTaskOf(client, big, 'manager-approval');
    await refused(big, () => client.completeTask(big, 'manager-approval', { outcome: 'approved', actor: person('wang.fang') }), 'ABOVE_APPROVAL_LIMIT', /approves 25,000; wang\.fang's approval limit as `manager` is 20,000/);
    // Rejecting it is within their authority.
    await client.completeTask(big, 'manager-approval', { outcome: 'rejected', actor: person('wang.fang') });

    const small = uniqueName('RT');
    await client.openCase('return', example, { caseId: small, waitFor: { task: 'eligibility' } });
    await client.completeTask(small, 'eligibility', { outcome: 'eligible', actor: person('li.na') });
    const done = await client.completeTask(small, 'manager-approval', { outcome: 'approved', actor: person('wang.fang') });
    expect(done.completedBy).toBe('wang.fang');
  });

  it('the audit trail names the verified person, their token and the directory version', async () => {
    const caseId = await exchangeAwaitingApproval();
    const token = devToken(testIdentityKey, 'wang.fang', { jti: uniqueName('tok') });
    await client.completeTask(caseId, 'manager-approval', { outcome: 'rejected', actor: { token } });
    await client.result(caseId);
    const version = await directory.version();
    const rows = await eventuallyRows(caseId, 'task-completed', 2);
    const approval = rows.find((r) => r.step_id === 'manager-approval');
    expect(approval).toMatchObject({ actor: 'wang.fang', actor_token: JSON.parse(new TextDecoder().decode(base64urlDecode(token.split('.')[1] ?? ''))).jti });
    expect(approval?.directory_version).toBeLessThanOrEqual(version);
    expect(approval?.directory_version).toBeGreaterThanOrEqual(1);
  });

  it('the CLI acts as the person typing: --as on the dev setup, refused for a person or role the directory does not give', async () => {
    const caseId = await exchangeAwaitingApproval();
    const env = { TEMPORAL_ADDRESS: inject('temporalAddress'), AFTERCARE_TASK_QUEUE: suite.taskQueue, DATABASE_URL: suite.db.url };
    const before = await footprint(caseId);
    const ghost = await runAftercare(['task', 'complete', caseId, 'manager-approval', '--outcome', 'approved', '--as', 'ghost', '--json'], env);
    expect(ghost.code).toBe(1);
    expect(JSON.parse(ghost.stdout)).toMatchObject({ error: { code: 'PERSON_UNKNOWN' } });
    const agent = await runAftercare(['task', 'complete', caseId, 'manager-approval', '--outcome', 'approved', '--as', 'li.na', '--role', 'manager'], env);
    expect(agent.code).toBe(1);
    expect(agent.stderr).toMatch(/refused \(ROLE_NOT_HELD\): li\.na \(Li Na\) does not hold role `manager`/);
    const nobody = await runAftercare(['task', 'complete', caseId, 'manager-approval', '--outcome', 'approved'], { ...env, AFTERCARE_TOKEN: '' });
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toMatch(/say who you are/);
    expect(await footprint(caseId)).toEqual(before);
    const manager = await runAftercare(['task', 'complete', caseId, 'manager-approval', '--outcome', 'rejected', '--as', 'wang.fang'], env);
    expect(manager.stderr).toBe('');
    expect(manager.stdout).toMatch(/completed manager-approval#1 of case .* with outcome rejected/);
    const history = await runAftercare(['case', 'history', caseId], env);
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/task-completed .*manager-approval.* wang\.fang/);
  });
});

describe('rotating the actor key', () => {
  it('`aftercare keys rotate` makes a new signing key that a case opened under the old one accepts, and keeps', async () => {
    const caseId = await exchangeAwaitingApproval();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aftercare-keys-'));
    const file = path.join(dir, 'actor-keys.json');
    await fs.writeFile(file, testActorKeys.toJson(), { mode: 0o600 });
    const rotated = await runAftercare(['keys', 'rotate', '--id', 'actors-next', '--json'], { AFTERCARE_ACTOR_KEYS_FILE: file });
    expect(rotated.code).toBe(0);
    expect(JSON.parse(rotated.stdout)).toMatchObject({ current: 'actors-next', endorsements: 1 });
    expect(JSON.parse(rotated.stdout).trusted.map((k: { kid: string }) => k.kid)).toEqual(['test-actors', 'actors-next']);

    const keys = await ActorKeySet.read(file);
    const acting = new ActorIssuer({ identity: await devIdentityVerifier(testIdentityKey), directory, keys });
    const rotatedClient = new AftercareClient(client.temporal, await testRegistry(), { taskQueue: suite.taskQueue, acting });
    await rotatedClient.completeTask(caseId, 'manager-approval', { outcome: 'rejected', actor: person('wang.fang') });
    expect((await client.getCase(caseId)).actorKeys?.map((k) => k.kid)).toEqual(['test-actors', 'actors-next']);
    // A key nobody endorsed is still refused.
    const stranger = new AftercareClient(client.temporal, await testRegistry(), {
      taskQueue: suite.taskQueue,
      acting: new ActorIssuer({ identity: await devIdentityVerifier(testIdentityKey), directory, keys: ActorKeySet.create('stranger') }),
    });
    const other = await exchangeAwaitingApproval();
    await refused(other, () => stranger.completeTask(other, 'manager-approval', { outcome: 'rejected', actor: person('wang.fang') }), 'ACTOR_UNVERIFIED', /key `stranger`, which case .* does not trust/);
    await fs.rm(dir, { recursive: true, force: true });
  });
});

async function eventuallyRows(caseId: string, type: string, atLeast: number) {
  for (let i = 0; ; i++) {
    const { rows } = await suite.db.pool.query('SELECT step_id, actor, actor_token, directory_version FROM case_events WHERE case_id = $1 AND event_type = $2 ORDER BY occurred_at', [caseId, type]);
    if (rows.length >= atLeast || i > 100) return rows.map((r) => ({ ...r, directory_version: r.directory_version === null ? null : Number(r.directory_version) })) as { step_id: string; actor: string; actor_token: string | null; directory_version: number | null }[];
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
