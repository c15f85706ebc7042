/**
 * What a database error means for a retry, with errors a real PostgreSQL (and a real closed
 * port) gives: an outage is retried as `DatabaseUnavailable`, refused data fails at once as
 * `InvalidData`, and an activity defined with `defineActivity` fails that way.
 */
import { ApplicationFailure } from '@temporalio/activity';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asActivityFailure, classifyDatabaseError } from '../../activities/database-errors.js';
import { createPool } from '../../database/postgres.js';
import { recordCase } from '../../activities/case-records.js';
import { freePort } from '../../worker/dev/ports.js';
import { testDatabase, uniqueName, type TestDatabase } from '../helpers/env.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => {
  await db?.close();
});

async function errorOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the work to fail');
}

/** A pool on a port nothing listens on: the database is down. */
async function downPool(): Promise<pg.Pool> {
  return createPool(`postgres://postgres:x@127.0.0.1:${await freePort()}/none`);
}

describe('a database error, classified', () => {
  it('is an outage when the server cannot be reached', async () => {
    const pool = await downPool();
    const error = await errorOf(() => pool.query('SELECT 1'));
    await pool.end();
    expect(classifyDatabaseError(error)).toBe('unavailable');
  });

  it('is an outage when the server shuts the connection (57P01) or a transaction loses a serialization race', async () => {
    const victim = new pg.Client({ connectionString: db.url });
    await victim.connect();
    victim.on('error', () => undefined);
    const pid = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const dying = errorOf(() => victim.query('SELECT pg_sleep(10)'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    expect(classifyDatabaseError(await dying)).toBe('unavailable');
    await victim.end().catch(() => undefined);
    const serialization = await errorOf(() => db.pool.query("DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '40001'; END $$"));
    expect(classifyDatabaseError(serialization)).toBe('unavailable');
  });

  it('is refused data for a bad value (22xxx) and a broken check (23514), but not for a unique key a retry can find (23505)', async () => {
    expect(classifyDatabaseError(await errorOf(() => db.pool.query("SELECT 'x'::integer")))).toBe('invalid-data');
    expect(classifyDatabaseError(await errorOf(() => db.pool.query("INSERT INTO cases (case_id, process, version) VALUES ('c', 'p', 0)")))).toBe('invalid-data');
    await db.pool.query("INSERT INTO cases (case_id, process, version) VALUES ('dup', 'p', 1)");
    expect(classifyDatabaseError(await errorOf(() => db.pool.query("INSERT INTO cases (case_id, process, version) VALUES ('dup', 'p', 1)")))).toBe('other');
  });

  it('leaves an application failure and a plain bug as they were', () => {
    const refusal = ApplicationFailure.nonRetryable('no', 'BusinessRuleViolation');
    expect(asActivityFailure('a', refusal)).toBe(refusal);
    const bug = new TypeError('x is undefined');
    expect(asActivityFailure('a', bug)).toBe(bug);
  });
});

describe('an activity while the database is down', () => {
  it('fails retryably, typed DatabaseUnavailable, naming the activity and the cause', async () => {
    const pool = await downPool();
    const caseId = uniqueName('C');
    const error = await errorOf(() =>
      recordCase(pool)({ caseId, process: 'complaint', version: 1, stepId: 'record', visit: 1, idempotencyKey: `${caseId}:record:1` }, { customer: { id: 'M-1', name: 'Wang Li' }, summary: 's' }),
    );
    await pool.end();
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: 'DatabaseUnavailable', nonRetryable: false });
    expect((error as Error).message).toMatch(/^record-case: the database is unavailable \(.*\); retrying$/);
  });
});
