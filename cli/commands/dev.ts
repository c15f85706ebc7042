import os from 'node:os';
import { NativeConnection } from '@temporalio/worker';
import { createPool } from '../../database/postgres.js';
import { requiredCodec } from '../../worker/codec-keys.js';
import { readConfig } from '../../worker/config.js';
import { installScrubbedLogging } from '../../worker/logging.js';
import { runDev } from '../../worker/dev.js';
import { migrate } from '../../worker/migrate.js';
import { waitForTemporal } from '../../worker/services.js';
import { bundleWorkflows, createWorker, ensureSearchAttributes } from '../../worker/worker.js';
import { parse, UsageError, type Command } from '../io.js';

const log = (message: string) => console.log(`[aftercare] ${message}`);

const devHelp = `aftercare dev   (npm start)

Starts, on this machine: the Temporal dev server with its Web UI (cases kept in
.data/temporal.sqlite), an embedded PostgreSQL (.data/postgres), the migrations and the
worker. TEMPORAL_ADDRESS or DATABASE_URL, when set, are used instead of the embedded ones.
Ctrl-C stops everything.`;

export const devCommand: Command = async (argv) => {
  parse(argv, {}, devHelp);
  installScrubbedLogging();
  await runDev(readConfig(), log);
  return 0;
};

const workerHelp = `aftercare worker

Runs the worker against an existing Temporal (TEMPORAL_ADDRESS) and PostgreSQL
(DATABASE_URL): migrates the database, registers the search attributes, polls the task queue.`;

export const workerCommand: Command = async (argv) => {
  parse(argv, {}, workerHelp);
  installScrubbedLogging();
  const config = readConfig();
  if (!config.temporalAddress) throw new UsageError('set TEMPORAL_ADDRESS (or use `aftercare dev` to start a local Temporal)');
  if (!config.databaseUrl) throw new UsageError('set DATABASE_URL (or use `aftercare dev` to start an embedded PostgreSQL)');
  await waitForTemporal(config.temporalAddress, config.namespace, 120_000);
  await ensureSearchAttributes(config.temporalAddress, config.namespace, log);
  const payloadCodec = await requiredCodec(config);
  const pool = createPool(config.databaseUrl);
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  try {
    await migrate(pool, log);
    const worker = await createWorker({
      connection,
      namespace: config.namespace,
      taskQueue: config.taskQueue,
      pool,
      workflowBundle: await bundleWorkflows(),
      identity: `aftercare-worker@${os.hostname()}`,
      payloadCodec,
    });
    log(`worker polling task queue ${config.taskQueue} on ${config.temporalAddress} (namespace ${config.namespace}), case data encrypted with key ${payloadCodec.currentKeyId}`);
    await worker.run();
    return 0;
  } finally {
    await connection.close().catch(() => undefined);
    await pool.end();
  }
};
