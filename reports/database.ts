/**
 * Where the reports read from: DATABASE_URL, or else the embedded PostgreSQL that `npm start`
 * runs on this machine, with a message that says how to start it when it is not running.
 */
import pg from 'pg';
import type { AftercareConfig } from '../worker/config.js';
import { embeddedPostgresUrl } from '../worker/dev/embedded-postgres.js';

/** The database `npm start` creates on the embedded server (see worker/services.ts). */
export function embeddedDatabaseUrl(config: Pick<AftercareConfig, 'postgresPort'>): string {
  return embeddedPostgresUrl(config.postgresPort, 'aftercare');
}

/** A pool or one client: the reports run a few read-only queries. */
export type Queryable = pg.Pool | pg.ClientBase;

export class ReportDatabaseError extends Error {
  override readonly name = 'ReportDatabaseError';
}

/** Connects to the records database; throws a ReportDatabaseError that says what to do. */
export async function connectForReports(config: Pick<AftercareConfig, 'databaseUrl' | 'postgresPort'>): Promise<pg.Client> {
  const url = config.databaseUrl ?? embeddedDatabaseUrl(config);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    const reason = (error as Error).message || String(error);
    if (config.databaseUrl) throw new ReportDatabaseError(`cannot connect to the PostgreSQL at DATABASE_URL (${reason}): check that it is running and the URL is right`);
    throw new ReportDatabaseError(
      `the embedded PostgreSQL is not running on 127.0.0.1:${config.postgresPort} (${reason}): start it with \`npm start\` (or \`npx aftercare dev\`) in another terminal, or set DATABASE_URL to your PostgreSQL`,
    );
  }
  const migrated = await client.query<{ t: string | null }>(`SELECT to_regclass('sla_events')::text AS t`);
  if (!migrated.rows[0]?.t) {
    await client.end().catch(() => undefined);
    throw new ReportDatabaseError('the database has no records tables yet: run `npx aftercare migrate` (with DATABASE_URL) or start `npm start`, which migrates');
  }
  return client;
}

/** Whether a table exists (the parts ledger's tables come with its own migration). */
export async function hasTable(client: Queryable, table: string): Promise<boolean> {
  return (await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table])).rows[0]?.t != null;
}

/** A percentage with one decimal, or null when there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}
