/**
 * `aftercare dev` (`npm start`): everything on one machine with embedded defaults — the
 * Temporal dev server with its Web UI, an embedded PostgreSQL, migrations, the worker — and
 * a clean stop on Ctrl-C, leaving no server process behind.
 */
import os from 'node:os';
import { NativeConnection } from '@temporalio/worker';
import { loadDefinitions } from '../dsl/load/load.js';
import { formatProblem } from '../dsl/problems.js';
import { activityCatalog } from '../model/activity-catalog/index.js';
import type { AftercareConfig } from './config.js';
import { startServices } from './services.js';
import { bundleWorkflows, createWorker } from './worker.js';
import type { Log } from './dev/temporal-binaries.js';
import { CASE_COLUMNS_PATH } from './dev/web-ui-front.js';

function exampleCommand(definitions: Awaited<ReturnType<typeof loadDefinitions>>['definitions']): string | undefined {
  for (const loaded of definitions) {
    const examples = loaded.compiled.input?.examples;
    if (Array.isArray(examples) && examples.length > 0) {
      const input = JSON.stringify(examples[0]).replace(/'/g, "'\\''");
      return `npx aftercare case open ${loaded.compiled.process} --case-id ${loaded.compiled.process.slice(0, 1).toUpperCase()}-1001 --input '${input}'`;
    }
  }
  return undefined;
}

/** Runs until SIGINT/SIGTERM; resolves after everything it started has stopped. */
export async function runDev(config: AftercareConfig, log: Log, options: { worker?: boolean } = {}): Promise<void> {
  const started = Date.now();
  const services = await startServices(config, log);
  let connection: NativeConnection | undefined;
  try {
    const loaded = await loadDefinitions([config.definitionsDir], { activities: activityCatalog });
    if (loaded.problems.length > 0) {
      log(`the definitions have ${loaded.problems.length} problem(s); new cases of the broken processes cannot be opened until they are fixed:`);
      for (const problem of loaded.problems) log(`  ${formatProblem(problem)}`);
    }
    const bundle = await bundleWorkflows();
    connection = await NativeConnection.connect({ address: services.temporalAddress });
    const worker = await createWorker({
      connection,
      namespace: config.namespace,
      taskQueue: config.taskQueue,
      pool: services.pool,
      workflowBundle: bundle,
      identity: `aftercare-dev@${os.hostname()}`,
      payloadCodec: services.codec,
    });
    const processes = loaded.definitions.map((d) => `${d.compiled.process} v${d.compiled.version}`).join(', ') || 'none';
    const example = exampleCommand(loaded.definitions);
    const lines = [
      '',
      `Aftercare is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s).`,
      ...(services.devServer?.uiUrl
        ? [`  Temporal Web UI  ${services.devServer.uiUrl}/namespaces/${config.namespace}/workflows`, `                   with the case columns from your first visit; ${services.devServer.uiUrl}${CASE_COLUMNS_PATH} puts them back`]
        : [`  Temporal         ${services.temporalAddress} (TEMPORAL_ADDRESS)`]),
      `  Temporal gRPC    ${services.temporalAddress}, namespace ${config.namespace}, task queue ${config.taskQueue}`,
      ...(services.embeddedPostgres
        ? [`  PostgreSQL       ${services.embeddedPostgres.url} (embedded)`, '                   psql it, or give it as DATABASE_URL to `aftercare worker`, the reports or your tools']
        : ['  PostgreSQL       DATABASE_URL']),
      `  Case data        encrypted in Temporal (key ${services.codec.currentKeyId}); the Web UI decrypts it through ${services.codecServer.url}`,
      `  Processes        ${processes}`,
      '',
      'Open a first case from another terminal:',
      `  ${example ?? 'npx aftercare case open <process> --input <json>'}`,
      '  npx aftercare case list',
      '',
      'Press Ctrl-C to stop everything.',
      '',
    ];
    if (options.worker !== false) {
      const running = worker.run();
      console.log(lines.join('\n'));
      // A SIGTERM to `npm start` is not passed on to us: when the process that started us is
      // gone, stop as if interrupted, so no server is left running without an owner.
      const parent = process.ppid;
      const orphaned = setInterval(() => {
        if (process.ppid === parent) return;
        log('the process that started aftercare is gone: stopping');
        clearInterval(orphaned);
        worker.shutdown();
      }, 1000);
      orphaned.unref();
      try {
        await running;
      } finally {
        clearInterval(orphaned);
      }
      log('worker stopped');
    }
  } finally {
    await connection?.close().catch(() => undefined);
    await services.stop();
    log('stopped the Temporal dev server and PostgreSQL');
  }
}
