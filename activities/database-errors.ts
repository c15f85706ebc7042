/**
 * What a database error means for a retry. An outage — the server down or restarting, the
 * connection lost, a timeout, a transaction that lost a serialization race or a deadlock — is
 * waited out: the activity fails retryably with the type `DatabaseUnavailable`, and Temporal
 * retries it as the step's policy says (by default for a day). Data the database refuses — a
 * value out of range, a broken constraint — is not fixed by retrying: it fails at once,
 * non-retryably, as `InvalidData`. Anything else is left as it was (retryable).
 *
 * SQLSTATE classes: https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
import { ApplicationFailure } from '@temporalio/activity';

/** Node's socket errors when the server cannot be reached or the connection drops. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** pg's own messages for a connection that failed or went away (these carry no code). */
const PG_CONNECTION_MESSAGES = [/connection terminated/i, /timeout exceeded when trying to connect/i, /not queryable/i, /connection error/i];

export type DatabaseErrorKind = 'unavailable' | 'invalid-data' | 'other';

export function classifyDatabaseError(error: unknown): DatabaseErrorKind {
  if (!(error instanceof Error)) return 'other';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (UNREACHABLE.has(code)) return 'unavailable';
    // 08 connection exception, 53 insufficient resources, 57P01-57P03 shutdown / starting up,
    // 58 system error, 40001 serialization failure, 40P01 deadlock, 55P03 lock not available.
    if (/^(08|53|58)/.test(code) || /^57P0[123]$/.test(code) || code === '40001' || code === '40P01' || code === '55P03') return 'unavailable';
    // 22 data exception; 23 integrity violation except a unique violation (a concurrent
    // attempt can race to the same key, and the retry finds the row); P0001 a trigger's refusal.
    if (/^22/.test(code) || (/^23/.test(code) && code !== '23505') || code === 'P0001') return 'invalid-data';
  }
  if (error instanceof AggregateError && error.errors.some((inner) => classifyDatabaseError(inner) === 'unavailable')) return 'unavailable';
  if (PG_CONNECTION_MESSAGES.some((pattern) => pattern.test(error.message))) return 'unavailable';
  return 'other';
}

/** The error as the activity's failure: typed for operators, retryable only when a retry can help. */
export function asActivityFailure(activity: string, error: unknown): unknown {
  if (error instanceof ApplicationFailure) return error;
  const kind = classifyDatabaseError(error);
  if (kind === 'other') return error;
  const message = error instanceof Error ? error.message || String((error as { code?: unknown }).code ?? error.name) : String(error);
  if (kind === 'unavailable') {
    return ApplicationFailure.create({ type: 'DatabaseUnavailable', message: `${activity}: the database is unavailable (${message}); retrying`, cause: error as Error });
  }
  return ApplicationFailure.create({ type: 'InvalidData', message: `${activity}: the database refused the data: ${message}`, nonRetryable: true, cause: error as Error });
}
