/**
 * SLA compliance from the `sla_events` the engine records: per process and clock, the cycles
 * that stopped within their target (met) or past it (breached), the percentage met, and the
 * cycles still running (or paused) that are already past their target.
 *
 * A cycle is one run of a clock in one case (a reopened case may start a new cycle). Its state
 * is its latest event: `stopped` (with result met or breached), or anything else (running).
 * A cycle that a reopened case continues is running again until its next stop.
 */
import { percent, type Queryable } from './database.js';

/** How the figures are computed, as printed under the table (and given in the JSON). */
export const slaFormulaLines = [
  'met % = met ÷ (met + breached) × 100, over stopped cycles; running cycles are not in the percentage.',
  'A cycle is breached when its clock passed its target before it stopped;',
  '"running, breached" counts cycles not yet stopped that already passed it.',
];

export const slaFormula = slaFormulaLines.join(' ');

export interface SlaReportRow {
  process: string;
  clock: string;
  title: string;
  met: number;
  breached: number;
  /** met ÷ (met + breached) × 100, one decimal; null when no cycle stopped. */
  metPercent: number | null;
  running: number;
  runningBreached: number;
}

export interface SlaReport {
  process: string | null;
  /** Cycles that started on or after this date (database time zone); null for all. */
  since: string | null;
  rows: SlaReportRow[];
  formula: string;
}

/** `2026-03-01` → true when it is a real calendar date. */
export function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

export async function slaReport(client: Queryable, options: { process?: string; since?: string } = {}): Promise<SlaReport> {
  if (options.since !== undefined && !isDate(options.since)) throw new Error(`since ${JSON.stringify(options.since)} is not a date (YYYY-MM-DD)`);
  const rows = (
    await client.query<{ process: string; clock: string; title: string; met: string; breached: string; running: string; running_breached: string }>(
      `WITH cycles AS (
         SELECT process, clock, case_id, cycle,
                max(title) AS title,
                min(occurred_at) AS started_at,
                (array_agg(event_type ORDER BY occurred_at DESC, recorded_at DESC))[1] AS last_type,
                (array_agg(result ORDER BY occurred_at DESC, recorded_at DESC))[1] AS last_result,
                bool_or(event_type = 'breached') AS breached_seen
           FROM sla_events
          WHERE ($1::text IS NULL OR process = $1)
          GROUP BY process, clock, case_id, cycle
       )
       SELECT process, clock, max(title) AS title,
              count(*) FILTER (WHERE last_type = 'stopped' AND last_result = 'met') AS met,
              count(*) FILTER (WHERE last_type = 'stopped' AND last_result = 'breached') AS breached,
              count(*) FILTER (WHERE last_type <> 'stopped') AS running,
              count(*) FILTER (WHERE last_type <> 'stopped' AND breached_seen) AS running_breached
         FROM cycles
        WHERE ($2::date IS NULL OR started_at >= $2::date::timestamptz)
        GROUP BY process, clock
        ORDER BY process, clock`,
      [options.process ?? null, options.since ?? null],
    )
  ).rows;
  return {
    process: options.process ?? null,
    since: options.since ?? null,
    rows: rows.map((r) => {
      const met = Number(r.met);
      const breached = Number(r.breached);
      return { process: r.process, clock: r.clock, title: r.title, met, breached, metPercent: percent(met, met + breached), running: Number(r.running), runningBreached: Number(r.running_breached) };
    }),
    formula: slaFormula,
  };
}
