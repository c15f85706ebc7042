/**
 * Where scenarios run: Temporal's time-skipping test server (one per scenario, since its clock
 * is shared by everything on it), the real workflow bundle, and a worker whose activities are
 * stubs (or the real ones against an embedded PostgreSQL with `--records`).
 *
 * The test server's clock starts at the present. A scenario that opens its case at an instant
 * in the past (`at: 2026-09-28T10:00+08:00`) gets a server started under libfaketime, which
 * sets the server's clock to that instant; from there the server skips time as usual.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker, WorkflowBundle } from '@temporalio/worker';
import type pg from 'pg';
import type { Activity } from '../activities/index.js';
import { createPool } from '../database/postgres.js';
import { createDatabaseIfMissing, startEmbeddedPostgres, type RunningPostgres } from '../worker/dev/embedded-postgres.js';
import { freePort } from '../worker/dev/ports.js';
import { migrate } from '../worker/migrate.js';
import { seedDemoData } from '../worker/seed.js';
import { createWorker } from '../worker/worker.js';
import { caseSearchAttributes } from '../workflows/search-attributes.js';

/** Where libfaketime is installed by Debian's and Ubuntu's `faketime` package (or AFTERCARE_FAKETIME). */
const fakeTimeLibraries = ['/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1', '/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1', '/usr/lib/faketime/libfaketimeMT.so.1'];

export async function fakeTimeLibrary(): Promise<string | undefined> {
  for (const candidate of [process.env.AFTERCARE_FAKETIME, ...fakeTimeLibraries]) {
    if (candidate && (await fs.stat(candidate).catch(() => undefined))?.isFile()) return candidate;
  }
  return undefined;
}

export class ClockInThePastError extends Error {
  constructor(at: string) {
    super(
      `the case opens at ${at}, before the present, and the test server's clock can only be set back with libfaketime: install it (\`apt-get install faketime\`) or set AFTERCARE_FAKETIME to its libfaketimeMT.so.1`,
    );
  }
}

/** `@2026-09-28 02:00:00` in UTC: libfaketime's start instant, from which its clock runs on. */
function fakeTimeSpec(instant: number): string {
  return `@${new Date(instant).toISOString().slice(0, 19).replace('T', ' ')}`;
}

/**
 * A time-skipping server whose clock starts at `startAt` when that is in the past (libfaketime),
 * or at the present otherwise, with the case search attributes registered.
 */
export async function startTestServer(testServer: string, scratch: string, startAt?: number, atText = ''): Promise<TestWorkflowEnvironment> {
  let executable = testServer;
  if (startAt !== undefined && startAt < Date.now()) {
    const library = await fakeTimeLibrary();
    if (!library) throw new ClockInThePastError(atText);
    executable = path.join(scratch, `test-server-${randomUUID().slice(0, 8)}.sh`);
    const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
    await fs.writeFile(
      executable,
      [
        '#!/bin/sh',
        `export LD_PRELOAD=${quote(library)}`,
        `export FAKETIME=${quote(fakeTimeSpec(startAt))}`,
        // The server's timeouts and Java's monotonic clock keep real time.
        'export FAKETIME_DONT_FAKE_MONOTONIC=1',
        'export TZ=UTC',
        // The server's own Java log goes to a file beside the script, not into the owner's report.
        `exec ${quote(testServer)} "$@" 2>>${quote(`${executable}.log`)}`,
        '',
      ].join('\n'),
      { mode: 0o700 },
    );
  }
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: executable } } });
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(caseSearchAttributes.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type) ?? 0])),
  });
  return env;
}

export function scenarioWorker(env: TestWorkflowEnvironment, bundle: WorkflowBundle, activities: Record<string, Activity>, pool?: pg.Pool): Promise<Worker> {
  return createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue: 'scenarios',
    workflowBundle: bundle,
    activities,
    ...(pool ? { pool } : {}),
  });
}

/** The embedded PostgreSQL of a `--records` run: one server, a fresh migrated database per scenario. */
export interface RecordsServer {
  database(): Promise<{ pool: pg.Pool; close(): Promise<void> }>;
  stop(): Promise<void>;
}

export async function startRecordsServer(scratch: string): Promise<RecordsServer> {
  const postgres: RunningPostgres = await startEmbeddedPostgres({ dataDir: path.join(scratch, 'postgres'), port: await freePort(), database: 'postgres', log: () => {} });
  return {
    async database() {
      const name = `scenario_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      await createDatabaseIfMissing(postgres.url, name);
      const pool = createPool(postgres.url.replace(/\/[^/]*$/, `/${name}`));
      await migrate(pool);
      await seedDemoData(pool);
      return { pool, close: () => pool.end() };
    },
    stop: () => postgres.stop(),
  };
}

export function scratchDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'aftercare-scenarios-'));
}
