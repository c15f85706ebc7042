/**
 * Once per step visit: the case_events row keyed `<idempotencyKey>:<event type>` is both the
 * audit record and the claim. It is inserted first, in the same transaction as the writes it
 * records, with the activity's output. So:
 *  - a retry after a commit (or a replay, or a new worker after a crash) finds the row and
 *    returns the stored output, writing nothing;
 *  - a concurrent attempt blocks on the key until the first commits (then returns its output)
 *    or rolls back (then does the work itself);
 *  - a refusal rolls the claim back with everything else: nothing is written.
 */
import type pg from 'pg';
import type { StepContext } from '../catalog.js';
import { inTransaction } from '../db.js';

export interface Done<T> {
  output: T;
  /** What the audit row says besides the output (the request, the references). */
  detail?: Record<string, unknown>;
  actor?: string;
}

export async function oncePerStep<T>(pool: pg.Pool, context: StepContext, eventType: string, work: (client: pg.PoolClient) => Promise<Done<T>>): Promise<T> {
  const eventKey = `${context.idempotencyKey}:${eventType}`;
  return inTransaction(pool, async (client) => {
    const claimed = await client.query(
      `INSERT INTO case_events (event_key, case_id, step_id, event_type, detail)
       VALUES ($1, $2, $3, $4, '{}'::jsonb) ON CONFLICT (event_key) DO NOTHING RETURNING event_key`,
      [eventKey, context.caseId, context.stepId, eventType],
    );
    if (claimed.rowCount === 0) {
      const previous = await client.query<{ output: T }>(`SELECT detail->'output' AS output FROM case_events WHERE event_key = $1`, [eventKey]);
      return previous.rows[0]?.output as T;
    }
    const done = await work(client);
    await client.query('UPDATE case_events SET detail = $2, actor = $3 WHERE event_key = $1', [
      eventKey,
      JSON.stringify({ ...done.detail, output: done.output }),
      done.actor ?? null,
    ]);
    return done.output;
  });
}
