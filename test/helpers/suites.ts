/**
 * The set-up every case test file repeats, as one call at the top of the file: a fresh
 * database with the demo data, a worker running on a task queue of the file's own, and the
 * client a service would use — on the dev server, or on the time-skipping test server.
 * The returned object is filled in by `beforeAll` and torn down by `afterAll`.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll } from 'vitest';
import type { AftercareClient } from '../../client/index.js';
import type { DefinitionRegistry } from '../../dsl/load/registry.js';
import { devServerWorker, testDatabase, timeSkippingEnvironment, timeSkippingWorker, type TestDatabase } from './env.js';

export interface CaseWorker {
  db: TestDatabase;
  client: AftercareClient;
  worker: Worker;
  taskQueue: string;
  stop(): Promise<void>;
}

/** A database and a running worker on the shared dev server. */
export async function startDevServerCases(): Promise<CaseWorker> {
  const db = await testDatabase();
  const env = await devServerWorker(db.pool);
  const running = env.worker.run();
  return {
    db,
    client: env.client,
    worker: env.worker,
    taskQueue: env.taskQueue,
    async stop() {
      env.worker.shutdown();
      await running;
      await env.close();
      await db.close();
    },
  };
}

/** `startDevServerCases()` for the whole file. */
export function devServerSuite(): CaseWorker {
  const suite = {} as CaseWorker;
  beforeAll(async () => {
    Object.assign(suite, await startDevServerCases());
  });
  afterAll(async () => {
    await suite.stop?.();
  });
  return suite;
}

export interface TimeSkippingCases extends CaseWorker {
  env: TestWorkflowEnvironment;
}

/** A time-skipping server, a database and a running worker for the whole file. */
/** `registry`: the definitions the client opens cases with (default: the shipped ones and the fixtures). */
export function timeSkippingSuite(options: { registry?: (env: TestWorkflowEnvironment) => Promise<DefinitionRegistry> } = {}): TimeSkippingCases {
  const suite = {} as TimeSkippingCases;
  beforeAll(async () => {
    const env = await timeSkippingEnvironment();
    const db = await testDatabase();
    const { worker, client, taskQueue } = await timeSkippingWorker(env, db.pool, undefined, options.registry ? await options.registry(env) : undefined);
    const running = worker.run();
    Object.assign(suite, {
      env,
      db,
      worker,
      client,
      taskQueue,
      async stop() {
        worker.shutdown();
        await running;
        await db.close();
        await env.teardown();
      },
    });
  });
  afterAll(async () => {
    await suite.stop?.();
  });
  return suite;
}
