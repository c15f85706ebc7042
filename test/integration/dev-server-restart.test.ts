/**
 * Durability on the real thing: a case survives its Temporal server going away. The dev
 * server is stopped mid-case (while the case waits on its durable timer), started again on
 * the same SQLite file, and the case completes — its timer fires after the restart.
 */
import { testClient } from '../helpers/env.js';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';

import { freePort } from '../../worker/dev/ports.js';
import { startDevServer, type DevServer } from '../../worker/dev/temporal-dev-server.js';
import { waitForTemporal } from '../../worker/services.js';
import { createWorker } from '../../worker/worker.js';
import { caseSearchAttributes } from '../../workflows/search-attributes.js';
import { openTaskOf, reaches } from '../helpers/cases.js';
import { actors, testDatabase, testRegistry, uniqueName, workflowBundle, type TestDatabase } from '../helpers/env.js';

let db: TestDatabase;
let dbFile: string;
let port: number;

async function start(): Promise<DevServer> {
  const server = await startDevServer({ cli: inject('temporalCli'), port, namespace: 'default', dbFile, searchAttributes: caseSearchAttributes, log: () => undefined });
  await waitForTemporal(server.address, 'default');
  return server;
}

async function connect(address: string, taskQueue: string) {
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await createWorker({ connection: nativeConnection, namespace: 'default', taskQueue, pool: db.pool, workflowBundle: await workflowBundle() });
  const connection = await Connection.connect({ address });
  const client = await testClient(new Client({ connection, namespace: 'default' }), await testRegistry(), { taskQueue });
  return { worker, client, close: async () => Promise.all([connection.close(), nativeConnection.close()]) };
}

beforeAll(async () => {
  db = await testDatabase();
  dbFile = path.join(inject('scratchDir'), `${uniqueName('restart')}.sqlite`);
  port = await freePort();
});
afterAll(async () => {
  await db?.close();
});

describe('a case across a restart of the Temporal server', () => {
  it('completes on the same SQLite file after the server was stopped mid-case', async () => {
    const caseId = uniqueName('Q');
    const taskQueue = uniqueName('restart');
    const input = { customer: { id: 'M-1', name: 'Liu Yang', phone: '139-0000-0000' }, question: 'Is the filter washable?' };

    let server = await start();
    let side = await connect(server.address, taskQueue);
    await side.worker.runUntil(async () => {
      await side.client.openCase('passed-on-question', input, { caseId, parameters: { followUpWindow: '4s' } });
      await openTaskOf(side.client, caseId, 'answer');
      await side.client.completeTask(caseId, 'answer', { outcome: 'answered', data: { reply: 'Yes, under running water.' }, actor: actors.department });
      await reaches(side.client, caseId, 'wait-for-follow-up');
    });
    await side.close();
    const stoppedAt = Date.now();
    await server.stop();
    expect(server.child.exitCode !== null || server.child.signalCode !== null).toBe(true);

    server = await start();
    side = await connect(server.address, taskQueue);
    try {
      const client = side.client;
      const { result, view } = await side.worker.runUntil(async () => ({ result: await client.result(caseId), view: await client.getCase(caseId) }));
      expect(result).toMatchObject({ caseId, outcome: 'answered', data: { reply: { reply: 'Yes, under running water.' } } });
      const fired = view.timeline.find((e) => e.type === 'timer-fired');
      expect(fired).toBeDefined();
      expect(Date.parse(fired?.at ?? '')).toBeGreaterThan(stoppedAt);
      expect(view.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['case-opened', 'task-completed', 'timer-started', 'timer-fired', 'case-closed']));
    } finally {
      await side.close();
      await server.stop();
    }
    const rows = await db.pool.query('SELECT count(*)::int AS n FROM cases WHERE case_id = $1', [caseId]);
    expect(rows.rows[0].n).toBe(1);
  });
});
