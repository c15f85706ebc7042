/**
 * What `aftercare dev` keeps on disk is private to its owner: the Temporal dev server's SQLite
 * file and the embedded PostgreSQL's data, in the data folder (`.data`), are created 0700
 * (folders) and 0600 (files), and a data folder an earlier setup left with wider modes is
 * tightened on the next start. The dev Web UI starts with its news feed off.
 *
 * Runs the real dev setup (worker/services.ts: dev server with its Web UI, embedded PostgreSQL,
 * migrations) twice on a data folder of its own.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { readConfig, type AftercareConfig } from '../../worker/config.js';
import { freePort } from '../../worker/dev/ports.js';
import { startServices } from '../../worker/services.js';
import { uniqueName } from '../helpers/env.js';

const underRoot = process.getuid?.() === 0;

/** Every file and folder under `root`, with its permission bits and group. */
async function modes(root: string): Promise<{ path: string; directory: boolean; mode: number; gid: number }[]> {
  const found: { path: string; directory: boolean; mode: number; gid: number }[] = [];
  const visit = async (p: string) => {
    // A running server's transient files (SQLite's journal) may be gone by the time they are looked at.
    const stat = await fs.lstat(p).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (!stat || stat.isSymbolicLink()) return;
    found.push({ path: path.relative(root, p) || '.', directory: stat.isDirectory(), mode: stat.mode & 0o777, gid: stat.gid });
    if (stat.isDirectory()) for (const entry of await fs.readdir(p)) await visit(path.join(p, entry));
  };
  await visit(root);
  return found;
}

/** The modes that are not private: anything for others, and for the group anything but passing through the data folder under root. */
async function notPrivate(dataDir: string): Promise<string[]> {
  const postgresGid = underRoot ? Number(execFileSync('id', ['-g', 'postgres']).toString().trim()) : undefined;
  return (await modes(dataDir))
    .filter((entry) => {
      // Under root PostgreSQL runs as `postgres`, which must pass through the data folder to its own.
      if (entry.path === '.' && underRoot) return !(entry.mode === 0o710 && entry.gid === postgresGid);
      return (entry.mode & 0o077) !== 0;
    })
    .map((entry) => `${entry.path} ${entry.mode.toString(8)}`);
}

async function devSetup(dataDir: string): Promise<{ config: AftercareConfig; stop(): Promise<void> }> {
  const config: AftercareConfig = {
    ...readConfig(),
    temporalAddress: undefined,
    databaseUrl: undefined,
    dataDir,
    temporalPort: await freePort(),
    uiPort: await freePort(),
    postgresPort: await freePort(),
  };
  const services = await startServices(config, () => undefined);
  return { config, stop: () => services.stop() };
}

describe('the dev setup’s data files', () => {
  it('are created private, made private again when an earlier setup left them wider, and the Web UI fetches no news', { timeout: 180_000 }, async () => {
    const dataDir = path.join(inject('scratchDir'), uniqueName('data'), '.data');

    const first = await devSetup(dataDir);
    try {
      expect(await notPrivate(dataDir)).toEqual([]);
      expect((await fs.stat(path.join(dataDir, 'temporal.sqlite'))).mode & 0o777).toBe(0o600);
      expect((await fs.stat(path.join(dataDir, 'postgres'))).mode & 0o777).toBe(0o700);
      expect((await fs.stat(path.join(dataDir, 'postgres', 'PG_VERSION'))).mode & 0o777).toBe(0o600);
    } finally {
      await first.stop();
    }

    // An earlier setup, or a hand, left everything readable by all.
    const entries = await modes(dataDir);
    for (const entry of entries) await fs.chmod(path.join(dataDir, entry.path), entry.directory ? 0o755 : 0o644);
    expect((await notPrivate(dataDir)).length).toBe(entries.length);

    const second = await devSetup(dataDir);
    try {
      expect(await notPrivate(dataDir)).toEqual([]);
      expect((await fs.stat(path.join(dataDir, 'temporal.sqlite'))).mode & 0o777).toBe(0o600);
      expect((await fs.stat(path.join(dataDir, 'postgres'))).mode & 0o777).toBe(0o700);
      // The Web UI's settings, as the browser reads them: the news feed is off.
      const settings = (await (await fetch(`http://127.0.0.1:${second.config.uiPort}/api/v1/settings`)).json()) as { DisableNewsFetch?: boolean };
      expect(settings.DisableNewsFetch).toBe(true);
    } finally {
      await second.stop();
    }
    expect(await notPrivate(dataDir)).toEqual([]);
  });
});
