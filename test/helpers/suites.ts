/**
 * The set-up every case test file repeats, as one call at the top of the file: a fresh
 * database with the demo data, a worker running on a task queue of the file's own, and the
 * client a service would use — on the dev server, or on the time-skipping test server.
 * The returned object is filled in by `beforeAll` and torn down by `afterAll`.
 */
import { testClient } from './env.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { Activity, StepContext } from '../../activities/index.js';
import { type AftercareClient } from '../../client/index.js';
import type { DefinitionRegistry } from '../../dsl/load/registry.js';
import { createWorker } from '../../worker/worker.js';
import { devServerWorker, testDatabase, testRegistry, timeSkippingEnvironment, timeSkippingWorker, uniqueName, workflowBundle, type TestDatabase } from './env.js';

export interface CaseWorker {
  db: TestDatabase;
  client: AftercareClient;
  worker: Worker;
  taskQueue: string;
  /** The inputs of the cases this worker's client opened (for the privacy check). */
  opened: unknown[];
  stop(): Promise<void>;
}

export interface DevServerOptions {
  /** Activities to run instead of the real ones of the same names, made with the file's database. */
  activities?: (pool: pg.Pool) => Record<string, Activity>;
}

/** A database and a running worker on the shared dev server. */
export async function startDevServerCases(options: DevServerOptions = {}): Promise<CaseWorker> {
  const db = await testDatabase();
  const env = await devServerWorker(db.pool, undefined, options.activities?.(db.pool));
  const running = env.worker.run();
  const opened: unknown[] = [];
  const openCase = env.client.openCase.bind(env.client);
  env.client.openCase = (process, input, openOptions) => {
    opened.push(input);
    return openCase(process, input, openOptions);
  };
  return {
    db,
    opened,
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
export function devServerSuite(options: DevServerOptions = {}): CaseWorker {
  const suite = {} as CaseWorker;
  beforeAll(async () => {
    Object.assign(suite, await startDevServerCases(options));
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

/** One call a stub activity got: which activity, where in which case, with what. */
export interface ActivityCall {
  activity: string;
  context: StepContext;
  input: unknown;
}

export interface StubActivityCases {
  env: TestWorkflowEnvironment;
  client: AftercareClient;
  worker: Worker;
  taskQueue: string;
  /** Every call of every activity, in order (the stubs' own log; nothing goes to a database). */
  calls: ActivityCall[];
  /** The calls of one case (its child cases are other cases). */
  callsOf(caseId: string): ActivityCall[];
  stop(): Promise<void>;
}

/** What every case calls beside its steps (the audit trail, SLA events): accepted and forgotten. */
const recordKeepingStubs: Record<string, Activity> = {
  'record-case-history': async () => undefined,
  'record-sla-event': async () => undefined,
  notify: async () => undefined,
};

/**
 * A time-skipping server and a worker whose activities are `stubs` (over stubs that accept the
 * record keeping every case does), with no database: tests of the interpreter's semantics.
 * Each stub is wrapped to log its calls in `calls`.
 */
export function stubActivitiesSuite(stubs: Record<string, Activity>, options: { registry?: (env: TestWorkflowEnvironment) => Promise<DefinitionRegistry> } = {}): StubActivityCases {
  const calls: ActivityCall[] = [];
  const logged = Object.fromEntries(
    Object.entries({ ...recordKeepingStubs, ...stubs }).map(([name, stub]) => [
      name,
      (async (context: StepContext, input: never) => {
        calls.push({ activity: name, context, input });
        return stub(context, input);
      }) as Activity,
    ]),
  );
  const suite = { calls, callsOf: (caseId: string) => calls.filter((c) => c.context.caseId === caseId) } as StubActivityCases;
  beforeAll(async () => {
    const env = await timeSkippingEnvironment();
    const taskQueue = uniqueName('tq');
    const worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, activities: logged, workflowBundle: await workflowBundle() });
    const client = await testClient(env.client, options.registry ? await options.registry(env) : await testRegistry(), { taskQueue, now: () => env.currentTimeMs() });
    const running = worker.run();
    Object.assign(suite, {
      env,
      worker,
      client,
      taskQueue,
      async stop() {
        worker.shutdown();
        await running;
        await env.teardown();
      },
    });
  });
  afterAll(async () => {
    await suite.stop?.();
  });
  return suite;
}
