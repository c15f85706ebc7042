/** PostgreSQL for the layers that keep records: the pool and transactions (activities, the staff directory). */
import pg from 'pg';

/** A connection pool sized for one worker on a small machine. */
export function createPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 10, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000 });
  // An idle client losing its connection (database restart) must not crash the worker.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Runs `work` in a transaction; commits when it resolves, rolls back when it throws. `begin` is
 * the statement that opens it (a read-only snapshot: `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`).
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
