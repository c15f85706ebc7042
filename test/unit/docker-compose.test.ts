/**
 * docker-compose.yml cannot run here (no Docker engine), so its structure is checked against
 * what the worker actually reads: the services and ports the README promises, and only
 * environment variables the worker honours, pointing at services that exist. Its safety too:
 * every published port is bound to `${AFTERCARE_BIND:-127.0.0.1}`, and no password is written
 * in it — each is a required variable (`${NAME:?...}`) that .env.example lists and .env (git-
 * and docker-ignored) holds. Values are interpolated here as Compose does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { environmentVariables, projectRoot, readConfig } from '../../worker/config.js';

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, unknown>;
}

interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const composeText = fs.readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8');
/** The file as written, before interpolation. */
const raw = parse(composeText) as Compose;

/**
 * Compose's interpolation of one value: `$$` is a dollar, `${NAME}` / `$NAME`, `${NAME:-default}`
 * (unset or empty), `${NAME-default}` (unset), `${NAME:?error}` / `${NAME?error}` (refused).
 */
function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced: string | undefined, colon: string, op: string, arg: string, bare: string | undefined) => {
    if (whole === '$$') return '$';
    const name = (braced ?? bare) as string;
    const current = env[name];
    const missing = current === undefined || (colon === ':' && current === '');
    if (op === '-') return missing ? arg : (current as string);
    if (op === '?') {
      if (missing) throw new Error(`required variable ${name} is missing a value: ${arg}`);
      return current as string;
    }
    return current ?? '';
  });
}

function interpolated<T>(value: T, env: Record<string, string | undefined>): T {
  if (typeof value === 'string') return interpolate(value, env) as T;
  if (Array.isArray(value)) return value.map((item) => interpolated(item, env)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolated(item, env)])) as T;
  return value;
}

/** A `.env` as someone fills in .env.example. */
const filledIn = { TEMPORAL_DB_PASSWORD: 'temporal-secret-1', AFTERCARE_DB_PASSWORD: 'records-secret-2', AFTERCARE_CODEC_KEYS: `prod-1:${Buffer.alloc(32, 7).toString('base64')}` };
const compose = interpolated(raw, filledIn);
const services = compose.services;
const worker = services.worker as Service;

/** The variables the file requires (`${NAME:?...}`), and those it reads at all. */
const required = new Set([...composeText.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):?\?/g)].map((m) => m[1] as string));
const referenced = new Set([...composeText.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string));

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, a PostgreSQL-backed Temporal, the Web UI and the worker', () => {
    expect(Object.keys(services).sort()).toEqual(['records-db', 'temporal', 'temporal-db', 'temporal-ui', 'worker']);
    expect(services.temporal?.image).toMatch(/^temporalio\/auto-setup:/);
    expect(services.temporal?.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'temporal-db' });
    expect(services['temporal-ui']?.image).toMatch(/^temporalio\/ui:/);
    expect(services['temporal-ui']?.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(services['records-db']?.image).toMatch(/^postgres:/);
    expect(worker.build).toBe('.');
  });

  it('publishes the ports the README documents, on 127.0.0.1 unless AFTERCARE_BIND says otherwise', () => {
    expect(services.temporal?.ports).toEqual(['127.0.0.1:7233:7233']);
    expect(services['temporal-ui']?.ports).toEqual(['127.0.0.1:8233:8080']);
    expect(services['records-db']?.ports).toEqual(['127.0.0.1:5432:5432']);
    expect(interpolated(raw, { ...filledIn, AFTERCARE_BIND: '0.0.0.0' }).services['records-db']?.ports).toEqual(['0.0.0.0:5432:5432']);
  });

  it('has no port mapping without the bind address', () => {
    const unbound: string[] = [];
    for (const [name, service] of Object.entries(raw.services)) {
      for (const port of service.ports ?? []) if (!/^\$\{AFTERCARE_BIND:-127\.0\.0\.1\}:\d+:\d+$/.test(String(port))) unbound.push(`${name}: ${String(port)}`);
    }
    expect(unbound).toEqual([]);
    expect(Object.values(raw.services).flatMap((s) => s.ports ?? [])).toHaveLength(3);
  });

  it('writes no password: each is a required variable, and the same one wherever it is used', () => {
    const literal: string[] = [];
    for (const [name, service] of Object.entries(raw.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (/PASSWORD|PWD|SECRET/.test(key) && !/^\$\{[A-Z_]+:\?[^}]+\}$/.test(value)) literal.push(`${name}.${key}: ${value}`);
        // A password inside a URL (user:password@host).
        const inUrl = /^[a-z]+:\/\/[^:/@]+:([^@]*)@/.exec(value)?.[1];
        if (inUrl !== undefined && !/^\$\{[A-Z_]+:\?[^}]+\}$/.test(inUrl)) literal.push(`${name}.${key}: ${value}`);
      }
    }
    expect(literal).toEqual([]);
    // The old hard-coded ones are gone from the whole file, comments included.
    expect(composeText).not.toMatch(/PASSWORD: (temporal|aftercare)\b|PWD: temporal\b|aftercare:aftercare@/);
    expect([...required].sort()).toEqual(['AFTERCARE_CODEC_KEYS', 'AFTERCARE_DB_PASSWORD', 'TEMPORAL_DB_PASSWORD']);
    // Temporal's server and its database agree, and so do the worker and the records database.
    expect(services.temporal?.environment?.POSTGRES_PWD).toBe('temporal-secret-1');
    expect(services['temporal-db']?.environment?.POSTGRES_PASSWORD).toBe('temporal-secret-1');
    expect(services['records-db']?.environment?.POSTGRES_PASSWORD).toBe('records-secret-2');
    expect(new URL(worker.environment?.DATABASE_URL ?? '').password).toBe('records-secret-2');
    // The worker encrypts case data with keys from the environment, never written in the file.
    expect(worker.environment?.AFTERCARE_CODEC_KEYS).toBe(filledIn.AFTERCARE_CODEC_KEYS);
  });

  it('refuses to start without the passwords and the codec keys, saying which one and where to look', () => {
    expect(required.size).toBe(3);
    for (const name of required) {
      const without = { ...filledIn, [name]: undefined };
      expect(() => interpolated(raw, without)).toThrow(`required variable ${name} is missing a value: set ${name} (see .env.example)`);
      expect(() => interpolated(raw, { ...filledIn, [name]: '' })).toThrow(name);
    }
  });

  it('has a .env.example naming every variable the file reads, and keeps .env out of git and of the image', () => {
    const example = fs.readFileSync(path.join(projectRoot, '.env.example'), 'utf8');
    const named = new Set([...example.matchAll(/^#? ?([A-Z_]+)=/gm)].map((m) => m[1] as string));
    expect([...referenced].filter((name) => !named.has(name))).toEqual([]);
    // The passwords are left for the reader to fill in, not given.
    for (const name of required) expect(example).toMatch(new RegExp(`^${name}=$`, 'm'));
    expect(fs.readFileSync(path.join(projectRoot, '.gitignore'), 'utf8')).toMatch(/^\.env$/m);
    expect(fs.readFileSync(path.join(projectRoot, '.dockerignore'), 'utf8')).toMatch(/^\.env$/m);
  });

  it('configures the worker only with variables it reads, pointing at services that exist', () => {
    const env = worker.environment ?? {};
    for (const name of Object.keys(env)) expect(Object.keys(environmentVariables)).toContain(name);
    const config = readConfig(env);
    expect(config.temporalAddress).toBe('temporal:7233');
    expect(Object.keys(services)).toContain(config.temporalAddress?.split(':')[0]);
    const database = new URL(config.databaseUrl ?? '');
    expect(Object.keys(services)).toContain(database.hostname);
    expect(services['records-db']?.environment).toMatchObject({ POSTGRES_USER: database.username, POSTGRES_PASSWORD: database.password, POSTGRES_DB: database.pathname.slice(1) });
    expect(config.taskQueue).toBe('aftercare');
    expect(worker.command).toEqual(['node', 'bin/aftercare.js', 'worker']);
    expect(Object.keys(worker.depends_on ?? {}).sort()).toEqual(['records-db', 'temporal']);
  });

  it('builds the worker image from the Dockerfile, which runs `aftercare worker`', () => {
    const dockerfile = fs.readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^CMD \["node", "bin\/aftercare\.js", "worker"\]$/m);
    for (const volume of Object.keys(raw.volumes)) expect(['temporal-db', 'records-db']).toContain(volume);
  });
});
