/**
 * Brings up what the worker needs: a Temporal service (ours, or the one at TEMPORAL_ADDRESS)
 * and a PostgreSQL (embedded, or DATABASE_URL), migrated. Used by `aftercare dev` and by the
 * integration tests, so both exercise the same path.
 */
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type pg from 'pg';
import type { EncryptionCodec } from '../client/payload-codec.js';
import { createPool } from '../database/postgres.js';
import { caseSearchAttributes } from '../workflows/search-attributes.js';
import type { AftercareConfig } from './config.js';
import { superviseChildren, type Supervisor } from './dev/children.js';
import { postgresBinaries, startEmbeddedPostgres, type RunningPostgres } from './dev/embedded-postgres.js';
import { waitFor } from './dev/ports.js';
import { ensurePrivateDir, tightenTree } from './dev/private-files.js';
import { ensureTemporalCli, type Log, type ResolvedBinary } from './dev/temporal-binaries.js';
import { startDevServer, type DevServer } from './dev/temporal-dev-server.js';
import { devCodec } from './codec-keys.js';
import { ensureDevActingKeys } from './acting.js';
import { startCodecServer, type RunningCodecServer } from './codec-server.js';
import { migrate } from './migrate.js';
import { seedDemoData } from './seed.js';
import { ensureSearchAttributes } from './worker.js';

export interface Services {
  temporalAddress: string;
  /** Set when we started the dev server (it has a Web UI). */
  devServer?: DevServer;
  cli?: ResolvedBinary;
  databaseUrl: string;
  embeddedPostgres?: RunningPostgres;
  pool: pg.Pool;
  /** Encrypts case data in Temporal: the configured keys, or the dev key file. */
  codec: EncryptionCodec;
  /** The codec server the Web UI decrypts case data with. */
  codecServer: RunningCodecServer;
  stop(): Promise<void>;
}

/** Resolves once the frontend answers for `namespace` (the port opens a moment before it does). */
export async function waitForTemporal(address: string, namespace: string, timeoutMs = 30_000): Promise<void> {
  let lastError: unknown;
  const ready = await waitFor(
    async () => {
      try {
        const connection = await Connection.connect({ address, connectTimeout: 2000 });
        try {
          await connection.workflowService.describeNamespace({ namespace });
          return true;
        } finally {
          await connection.close();
        }
      } catch (error) {
        lastError = error;
        return false;
      }
    },
    timeoutMs,
    200,
  );
  if (!ready) throw new Error(`Temporal at ${address} did not answer for namespace ${namespace} within ${timeoutMs / 1000} s: ${(lastError as Error)?.message ?? 'no answer'}`);
}

export async function startServices(config: AftercareConfig, log: Log): Promise<Services> {
  const stops: (() => Promise<void>)[] = [];
  let supervisor: Supervisor | undefined;
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log(`while stopping: ${(error as Error).message}`));
    stops.length = 0;
  };
  try {
    // What we keep in the data folder (cases, customers' data) is the owner's alone; a folder an
    // older setup wrote with wider modes is tightened before anything opens it.
    if (!config.temporalAddress || !config.databaseUrl) {
      await ensurePrivateDir(config.dataDir);
      const widened = await tightenTree(config.dataDir);
      if (widened.length > 0) log(`made ${widened.length} file(s) and folder(s) in ${path.relative(process.cwd(), config.dataDir) || config.dataDir} private to their owner (folders 0700, files 0600)`);
      // Servers an earlier start left running are stopped first; ours die with us (worker/dev/children.ts).
      supervisor = await superviseChildren(config.dataDir, log);
      stops.push(() => (supervisor as Supervisor).close());
    }
    let temporalAddress = config.temporalAddress;
    let devServer: DevServer | undefined;
    let cli: ResolvedBinary | undefined;
    const codec = await devCodec(config, log);
    await ensureDevActingKeys(config, log);
    const uiOrigins = [`http://localhost:${config.uiPort}`, `http://127.0.0.1:${config.uiPort}`];
    const codecServer = await startCodecServer({ codec, port: config.codecPort, tokens: config.codecTokens, trustedOrigins: temporalAddress ? [] : uiOrigins, log }).catch((error: Error) => {
      throw new Error(`the codec server could not listen on 127.0.0.1:${config.codecPort} (${error.message}): set AFTERCARE_CODEC_PORT to another port`);
    });
    stops.push(() => codecServer.stop());
    if (temporalAddress) {
      log(`using the Temporal service at ${temporalAddress} (TEMPORAL_ADDRESS)`);
      await waitForTemporal(temporalAddress, config.namespace);
      await ensureSearchAttributes(temporalAddress, config.namespace, log);
    } else {
      cli = await ensureTemporalCli(config.toolsDir, log);
      const dbFile = path.join(config.dataDir, 'temporal.sqlite');
      devServer = await startDevServer({
        cli: cli.path,
        port: config.temporalPort,
        uiPort: config.uiPort,
        namespace: config.namespace,
        dbFile,
        searchAttributes: caseSearchAttributes,
        log,
        codecEndpoint: codecServer.url,
        onSpawn: async (child) => supervisor?.watch('the Temporal dev server', child, (cli as ResolvedBinary).path, 'SIGTERM'),
      });
      stops.push(() => (devServer as DevServer).stop());
      temporalAddress = devServer.address;
      await waitForTemporal(temporalAddress, config.namespace);
      log(`Temporal dev server ${cli.version} on ${temporalAddress}, cases kept in ${path.relative(process.cwd(), dbFile)}`);
    }

    let databaseUrl = config.databaseUrl;
    let embeddedPostgres: RunningPostgres | undefined;
    if (databaseUrl) log('using the PostgreSQL at DATABASE_URL');
    else {
      embeddedPostgres = await startEmbeddedPostgres({
        dataDir: path.join(config.dataDir, 'postgres'),
        port: config.postgresPort,
        database: 'aftercare',
        log,
        // SIGINT: PostgreSQL's fast shutdown, as its stop() sends.
        onSpawn: async (child) => supervisor?.watch('PostgreSQL', child, postgresBinaries().postgres, 'SIGINT'),
      });
      stops.push(() => (embeddedPostgres as RunningPostgres).stop());
      databaseUrl = embeddedPostgres.url;
      log(`embedded PostgreSQL on 127.0.0.1:${config.postgresPort}, data in ${path.relative(process.cwd(), path.join(config.dataDir, 'postgres'))}`);
    }
    const pool = createPool(databaseUrl);
    stops.push(() => pool.end());
    try {
      await migrate(pool, log);
      // The embedded database is this machine's playground: give it a repair team and a shelf.
      if (embeddedPostgres) await seedDemoData(pool, log);
    } catch (error) {
      throw new Error(`PostgreSQL migrations failed: ${(error as Error).message}`);
    }
    return {
      temporalAddress,
      ...(devServer ? { devServer } : {}),
      ...(cli ? { cli } : {}),
      databaseUrl,
      ...(embeddedPostgres ? { embeddedPostgres } : {}),
      pool,
      codec,
      codecServer,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
