/**
 * docker-compose.yml cannot run here (no Docker engine), so its structure is checked against
 * what the worker actually reads: the services and ports the README promises, and only
 * environment variables the worker honours, pointing at services that exist.
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

const compose = parse(fs.readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;
const worker = services.worker as Service;

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

  it('publishes the ports the README documents', () => {
    expect(services.temporal?.ports).toEqual(['7233:7233']);
    expect(services['temporal-ui']?.ports).toEqual(['8233:8080']);
    expect(services['records-db']?.ports).toEqual(['5432:5432']);
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
    for (const volume of Object.keys(compose.volumes)) expect(['temporal-db', 'records-db']).toContain(volume);
  });
});
