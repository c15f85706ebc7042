/**
 * Once per step visit: the shape every activity that writes records shares.
 *
 * The audit row in `case_events` is written under `<idempotencyKey>:<event type>` in the same
 * transaction as the record itself, and carries the activity's result. A second run with the
 * same key (a retry after a timeout, a crash after the commit) finds that row and returns the
 * stored result without writing anything. A transaction-scoped advisory lock on the key makes
 * an attempt that overlaps a still-running earlier one wait for it instead of racing it.
 * The records' own unique keys (case id, step key) are a second line of defence.
 */
import type pg from 'pg';
import type { StepContext } from '../model/activity-catalog/index.js';
import { inTransaction } from '../database/postgres.js';
import { invalidInput } from './errors.js';

export interface Done<T> {
  result: T;
  /** What the audit trail should say besides the result. */
  detail?: Record<string, unknown>;
  actor?: string;
}

function checkContext(activity: string, context: StepContext): void {
  const ok = typeof context === 'object' && context !== null && typeof context.caseId === 'string' && context.caseId !== ''
    && typeof context.idempotencyKey === 'string' && context.idempotencyKey !== '' && typeof context.stepId === 'string';
  if (!ok) throw invalidInput(activity, 'the step context (caseId, stepId, idempotencyKey) is missing: activities are called by the engine with it');
}

export async function once<T>(pool: pg.Pool, activity: string, context: StepContext, eventType: string, work: (client: pg.PoolClient) => Promise<Done<T>>): Promise<T> {
  checkContext(activity, context);
  const eventKey = `${context.idempotencyKey}:${eventType}`;
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [eventKey]);
    const earlier = await client.query<{ result: T }>(`SELECT detail -> 'result' AS result FROM case_events WHERE event_key = $1`, [eventKey]);
    if (earlier.rows[0]) return earlier.rows[0].result;
    const done = await work(client);
    await client.query(
      `INSERT INTO case_events (event_key, case_id, step_id, event_type, actor, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
      [eventKey, context.caseId, context.stepId, eventType, done.actor ?? null, JSON.stringify({ activity, ...done.detail, result: done.result })],
    );
    return done.result;
  });
}

/** An ISO timestamp from PostgreSQL's timestamptz (pg gives a Date). */
export function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
