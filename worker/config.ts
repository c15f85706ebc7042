/**
 * Everything the worker, the dev environment and the CLI read from the environment, in one
 * place, so that README, docker-compose.yml and code cannot disagree about a variable's name.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root: this file lives in `worker/`, or in `dist/worker/` once compiled ahead (bin/compile.js). */
export const projectRoot = path.resolve(here, path.basename(path.dirname(here)) === 'dist' ? '../..' : '..');

/** The environment variables Aftercare honours, with what each one does. */
export const environmentVariables = {
  TEMPORAL_ADDRESS: 'host:port of a Temporal frontend; when unset, `aftercare dev` starts a local dev server',
  TEMPORAL_NAMESPACE: 'Temporal namespace of the cases (default "default")',
  AFTERCARE_TASK_QUEUE: 'task queue the worker polls and cases are started on (default "aftercare")',
  DATABASE_URL: 'PostgreSQL connection string; when unset, an embedded PostgreSQL is started',
  AFTERCARE_DEFINITIONS: 'folder of process definitions and calendars (default "definitions")',
  AFTERCARE_DATA_DIR: 'where the dev environment keeps its SQLite file and PostgreSQL data (default ".data")',
  AFTERCARE_TEMPORAL_PORT: 'gRPC port of the local dev server (default 7233)',
  AFTERCARE_UI_PORT: 'port of the local Temporal Web UI (default 8233)',
  AFTERCARE_POSTGRES_PORT: 'port of the embedded PostgreSQL (default 54329)',
  AFTERCARE_TOOLS_DIR: 'where the pinned Temporal binaries are installed (default ".tools")',
  AFTERCARE_CODEC_KEYS: 'the keys that encrypt case data in Temporal, `id:base64key` separated by commas, the first one encrypting (docs/operators.md); overrides the key file',
  AFTERCARE_CODEC_KEYS_FILE: 'a file holding the keys, one `id:base64key` per line (default "<data dir>/codec-keys", which `aftercare dev` creates)',
  AFTERCARE_CODEC_TOKENS: 'bearer tokens the codec server accepts, separated by commas (the Web UI on the dev setup needs none)',
  AFTERCARE_CODEC_PORT: 'port of the codec server that decrypts case data for the Web UI (default 8234)',
  AFTERCARE_ACTOR_KEYS_FILE: 'the key set that signs actor assertions (docs/operators.md; default "<data dir>/actor-keys.json", which `aftercare dev` creates); services that act for people need it, cases carry its public keys',
  AFTERCARE_IDENTITY_JWKS_URL: 'the JWKS URL of the company\'s identity provider, whose tokens (JWT) prove who a person is',
  AFTERCARE_IDENTITY_PUBLIC_KEY: 'or its public key: PEM (SPKI) or a JWK / JWK set as JSON',
  AFTERCARE_IDENTITY_PUBLIC_KEY_FILE: 'or a file holding that key',
  AFTERCARE_IDENTITY_ISSUER: 'the issuer (`iss`) tokens must have',
  AFTERCARE_IDENTITY_AUDIENCE: 'the audience (`aud`) tokens must have',
  AFTERCARE_IDENTITY_SUBJECT_CLAIM: 'the token claim holding the person\'s directory id (default "sub")',
  AFTERCARE_DEV_IDENTITY_KEY_FILE: 'without an identity provider: the local dev key that stands in for one (default "<data dir>/dev-identity-key.json", which `aftercare dev` creates; never for production)',
  AFTERCARE_TOKEN: 'the CLI: the token of the person typing (from the identity provider); on the dev setup `--as <person>` signs one with the dev key',
  AFTERCARE_TIME_ZONE: 'the company\'s time zone (IANA name, e.g. Asia/Shanghai) for the times people read, report months included (default: the zone of the processes\' calendars; UTC when they name none)',
} as const;

export type EnvironmentVariable = keyof typeof environmentVariables;

export interface AftercareConfig {
  temporalAddress: string | undefined;
  namespace: string;
  taskQueue: string;
  databaseUrl: string | undefined;
  definitionsDir: string;
  dataDir: string;
  temporalPort: number;
  uiPort: number;
  postgresPort: number;
  toolsDir: string;
  /** The key set, as given in AFTERCARE_CODEC_KEYS (parsed by worker/codec-keys.ts). */
  codecKeys: string | undefined;
  codecKeysFile: string;
  codecTokens: string[];
  codecPort: number;
  actorKeysFile: string;
  identity: { jwksUrl?: string; publicKey?: string; publicKeyFile?: string; issuer?: string; audience?: string; subjectClaim?: string };
  devIdentityKeyFile: string;
  token: string | undefined;
  /** AFTERCARE_TIME_ZONE, checked; undefined: the processes' calendars decide (worker/time-zone.ts). */
  timeZone: string | undefined;
}

function port(env: NodeJS.ProcessEnv, name: EnvironmentVariable, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name}=${raw} is not a TCP port: give a whole number between 1 and 65535`);
  }
  return value;
}

/** Whether `zone` is an IANA time zone name this Node knows (`Asia/Shanghai`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function timeZone(env: NodeJS.ProcessEnv): string | undefined {
  const zone = nonEmpty(env, 'AFTERCARE_TIME_ZONE');
  if (zone !== undefined && !isTimeZone(zone)) throw new Error(`AFTERCARE_TIME_ZONE=${zone} is not a time zone: give an IANA name such as Asia/Shanghai or UTC`);
  return zone;
}

function nonEmpty(env: NodeJS.ProcessEnv, name: EnvironmentVariable): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function definedOnly<T extends Record<string, string | undefined>>(values: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: string };
}

/** Reads the configuration from `env` (defaults to `process.env`). Throws on malformed values. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): AftercareConfig {
  const fromRoot = (p: string) => path.resolve(projectRoot, p);
  return {
    temporalAddress: nonEmpty(env, 'TEMPORAL_ADDRESS'),
    namespace: nonEmpty(env, 'TEMPORAL_NAMESPACE') ?? 'default',
    taskQueue: nonEmpty(env, 'AFTERCARE_TASK_QUEUE') ?? 'aftercare',
    databaseUrl: nonEmpty(env, 'DATABASE_URL'),
    definitionsDir: fromRoot(nonEmpty(env, 'AFTERCARE_DEFINITIONS') ?? 'definitions'),
    dataDir: fromRoot(nonEmpty(env, 'AFTERCARE_DATA_DIR') ?? '.data'),
    temporalPort: port(env, 'AFTERCARE_TEMPORAL_PORT', 7233),
    uiPort: port(env, 'AFTERCARE_UI_PORT', 8233),
    postgresPort: port(env, 'AFTERCARE_POSTGRES_PORT', 54329),
    toolsDir: fromRoot(nonEmpty(env, 'AFTERCARE_TOOLS_DIR') ?? '.tools'),
    codecKeys: nonEmpty(env, 'AFTERCARE_CODEC_KEYS'),
    codecKeysFile: path.resolve(fromRoot(nonEmpty(env, 'AFTERCARE_DATA_DIR') ?? '.data'), nonEmpty(env, 'AFTERCARE_CODEC_KEYS_FILE') ?? 'codec-keys'),
    codecTokens: (nonEmpty(env, 'AFTERCARE_CODEC_TOKENS') ?? '').split(',').map((t) => t.trim()).filter((t) => t !== ''),
    codecPort: port(env, 'AFTERCARE_CODEC_PORT', 8234),
    actorKeysFile: path.resolve(fromRoot(nonEmpty(env, 'AFTERCARE_DATA_DIR') ?? '.data'), nonEmpty(env, 'AFTERCARE_ACTOR_KEYS_FILE') ?? 'actor-keys.json'),
    identity: definedOnly({
      jwksUrl: nonEmpty(env, 'AFTERCARE_IDENTITY_JWKS_URL'),
      publicKey: nonEmpty(env, 'AFTERCARE_IDENTITY_PUBLIC_KEY'),
      publicKeyFile: nonEmpty(env, 'AFTERCARE_IDENTITY_PUBLIC_KEY_FILE'),
      issuer: nonEmpty(env, 'AFTERCARE_IDENTITY_ISSUER'),
      audience: nonEmpty(env, 'AFTERCARE_IDENTITY_AUDIENCE'),
      subjectClaim: nonEmpty(env, 'AFTERCARE_IDENTITY_SUBJECT_CLAIM'),
    }),
    devIdentityKeyFile: path.resolve(fromRoot(nonEmpty(env, 'AFTERCARE_DATA_DIR') ?? '.data'), nonEmpty(env, 'AFTERCARE_DEV_IDENTITY_KEY_FILE') ?? 'dev-identity-key.json'),
    token: nonEmpty(env, 'AFTERCARE_TOKEN'),
    timeZone: timeZone(env),
  };
}
