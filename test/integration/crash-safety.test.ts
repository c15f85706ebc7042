/**
 * Crash safety on the real thing (the Temporal dev server and PostgreSQL): a write that
 * committed is never made twice, whatever happens between the commit and the server hearing
 * of it.
 *  (a) the activity fails AFTER its write (its reply is lost: a retryable error once the
 *      real activity has committed, first attempt only): the server retries, the case
 *      completes, and there is one movement and one refund;
 *  (b) the worker is killed (SIGKILL, a separate process) after the activity committed and
 *      before it replied: a new worker gets the attempt when it times out, the case
 *      completes, and there is still one row.
 * Cases are opened with the client, as a service would, from the parts-crash fixture process.
 */
import { testClient } from '../helpers/env.js';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities, type Activity, type StepContext } from '../../activities/index.js';
import { type AftercareClient } from '../../client/index.js';
import { DefinitionRegistry } from '../../dsl/load/registry.js';
import { projectRoot } from '../../worker/config.js';
import { createWorker } from '../../worker/worker.js';
import { bookOf } from '../activities/parts-helpers.js';
import { definitionsDir, testDatabase, uniqueName, workflowBundle, type TestDatabase } from '../helpers/env.js';

const crashFixturesDir = path.join(projectRoot, 'test', 'fixtures', 'crash');
const committingWorker = path.join(crashFixturesDir, 'committing-worker.ts');

let db: TestDatabase;
let registry: DefinitionRegistry;
let connection: Connection;
let nativeConnection: NativeConnection;

beforeAll(async () => {
  db = await testDatabase();
  registry = await DefinitionRegistry.load([definitionsDir, crashFixturesDir]);
  connection = await Connection.connect({ address: inject('temporalAddress') });
  nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
});
afterAll(async () => {
  await connection?.close();
  await nativeConnection?.close();
  await db?.close();
});

function clientOn(taskQueue: string): Promise<AftercareClient> {
  return testClient(new Client({ connection, namespace: 'default' }), registry, { taskQueue });
}

function caseInput(workOrderId: string) {
  return { parts: [{ partNo: 'RF-THERM-01', quantity: 2 }, { partNo: 'WM-BRG-6205', quantity: 1 }], workOrderId, amount: 199, orderId: `O-${workOrderId}` };
}

/** What the case wrote: its movements and refunds, and its audit rows, by kind. */
async function writesOf(caseId: string) {
  const movements = await db.pool.query('SELECT part_no, kind, quantity FROM stock_movements WHERE case_id = $1 ORDER BY part_no', [caseId]);
  const refunds = await db.pool.query('SELECT refund_id, amount, payment_method FROM refunds WHERE case_id = $1', [caseId]);
  // The activities' own audit rows (the engine's rows of people's actions, `<case>:timeline:<n>`, aside).
  const events = await db.pool.query("SELECT event_type FROM case_events WHERE case_id = $1 AND event_key NOT LIKE '%:timeline:%' ORDER BY event_type", [caseId]);
  return { movements: movements.rows, refunds: refunds.rows, events: events.rows.map((r: { event_type: string }) => r.event_type) };
}

const expectedMovements = [
  { part_no: 'RF-THERM-01', kind: 'issue', quantity: 2 },
  { part_no: 'WM-BRG-6205', kind: 'issue', quantity: 1 },
];

describe('an activity whose reply is lost after it committed', () => {
  it('is retried by the server and writes its movements and its refund once', async () => {
    const taskQueue = uniqueName('crash-a');
    const caseId = uniqueName('X');
    const real = createActivities(db.pool);
    const calls: Record<string, number[]> = { 'issue-parts': [], refund: [] };
    // The real activity commits; the first attempt then fails as if the worker lost its reply.
    const failAfterCommit = (name: 'issue-parts' | 'refund'): Activity =>
      async (context: StepContext, input: never) => {
        const { attempt } = Context.current().info;
        calls[name]?.push(attempt);
        const result = await (real[name] as (c: StepContext, i: unknown) => Promise<unknown>)(context, input);
        if (attempt === 1) throw ApplicationFailure.retryable(`${name} committed, then the connection to the server dropped`, 'LostReply');
        return result;
      };
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: { ...real, 'issue-parts': failAfterCommit('issue-parts'), refund: failAfterCommit('refund') },
    });
    const thermostats = await bookOf(db.pool, 'RF-THERM-01');
    const client = await clientOn(taskQueue);

    const result = await worker.runUntil(async () => {
      await client.openCase('parts-crash', caseInput('WO-A1'), { caseId });
      return client.result(caseId);
    });

    expect(calls).toEqual({ 'issue-parts': [1, 2], refund: [1, 2] });
    expect(result).toMatchObject({ caseId, outcome: 'done' });
    const writes = await writesOf(caseId);
    expect(writes.movements).toEqual(expectedMovements);
    expect(writes.refunds).toEqual([{ refund_id: expect.stringMatching(/^RF-\d{6}$/), amount: '199.00', payment_method: 'Alipay' }]);
    expect(writes.events).toEqual(['parts-issued', 'refunded']);
    expect(await bookOf(db.pool, 'RF-THERM-01')).toEqual({ ...thermostats, onHand: thermostats.onHand - 2 });
    // What the case saved is what the committed attempt returned, not a second issue.
    expect(result.data).toMatchObject({
      issued: { issued: [{ partNo: 'RF-THERM-01', quantity: 2, onHandAfter: thermostats.onHand - 2 }, { partNo: 'WM-BRG-6205', quantity: 1 }] },
      refund: { refundId: writes.refunds[0]?.refund_id },
    });
  });
});

/** Starts the committing worker as its own process; resolves when it says `line`. */
function startCommittingWorker(taskQueue: string, crashAfter: 'issue-parts' | 'refund'): { child: ChildProcessWithoutNullStreams; said: (line: string) => Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', committingWorker], {
    cwd: projectRoot,
    env: { ...process.env, CRASH_AFTER: crashAfter, DATABASE_URL: db.url, TASK_QUEUE: taskQueue, TEMPORAL_ADDRESS: inject('temporalAddress'), WORKFLOW_BUNDLE: inject('workflowBundlePath') },
  });
  let stdout = '';
  let stderr = '';
  const waiting: Array<{ line: string; resolve: () => void }> = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const w of waiting.filter((w) => stdout.split('\n').includes(w.line))) w.resolve();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<never>((_, reject) => child.on('exit', (code, signal) => reject(new Error(`the committing worker exited (${code ?? signal}) before saying it committed:\n${stderr}`))));
  return {
    child,
    said: (line) => Promise.race([new Promise<void>((resolve) => waiting.push({ line, resolve })), exited]),
  };
}

describe('a worker killed after its activity committed', () => {
  it.each(['issue-parts', 'refund'] as const)('leaves one row when it dies in %s: a new worker finishes the case', async (crashAfter) => {
    const taskQueue = uniqueName('crash-b');
    const caseId = uniqueName('K');
    const client = await clientOn(taskQueue);
    const dying = startCommittingWorker(taskQueue, crashAfter);
    let killed = false;
    try {
      await dying.said('worker ready');
      await client.openCase('parts-crash', caseInput(`WO-${crashAfter}`), { caseId });
      await dying.said(`committed ${crashAfter}`);
    } finally {
      killed = dying.child.kill('SIGKILL');
    }
    expect(killed).toBe(true);
    // The write is in the database and the server has not heard of it.
    const atCrash = await writesOf(caseId);
    expect(atCrash.events).toContain(crashAfter === 'issue-parts' ? 'parts-issued' : 'refunded');
    expect((await client.temporal.workflow.getHandle(caseId).describe()).status.name).toBe('RUNNING');

    // A new worker on the same task queue gets the attempt when its 3 s timeout expires.
    const worker = await createWorker({ connection: nativeConnection, namespace: 'default', taskQueue, pool: db.pool, workflowBundle: await workflowBundle() });
    const result = await worker.runUntil(client.result(caseId));

    expect(result).toMatchObject({ caseId, outcome: 'done' });
    const writes = await writesOf(caseId);
    expect(writes.movements).toEqual(expectedMovements);
    expect(writes.refunds).toHaveLength(1);
    expect(writes.events).toEqual(['parts-issued', 'refunded']);
    expect(result.data).toMatchObject({ refund: { refundId: writes.refunds[0]?.refund_id } });
  });
});
