/**
 * A local Temporal service: `temporal server start-dev`, a complete single-process Temporal
 * with SQLite persistence and the Web UI, with Aftercare's search attributes registered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes.js';
import { stopChild, tail } from './child-process.js';
import { isListening, waitFor } from './ports.js';
import type { Log } from './temporal-binaries.js';

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
  /** Web UI port; omit for a headless server (tests). */
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
}

export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function devServerArgs(options: DevServerOptions): string[] {
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
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  if (options.uiPort && options.codecEndpoint) args.push('--ui-codec-endpoint', options.codecEndpoint);
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
  if (options.dbFile) await fs.mkdir(path.dirname(options.dbFile), { recursive: true });

  const child = spawn(options.cli, devServerArgs(options), { stdio: ['ignore', 'pipe', 'pipe'] });
  const lastWords = tail(child);
  let exitedEarly = false;
  child.once('exit', () => {
    exitedEarly = true;
  });
  const up = await waitFor(async () => exitedEarly || (await isListening(options.port)), options.startTimeoutMs ?? 60_000, 100);
  if (exitedEarly || !up) {
    await stopChild(child, 'SIGKILL', 1000);
    throw new Error(`the Temporal dev server did not start on ${address}:\n${lastWords() || '(no output)'}`);
  }
  return {
    address,
    uiUrl: options.uiPort ? `http://localhost:${options.uiPort}` : undefined,
    child,
    stop: () => stopChild(child, 'SIGTERM', 15_000),
  };
}
