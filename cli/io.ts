/** Shared pieces of the command line: argument parsing, JSON input, connecting the client. */
import fs from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { AftercareClient } from '../client/index.js';
import type { ActAs } from '../client/acting.js';

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
 * (DATABASE_URL, or the embedded PostgreSQL). With `definitions: false` it loads no process
 * definitions (parsing and checking every YAML file costs more CPU than the command): for
 * commands that only read or signal a case, whose definition travels with it.
 */
export async function connectClient(options: { acting?: boolean; definitions?: boolean } = {}): Promise<{ client: AftercareClient; close(): Promise<void> }> {
  // Imported here, not at the top: a command's --help and usage errors need no Temporal client.
  const [{ AftercareClient }, { configuredCodec }, { readConfig }] = await Promise.all([import('../client/index.js'), import('../worker/codec-keys.js'), import('../worker/config.js')]);
  const config = readConfig();
  // The keys of the worker (AFTERCARE_CODEC_KEYS, or the key file `aftercare dev` created).
  const payloadCodec = await configuredCodec(config);
  const address = config.temporalAddress ?? `127.0.0.1:${config.temporalPort}`;
  await ensureReachable(address, config.temporalAddress !== undefined);
  // Signing and the database cost start-up time that reading a case does not need.
  const [{ configuredActing, configuredTrustedKeys }, { createPool }, { embeddedDatabaseUrl }] = await Promise.all([import('../worker/acting.js'), import('../database/postgres.js'), import('../reports/database.js')]);
  const pool = options.acting ? createPool(config.databaseUrl ?? embeddedDatabaseUrl(config)) : undefined;
  const acting = pool ? await configuredActing(config, pool) : undefined;
  if (typeof acting === 'string') {
    await pool?.end();
    throw new Error(`cannot act for anyone: ${acting}`);
  }
  const trustedKeys = acting ? undefined : await configuredTrustedKeys(config);
  const signing = { ...(acting ? { acting } : {}), ...(trustedKeys ? { trustedKeys } : {}) };
  let client: AftercareClient;
  try {
    if (options.definitions === false) {
      const [{ Client, Connection }, { DefinitionRegistry }] = await Promise.all([import('@temporalio/client'), import('../dsl/load/registry.js')]);
      const connection = await Connection.connect({ address });
      const temporal = new Client({ connection, namespace: config.namespace, ...(payloadCodec ? { dataConverter: { payloadCodecs: [payloadCodec] } } : {}) });
      client = new AftercareClient(temporal, new DefinitionRegistry([]), { taskQueue: config.taskQueue, ...signing });
    } else {
      client = await AftercareClient.connect({
        address,
        namespace: config.namespace,
        taskQueue: config.taskQueue,
        definitionsDir: config.definitionsDir,
        ...(payloadCodec ? { payloadCodec } : {}),
        ...signing,
      });
    }
  } catch (error) {
    await pool?.end();
    throw error;
  }
  return {
    client,
    async close() {
      await client.close();
      await pool?.end();
    },
  };
}

/**
 * Nothing listening at the Temporal address: one sentence that says what to start, the same for
 * every command (the reports and `staff` say it so of PostgreSQL), at once rather than after the
 * client's 10 s connect deadline.
 */
async function ensureReachable(address: string, configured: boolean): Promise<void> {
  const { isListening } = await import('../worker/dev/ports.js');
  const at = address.lastIndexOf(':');
  const host = at > 0 ? address.slice(0, at).replace(/^\[|\]$/g, '') : address;
  const port = at > 0 ? Number(address.slice(at + 1)) : 7233;
  if (await isListening(port, host, 3000)) return;
  throw new NotRunningError(
    configured
      ? `cannot connect to the Temporal at TEMPORAL_ADDRESS (${address}): check that it is running and the address is right`
      : `Temporal is not running on ${address}: start it with \`npm start\` (or \`npx aftercare dev\`) in another terminal, or set TEMPORAL_ADDRESS to your Temporal`,
  );
}

/** A service the command needs is not running: said as one sentence, exit status 1. */
export class NotRunningError extends Error {
  override readonly name = 'NotRunningError';
}

/** The zone people read times in: AFTERCARE_TIME_ZONE, or the processes' calendar zone (worker/time-zone.ts); UTC if they disagree. */
export async function readerTimeZone(): Promise<string> {
  const [{ readConfig }, { companyTimeZone }] = await Promise.all([import('../worker/config.js'), import('../worker/time-zone.js')]);
  return companyTimeZone(readConfig()).catch(() => 'UTC');
}

/** An ISO instant as a person in `timeZone` reads it (`2026-12-03 22:27 UTC+8`); `--json` keeps the ISO text. */
export async function localTimes(): Promise<(iso: string | undefined) => string | undefined> {
  const [timeZone, { formatLocalTime }] = await Promise.all([readerTimeZone(), import('../dsl/calendar/local-time.js')]);
  return (iso) => {
    if (iso === undefined) return undefined;
    const instant = Date.parse(iso);
    return Number.isNaN(instant) ? iso : formatLocalTime(instant, timeZone);
  };
}

/** Runs `work` with a connected client, closing it afterwards. */
export async function withClient<T>(work: (client: AftercareClient) => Promise<T>, options: { acting?: boolean; definitions?: boolean } = {}): Promise<T> {
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
  const { readConfig } = await import('../worker/config.js');
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
