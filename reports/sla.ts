/**
 * SLA compliance from the `sla_events` the engine records: per process and clock, the cycles
 * that stopped within their target (met) or past it (breached), the percentage met, the cycles
 * a cancellation stopped (neither met nor breached: counted apart), and the cycles still
 * running (or paused), with those already past their target.
 *
 * A cycle is one run of a clock in one case (a reopened case may start a new cycle). Its state
 * is its latest event: `stopped` (with result met or breached), or anything else (running).
 * A cycle that a reopened case continues is running again until its next stop.
 *
 * A cancelled case stops its running clocks with result `met` when they had not passed their
 * target (workflows/case-slas.ts closeAll: the engine records how far the clock ran, not why the
 * case ended). Counting those as met inflated met %: a complaint withdrawn after an hour would
 * "meet" its one-day reply target. Such a cycle is recognised from the records: its stop has
 * the reason `case closed` (not its own stop trigger) and the case's `case-closed` audit row of
 * the same instant has the outcome `cancelled` (a cancelCase, a customer's withdrawal, a
 * `temporal workflow cancel`, a parent's cancellation) or `withdrawn`, or an end step of that
 * name. Both rows are written by one workflow task with the same workflow time, so the instants
 * are equal, not merely close.
 */
import { percent, type Queryable } from './database.js';

/** The outcomes of a case that ends without the work its clocks measured being done. */
export const cancelledOutcomes = ['cancelled', 'withdrawn'] as const;

/** How the figures are computed, as printed under the table (and given in the JSON). */
export const slaFormulaLines = [
  'met % = met ÷ (met + breached) × 100, over cycles that stopped with a result (their own stop, or the case ending);',
  'a cycle is breached when its clock passed its target before it stopped.',
  '"cancelled": cycles stopped because the case was cancelled or withdrawn (case outcome cancelled or withdrawn):',
  'they have no result and are not in met % ("cancelled, breached": of them, those already past their target).',
  '"running": cycles not yet stopped, not in met % either ("running, breached": those already past their target).',
];

export const slaFormula = slaFormulaLines.join(' ');

export interface SlaReportRow {
  process: string;
  clock: string;
  title: string;
  met: number;
  breached: number;
  /** met ÷ (met + breached) × 100, one decimal; null when no cycle stopped with a result. */
  metPercent: number | null;
  /** Cycles stopped by a cancellation or withdrawal of the case: not in metPercent. */
  cancelled: number;
  /** Of the cancelled cycles, those whose clock had already passed its target. */
  cancelledBreached: number;
  running: number;
  runningBreached: number;
}

export interface SlaReport {
  process: string | null;
  /** Cycles that started on or after this date, in `timeZone`; null for all. */
  since: string | null;
  /** The company's time zone: where `since` begins. */
  timeZone: string;
  rows: SlaReportRow[];
  formula: string;
}

/** `2026-03-01` → true when it is a real calendar date. */
export function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

export interface SlaReportOptions {
  process?: string;
  /** YYYY-MM-DD: keep cycles whose first event is on or after that day's midnight in `timeZone`. */
  since?: string;
  /** The company's time zone (worker/time-zone.ts companyTimeZone), an IANA name. */
  timeZone: string;
}

export async function slaReport(client: Queryable, options: SlaReportOptions): Promise<SlaReport> {
  if (options.since !== undefined && !isDate(options.since)) throw new Error(`since ${JSON.stringify(options.since)} is not a date (YYYY-MM-DD)`);
  const rows = (
    await client.query<{ process: string; clock: string; title: string; met: string; breached: string; cancelled: string; cancelled_breached: string; running: string; running_breached: string }>(
      `WITH cycles AS (
         SELECT process, clock, case_id, cycle,
                max(title) AS title,
                min(occurred_at) AS started_at,
                max(occurred_at) AS last_at,
                (array_agg(event_type ORDER BY occurred_at DESC, recorded_at DESC))[1] AS last_type,
                (array_agg(result ORDER BY occurred_at DESC, recorded_at DESC))[1] AS last_result,
                (array_agg(reason ORDER BY occurred_at DESC, recorded_at DESC))[1] AS last_reason,
                bool_or(event_type = 'breached') AS breached_seen
           FROM sla_events
          WHERE ($1::text IS NULL OR process = $1)
          GROUP BY process, clock, case_id, cycle
       ), judged AS (
         SELECT c.*,
                c.last_type = 'stopped' AND c.last_reason = 'case closed' AND EXISTS (
                  SELECT 1 FROM case_events e
                   WHERE e.case_id = c.case_id AND e.event_type = 'case-closed' AND e.occurred_at = c.last_at
                     AND e.detail->>'outcome' = ANY ($4::text[])
                ) AS cancelled
           FROM cycles c
          WHERE ($2::date IS NULL OR c.started_at >= ($2::date::timestamp AT TIME ZONE $3))
       )
       SELECT process, clock, max(title) AS title,
              count(*) FILTER (WHERE last_type = 'stopped' AND NOT cancelled AND last_result = 'met') AS met,
              count(*) FILTER (WHERE last_type = 'stopped' AND NOT cancelled AND last_result = 'breached') AS breached,
              count(*) FILTER (WHERE cancelled) AS cancelled,
              count(*) FILTER (WHERE cancelled AND last_result = 'breached') AS cancelled_breached,
              count(*) FILTER (WHERE last_type <> 'stopped') AS running,
              count(*) FILTER (WHERE last_type <> 'stopped' AND breached_seen) AS running_breached
         FROM judged
        GROUP BY process, clock
        ORDER BY process, clock`,
      [options.process ?? null, options.since ?? null, options.timeZone, cancelledOutcomes],
    )
  ).rows;
  return {
    process: options.process ?? null,
    since: options.since ?? null,
    timeZone: options.timeZone,
    rows: rows.map((r) => {
      const met = Number(r.met);
      const breached = Number(r.breached);
      return {
        process: r.process,
        clock: r.clock,
        title: r.title,
        met,
        breached,
        metPercent: percent(met, met + breached),
        cancelled: Number(r.cancelled),
        cancelledBreached: Number(r.cancelled_breached),
        running: Number(r.running),
        runningBreached: Number(r.running_breached),
      };
    }),
    formula: slaFormula,
  };
}
