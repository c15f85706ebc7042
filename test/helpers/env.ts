/**
 * What tests share: the workflow bundle built once by the global setup, a fresh migrated
 * database per test file, the definitions, a worker on a task queue of the test's own, and
 * the time-skipping environment built from the pinned binary.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, type Worker, type WorkflowBundle } from '@temporalio/worker';
import type pg from 'pg';
import { inject } from 'vitest';
import { createPool } from '../../database/postgres.js';
import type { Activity } from '../../activities/index.js';
import { AftercareClient } from '../../client/index.js';
import { EncryptionCodec, parseCodecKeys } from '../../client/payload-codec.js';
import { DefinitionRegistry } from '../../dsl/load/registry.js';
import { projectRoot } from '../../worker/config.js';
import { createDatabaseIfMissing } from '../../worker/dev/embedded-postgres.js';
import { migrate } from '../../worker/migrate.js';
import { seedDemoData } from '../../worker/seed.js';
import { createWorker, ensureSearchAttributes } from '../../worker/worker.js';
import { actAs, anyoneDirectory, testActing } from './acting.js';

export const definitionsDir = path.join(projectRoot, 'definitions');
export const fixtureProcessesDir = path.join(projectRoot, 'test', 'fixtures', 'processes');

let bundle: WorkflowBundle | undefined;
export async function workflowBundle(): Promise<WorkflowBundle> {
  bundle ??= { code: await fs.readFile(inject('workflowBundlePath'), 'utf8') };
  return bundle;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** A new, migrated database with the demo data (seeds/demo.sql) on the shared embedded PostgreSQL. */
export async function testDatabase(): Promise<TestDatabase> {
  const admin = inject('databaseAdminUrl');
  const name = `t_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await createDatabaseIfMissing(admin, name);
  const url = admin.replace(/\/[^/]*$/, `/${name}`);
  const pool = createPool(url);
  await migrate(pool);
  await seedDemoData(pool);
  return { url, pool, close: () => pool.end() };
}

let registry: DefinitionRegistry | undefined;
/** The shipped definitions and the test fixtures (processes covering every step kind). */
export async function testRegistry(): Promise<DefinitionRegistry> {
  registry ??= await DefinitionRegistry.load([definitionsDir, fixtureProcessesDir]);
  return registry;
}

let codec: EncryptionCodec | undefined;
/** The codec of the test run's key: dev-server workers and their clients encrypt case data, as in production. */
export function testCodec(): EncryptionCodec {
  codec ??= new EncryptionCodec(parseCodecKeys(inject('codecKeys')));
  return codec;
}

/** The data converter of a client that talks to a dev-server worker (`testCodec`). */
export function testDataConverter() {
  return { payloadCodecs: [testCodec()] };
}

/** A worker on the shared dev server, with its own task queue; case data encrypted with `testCodec`. */
/** `activities`: run instead of the real ones of the same names (the others stay real). */
export async function devServerWorker(pool: pg.Pool, taskQueue = uniqueName('tq'), activities?: Readonly<Record<string, Activity>>) {
  const address = inject('temporalAddress');
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await createWorker({ connection: nativeConnection, namespace: 'default', taskQueue, pool, workflowBundle: await workflowBundle(), payloadCodec: testCodec(), ...(activities ? { activities } : {}) });
  const connection = await Connection.connect({ address });
  const client = await testClient(new Client({ connection, namespace: 'default', dataConverter: testDataConverter() }), await testRegistry(), { taskQueue });
  return {
    worker,
    client,
    taskQueue,
    async close() {
      await connection.close();
      await nativeConnection.close();
    },
  };
}

/** A time-skipping environment from the pinned test server, with the case search attributes. */
export async function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: inject('testServer') } } });
  await ensureSearchAttributesOn(env);
  return env;
}

async function ensureSearchAttributesOn(env: TestWorkflowEnvironment): Promise<void> {
  const { caseSearchAttributes } = await import('../../workflows/search-attributes.js');
  const { encodeSearchAttributeIndexedValueType } = await import('@temporalio/common/lib/search-attributes.js');
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(caseSearchAttributes.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type) ?? 0])),
  });
}

export async function timeSkippingWorker(
  env: TestWorkflowEnvironment,
  pool: pg.Pool,
  taskQueue = uniqueName('tq'),
  registry?: DefinitionRegistry,
): Promise<{ worker: Worker; client: AftercareClient; taskQueue: string }> {
  const worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, pool, workflowBundle: await workflowBundle() });
  const client = await testClient(env.client, registry ?? (await testRegistry()), { taskQueue, now: () => env.currentTimeMs() });
  return { worker, client, taskQueue };
}

export { ensureSearchAttributes };

export const actors = {
  agent: { ...actAs('li.na', 'agent'), name: 'Li Na' },
  otherAgent: { ...actAs('zhao.lei', 'agent'), name: 'Zhao Lei' },
  supervisor: { ...actAs('chen.jie', 'supervisor'), name: 'Chen Jie' },
  manager: { ...actAs('wang.fang', 'manager'), name: 'Wang Fang' },
  department: { ...actAs('tech.support', 'department'), name: 'Technical support' },
};

export { actAs };

/**
 * A client of the tests: it acts for anyone the tests name (anyoneDirectory), through tokens,
 * assertions and the case's checks as in production. `now`: the clock of a time-skipping server.
 */
export async function testClient(temporal: Client, registry: DefinitionRegistry, options: { taskQueue?: string; now?: () => number | Promise<number> } = {}): Promise<AftercareClient> {
  const acting = await testActing({ directory: anyoneDirectory(registry), ...(options.now ? { now: options.now } : {}) });
  return new AftercareClient(temporal, registry, { ...(options.taskQueue ? { taskQueue: options.taskQueue } : {}), acting });
}
