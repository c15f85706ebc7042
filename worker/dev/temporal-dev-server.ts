/**
 * A local Temporal service: `temporal server start-dev`, a complete single-process Temporal
 * with SQLite persistence and the Web UI, with Aftercare's search attributes registered.
 *
 * The SQLite file holds every case's history, customers' data included: its folder is 0700 and
 * the file and its journal, WAL and shared-memory files 0600 (worker/dev/private-files.ts). The
 * Web UI is started with its news feed off: a local console has no business calling out to the
 * internet by itself (`--ui-disable-news-fetch`). It listens on a private port; operators open
 * the port asked for, where worker/dev/web-ui-front.ts passes everything on to it and gives a
 * browser's first visit the case columns.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes.js';
import { stopChild, tail } from './child-process.js';
import { freePort, isListening, waitFor } from './ports.js';
import { ensurePrivateDir, tightenFile } from './private-files.js';
import type { Log } from './temporal-binaries.js';
import { startWebUiFront, type RunningWebUiFront } from './web-ui-front.js';

/** The CLI's names for search attribute types (`--search-attribute Name=Type`). */
const cliTypeNames: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

export interface DevServerOptions {
  cli: string;
  port: number;
  /** The port operators open the Web UI on; omit for a headless server (tests). */
  uiPort?: number;
  namespace: string;
  /** SQLite file; omit for an in-memory server whose cases die with it. */
  dbFile?: string;
  searchAttributes: readonly SearchAttributeKey<SearchAttributeType>[];
  log: Log;
  /** How long to wait for the frontend to accept connections. */
  startTimeoutMs?: number;
  /** The codec server the Web UI decrypts case data with (worker/codec-server.ts). */
  codecEndpoint?: string;
  /** Called as soon as the server is spawned, before it is up (worker/dev/children.ts records it). */
  onSpawn?: (child: ChildProcess) => Promise<void>;
}

export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The SQLite database and the files SQLite keeps beside it, those that exist: 0600. */
async function tightenSqliteFiles(dbFile: string): Promise<void> {
  for (const suffix of ['', '-wal', '-shm', '-journal']) await tightenFile(`${dbFile}${suffix}`);
}

/** `uiPort`: the port the UI itself listens on (the front answers `options.uiPort`). */
export function devServerArgs(options: DevServerOptions, uiPort = options.uiPort): string[] {
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--namespace', options.namespace,
    '--log-format', 'pretty',
    '--log-level', 'warn',
    '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true',
  ];
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  if (uiPort) args.push('--ui-port', String(uiPort), '--ui-disable-news-fetch');
  else args.push('--headless');
  if (uiPort && options.codecEndpoint) args.push('--ui-codec-endpoint', options.codecEndpoint);
  for (const key of options.searchAttributes) {
    args.push('--search-attribute', `${key.name}=${cliTypeNames[key.type]}`);
  }
  return args;
}

/**
 * Starts the dev server and resolves once its frontend accepts connections. Rejects with the
 * server's own last words when it exits early or does not come up in time.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const address = `127.0.0.1:${options.port}`;
  if (await isListening(options.port)) {
    throw new Error(
      `port ${options.port} is already in use (another Temporal server?). ` +
        `Set TEMPORAL_ADDRESS=${address} to use that server, or AFTERCARE_TEMPORAL_PORT to start ours elsewhere.`,
    );
  }
  if (options.uiPort && (await isListening(options.uiPort))) {
    throw new Error(`the Web UI port ${options.uiPort} is already in use: set AFTERCARE_UI_PORT to another port`);
  }
  if (options.dbFile) {
    // The folder first: 0700, nobody else reaches the files the server is about to create.
    await ensurePrivateDir(path.dirname(options.dbFile));
    await tightenSqliteFiles(options.dbFile);
  }

  const innerUiPort = options.uiPort ? await freePort() : undefined;
  const child = spawn(options.cli, devServerArgs(options, innerUiPort), { stdio: ['ignore', 'pipe', 'pipe'] });
  const lastWords = tail(child);
  await options.onSpawn?.(child);
  let exitedEarly = false;
  child.once('exit', () => {
    exitedEarly = true;
  });
  const up = await waitFor(async () => exitedEarly || (await isListening(options.port)), options.startTimeoutMs ?? 60_000, 100);
  if (exitedEarly || !up) {
    await stopChild(child, 'SIGKILL', 1000);
    throw new Error(`the Temporal dev server did not start on ${address}:\n${lastWords() || '(no output)'}`);
  }
  // The server creates the database with the umask's mode (0644 under the usual 022); inside
  // the 0700 folder nobody else could open it meanwhile. SQLite gives its journal and WAL
  // files the database file's mode, so those it creates later are 0600 too.
  if (options.dbFile) await tightenSqliteFiles(options.dbFile);
  let front: RunningWebUiFront | undefined;
  if (options.uiPort && innerUiPort) {
    front = await startWebUiFront({ port: options.uiPort, uiPort: innerUiPort, namespace: options.namespace }).catch(async (error: Error) => {
      await stopChild(child, 'SIGTERM', 15_000);
      throw new Error(`the Web UI could not listen on 127.0.0.1:${options.uiPort} (${error.message}): set AFTERCARE_UI_PORT to another port`);
    });
  }
  return {
    address,
    uiUrl: front?.url,
    child,
    stop: async () => {
      await front?.stop();
      await stopChild(child, 'SIGTERM', 15_000);
    },
  };
}
