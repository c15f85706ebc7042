/**
 * A PostgreSQL outage is waited out, on the real thing: a worker on the dev server with a
 * PostgreSQL of this file's own, stopped for 90 seconds while cases are in flight. Cases
 * opened during the outage retry their first action; tasks completed during it queue their
 * audit rows. When the database is back, every case completes, none failed, and each has its
 * audit rows once: no row lost, none duplicated.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool } from '../../database/postgres.js';
import { type AftercareClient } from '../../client/index.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../../worker/dev/embedded-postgres.js';
import { freePort } from '../../worker/dev/ports.js';
import { migrate } from '../../worker/migrate.js';
import { seedDemoData } from '../../worker/seed.js';
import { openTaskOf } from '../helpers/cases.js';
import { actors, devServerWorker, testDataConverter, uniqueName } from '../helpers/env.js';

const OUTAGE_MS = 90_000;
const CASES_BEFORE = 8;
const CASES_DURING = 8;

let postgres: RunningPostgres | undefined;
let dataDir: string;
let port: number;
let pool: pg.Pool;
let worker: Worker;
let running: Promise<void>;
let closeWorker: () => Promise<void>;
let client: AftercareClient;
let temporal: Client;
let connection: Connection;

const log = (message: string) => console.log(`[database-outage] ${message}`);

async function startDatabase(): Promise<void> {
  postgres = await startEmbeddedPostgres({ dataDir, port, database: 'outage', log });
}

beforeAll(async () => {
  dataDir = path.join(inject('scratchDir'), uniqueName('outage-pg'));
  port = await freePort();
  await startDatabase();
  pool = createPool(postgres!.url);
  await migrate(pool);
  await seedDemoData(pool);
  const env = await devServerWorker(pool);
  worker = env.worker;
  client = env.client;
  closeWorker = env.close;
  running = worker.run();
  connection = await Connection.connect({ address: inject('temporalAddress') });
  temporal = new Client({ connection, namespace: 'default', dataConverter: testDataConverter() });
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await closeWorker?.();
  await connection?.close();
  await pool?.end();
  await postgres?.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const question = (n: number) => ({ customer: { id: `M-${n}`, name: 'Wang Li', phone: '138-0013-8000' }, question: `Can dryer ${n} be stacked?` });
const open = (caseId: string, n: number) => client.openCase('passed-on-question', question(n), { caseId, parameters: { followUpWindow: '1s' } });
const answer = (caseId: string) => client.completeTask(caseId, 'answer', { outcome: 'answered', data: { reply: 'Yes, with kit SK-2.' }, actor: actors.department });

async function statusOf(caseId: string): Promise<string> {
  return (await temporal.workflow.getHandle(caseId).describe()).status.name;
}

describe('PostgreSQL stopped for 90 seconds while cases are in flight', () => {
  it('every case completes once it is back, none fails, and each audit row is written once', async () => {
    const before = Array.from({ length: CASES_BEFORE }, () => uniqueName('OUT-A'));
    const during = Array.from({ length: CASES_DURING }, () => uniqueName('OUT-B'));
    for (const [i, caseId] of before.entries()) await open(caseId, i);
    for (const caseId of before) await openTaskOf(client, caseId, 'answer', 60_000);

    log('stopping PostgreSQL');
    await postgres!.stop();
    const stoppedAt = Date.now();
    // While it is down: people complete their tasks, and new cases are opened.
    for (const caseId of before) await answer(caseId);
    for (const [i, caseId] of during.entries()) await open(caseId, CASES_BEFORE + i);
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - stoppedAt)));
    // Still running after 90 s: waiting, not failed.
    const statuses = await Promise.all([...before, ...during].map(statusOf));
    expect(statuses.filter((s) => s !== 'RUNNING')).toEqual([]);

    log(`starting PostgreSQL after ${Math.round((Date.now() - stoppedAt) / 1000)} s`);
    await startDatabase();
    for (const caseId of during) {
      await openTaskOf(client, caseId, 'answer', 180_000);
      await answer(caseId);
    }
    const results = await Promise.all([...before, ...during].map((caseId) => client.result(caseId)));
    expect(results.map((r) => r.outcome)).toEqual([...before, ...during].map(() => 'answered'));

    // The records: one case row each, and each audited entry once.
    const ids = [...before, ...during];
    const cases = await pool.query<{ case_id: string; n: string }>('SELECT case_id, count(*) AS n FROM cases WHERE case_id = ANY($1) GROUP BY case_id', [ids]);
    expect(cases.rows.map((r) => Number(r.n))).toEqual(ids.map(() => 1));
    const events = await pool.query<{ case_id: string; event_type: string; n: string }>(
      'SELECT case_id, event_type, count(*) AS n FROM case_events WHERE case_id = ANY($1) GROUP BY case_id, event_type',
      [ids],
    );
    for (const caseId of ids) {
      const counts = Object.fromEntries(events.rows.filter((r) => r.case_id === caseId).map((r) => [r.event_type, Number(r.n)]));
      expect({ caseId, counts }).toMatchObject({ caseId, counts: { 'case-opened': 1, 'task-completed': 1, 'case-closed': 1 } });
    }
    expect((await Promise.all(ids.map(statusOf))).filter((s) => s !== 'COMPLETED')).toEqual([]);
  }, 480_000);
});
