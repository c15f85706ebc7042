/** Shared pieces of the command line: argument parsing, JSON input, connecting the client. */
import fs from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AftercareClient } from '../client/index.js';
import type { ActAs } from '../client/acting.js';
import { configuredCodec } from '../worker/codec-keys.js';
import { readConfig } from '../worker/config.js';

/** A command: takes its arguments, returns the exit status (0 ok, 1 failed, 2 misused). */
export type Command = (argv: string[]) => Promise<number>;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<T extends Options>(argv: string[], options: T, help: string) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${help}`);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(help);
    process.exit(0);
  }
  return parsed;
}

/** JSON given inline, or `@path` to read it from a file. */
export async function readJson(text: string, what: string): Promise<unknown> {
  const source = text.startsWith('@') ? await fs.readFile(text.slice(1), 'utf8') : text;
  try {
    return JSON.parse(source);
  } catch (error) {
    throw new UsageError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

/**
 * The client, connected to TEMPORAL_ADDRESS (default: the dev server `npm start` runs). With
 * `acting`, it can act for people: it verifies their tokens and reads the staff directory
 * (DATABASE_URL, or the embedded PostgreSQL).
 */
export async function connectClient(options: { acting?: boolean } = {}): Promise<{ client: AftercareClient; close(): Promise<void> }> {
  const config = readConfig();
  // The keys of the worker (AFTERCARE_CODEC_KEYS, or the key file `aftercare dev` created).
  const payloadCodec = await configuredCodec(config);
  // Imported here: signing and the database cost start-up time that reading a case does not need.
  const { configuredActing, configuredTrustedKeys } = await import('../worker/acting.js');
  const { createPool } = await import('../database/postgres.js');
  const { embeddedDatabaseUrl } = await import('../reports/database.js');
  const pool = options.acting ? createPool(config.databaseUrl ?? embeddedDatabaseUrl(config)) : undefined;
  const acting = pool ? await configuredActing(config, pool) : undefined;
  if (typeof acting === 'string') {
    await pool?.end();
    throw new Error(`cannot act for anyone: ${acting}`);
  }
  const trustedKeys = acting ? undefined : await configuredTrustedKeys(config);
  const client = await AftercareClient.connect({
    address: config.temporalAddress ?? `127.0.0.1:${config.temporalPort}`,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    definitionsDir: config.definitionsDir,
    ...(payloadCodec ? { payloadCodec } : {}),
    ...(acting ? { acting } : {}),
    ...(trustedKeys ? { trustedKeys } : {}),
  }).catch(async (error: unknown) => {
    await pool?.end();
    throw error;
  });
  return {
    client,
    async close() {
      await client.close();
      await pool?.end();
    },
  };
}

/** Runs `work` with a connected client, closing it afterwards. */
export async function withClient<T>(work: (client: AftercareClient) => Promise<T>, options: { acting?: boolean } = {}): Promise<T> {
  const { client, close } = await connectClient(options);
  try {
    return await work(client);
  } finally {
    await close();
  }
}

/** The options that say who is typing: `--as` (the dev setup) or AFTERCARE_TOKEN, and the role. */
export const actingOptions = {
  as: { type: 'string' },
  actor: { type: 'string' },
  role: { type: 'string' },
} as const;

/**
 * The person typing: their token from AFTERCARE_TOKEN (what the company's identity provider
 * gave them), or on the dev setup `--as <person>`, signed with the local dev identity key. The
 * role is a choice among the roles the directory gives them, not a claim.
 */
export async function actingPerson(values: { as?: string; actor?: string; role?: string }): Promise<ActAs> {
  const config = readConfig();
  const as = values.as ?? values.actor;
  let token = config.token;
  if (as !== undefined) {
    const { devIdentityKey } = await import('../worker/acting.js');
    const { devToken } = await import('../client/identity.js');
    const key = await devIdentityKey(config);
    if (!key) {
      throw new UsageError(
        config.token
          ? '--as is for the dev setup; with an identity provider, AFTERCARE_TOKEN already says who you are: leave out --as'
          : `--as needs the local dev identity key (${config.devIdentityKeyFile}, made by \`npm start\`); with an identity provider, set AFTERCARE_TOKEN to your token`,
      );
    }
    token = devToken(key, as, { lifetimeSeconds: 300 });
  }
  if (!token) throw new UsageError('say who you are: set AFTERCARE_TOKEN to the token your identity provider gave you, or on the dev setup give --as PERSON (a person of the staff directory: `npx aftercare staff list`)');
  return { token, ...(values.role ? { role: values.role } : {}) };
}

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

/** The longest wait a case takes (workflows/messages.ts MAX_WAIT_MS: 10 minutes). */
const MAX_TIMEOUT_MS = 600_000;

/** `--timeout 30s`, `2m`, `1500ms`, or seconds as a bare number: milliseconds, at most 10 minutes. */
export function timeoutMs(text: string | undefined, fallbackMs = 30_000): number {
  if (text === undefined) return fallbackMs;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min)?$/.exec(text.trim());
  const ms = match ? Math.round(Number(match[1]) * ({ ms: 1, s: 1000, m: 60_000, min: 60_000 }[match[2] ?? 's'] ?? 1000)) : NaN;
  if (!Number.isFinite(ms) || ms < 1 || ms > MAX_TIMEOUT_MS) throw new UsageError(`--timeout takes a time from 1ms to 10m (30s, 2m, 1500ms), not \`${text}\``);
  return ms;
}
