/**
 * Schema migrations: versioned SQL files in `migrations/`, applied in order at worker start,
 * each in its own transaction, recorded with a checksum. Safe to run twice and from several
 * workers at once (an advisory lock serialises them). Editing a migration that was already
 * applied is refused: write a new one.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { projectRoot } from './config.js';

export const migrationsDir = path.join(projectRoot, 'migrations');

export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir = migrationsDir): Promise<Migration[]> {
  const files = (await fs.readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const sql = await fs.readFile(path.join(dir, file), 'utf8');
      return { version: file.slice(0, 4), name: file.replace(/\.sql$/, ''), sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/** Applies the pending migrations; returns the names it applied (empty when up to date). */
export async function migrate(pool: pg.Pool, log: (message: string) => void = () => {}, dir = migrationsDir): Promise<string[]> {
  const migrations = await readMigrations(dir);
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query("SELECT pg_advisory_lock(hashtext('aftercare-migrations'))");
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Map((await client.query<{ version: string; checksum: string; name: string }>('SELECT version, name, checksum FROM schema_migrations')).rows.map((r) => [r.version, r]));
    for (const migration of migrations) {
      const previous = done.get(migration.version);
      if (previous) {
        if (previous.checksum !== migration.checksum) {
          throw new Error(`migration ${migration.name} was changed after it was applied (checksum differs); add a new migration instead of editing it`);
        }
        continue;
      }
      try {
        await client.query('BEGIN');
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [migration.version, migration.name, migration.checksum]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${migration.name} failed and was rolled back: ${(error as Error).message}`);
      }
      applied.push(migration.name);
      log(`applied migration ${migration.name}`);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext('aftercare-migrations'))").catch(() => undefined);
    client.release();
  }
  return applied;
}
