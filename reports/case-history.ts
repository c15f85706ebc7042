/**
 * A case's audit trail as people read it: who did what, when, with the token and directory
 * version that verified them (`case_events`, written by the engine and the activities).
 */
import type { Queryable } from './database.js';
import { localTime, table } from './table.js';

export interface CaseHistoryRow {
  at: string;
  event: string;
  step: string;
  actor: string | null;
  /** The id of the token the person was verified with, and the directory version of their roles. */
  tokenId: string | null;
  directoryVersion: number | null;
  detail: Record<string, unknown>;
}

export async function caseHistory(db: Queryable, caseId: string): Promise<CaseHistoryRow[]> {
  const { rows } = await db.query<{ at: Date; event_type: string; step_id: string; actor: string | null; actor_token: string | null; directory_version: string | null; detail: Record<string, unknown> }>(
    `SELECT coalesce(occurred_at, recorded_at) AS at, event_type, step_id, actor, actor_token, directory_version, detail
       FROM case_events WHERE case_id = $1 ORDER BY coalesce(occurred_at, recorded_at), event_key`,
    [caseId],
  );
  return rows.map((r) => ({
    at: r.at.toISOString(),
    event: r.event_type,
    step: r.step_id,
    actor: r.actor,
    tokenId: r.actor_token,
    directoryVersion: r.directory_version === null ? null : Number(r.directory_version),
    detail: r.detail ?? {},
  }));
}

/** The trail as a table, times in `timeZone`; "verified with" is empty where the case took its caller's word (cases opened before actors were verified) or the engine acted. */
export function renderCaseHistory(caseId: string, rows: CaseHistoryRow[], timeZone: string): string {
  const what = (row: CaseHistoryRow) =>
    [row.detail.task, row.detail.outcome && `→ ${String(row.detail.outcome)}`, row.detail.detail && `(${String(row.detail.detail)})`].filter(Boolean).join(' ');
  const verifiedBy = (row: CaseHistoryRow) => (row.tokenId ? `token ${row.tokenId}, directory v${row.directoryVersion ?? '?'}` : null);
  return `Audit trail of case ${caseId} (times ${timeZone})\n${table(
    ['at', 'event', 'step', 'by', 'verified with', 'what'],
    rows.map((row) => [localTime(row.at, timeZone), row.event, row.step || null, row.actor, verifiedBy(row), what(row) || null]),
  )}`;
}
