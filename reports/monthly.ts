/**
 * The monthly figures the manuals ask the data analysis group for (domain brief, "Records and
 * reports"): complaints by category and outcome and the valid-complaint rate, repairs and the
 * re-repair rate by product model, refunds, parts movements and disposals, and follow-up
 * satisfaction. Months are calendar months in the company's time zone (worker/time-zone.ts):
 * December in Shanghai begins at 2026-11-30T16:00Z, not at UTC midnight. A part's opening
 * balance (movement kind `opening`: the stock it had when the ledger began) is not a movement
 * of the month it was entered in; it is given apart.
 */
import { hasTable, percent, type Queryable } from './database.js';

export interface MonthlyReport {
  month: string;
  /** The company's time zone, where the month begins and ends. */
  timeZone: string;
  /** [from, to): the month's first instant and the next month's, in UTC. */
  from: string;
  to: string;
  complaints: {
    total: number;
    byCategoryAndOutcome: { category: string; outcome: string; complaints: number }[];
    valid: number;
    notValid: number;
    undecided: number;
    /** valid ÷ (valid + not valid) × 100, over complaints received in the month whose validity is decided. */
    validRate: number | null;
  };
  repairs: {
    byModel: { model: string; workOrders: number; repairs: number; reRepairs: number; reRepairRate: number | null }[];
    total: { workOrders: number; repairs: number; reRepairs: number; reRepairRate: number | null };
  };
  /** null when the parts ledger's tables are not in this database. */
  refunds: { byCurrency: { currency: string; refunds: number; amount: number }[] } | null;
  partsMovements: {
    /** Receipts, issues, returns, disposals, adjustments: what moved in the month. */
    byKind: { kind: string; movements: number; quantity: number }[];
    /** Opening balances entered in the month (kind `opening`): not movements, not in byKind. */
    openingBalance: { entries: number; quantity: number };
  } | null;
  disposals: { byMethod: { method: string; disposals: number; proceeds: number }[] } | null;
  followUps: {
    total: number;
    satisfied: number;
    /** satisfied ÷ follow-ups recorded in the month × 100. */
    satisfactionRate: number | null;
    bySubject: { subject: string; total: number; satisfied: number; satisfactionRate: number | null }[];
  };
}

/** `2026-03` → true; anything else false. */
export function isMonth(text: string): boolean {
  const match = /^(\d{4})-(\d{2})$/.exec(text);
  return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 12;
}

const num = (value: unknown) => Number(value ?? 0);

/** The current month (YYYY-MM) in `timeZone`, by the database's clock. */
export async function currentMonth(client: Queryable, timeZone: string): Promise<string> {
  return (await client.query<{ m: string }>(`SELECT to_char(now() AT TIME ZONE $1, 'YYYY-MM') AS m`, [timeZone])).rows[0]?.m ?? '';
}

export async function monthlyReport(client: Queryable, month: string, options: { timeZone: string }): Promise<MonthlyReport> {
  if (!isMonth(month)) throw new Error(`month ${JSON.stringify(month)} is not YYYY-MM`);
  // The month's bounds as instants: local midnights in the company's zone, whatever the
  // session's; every query takes [$1, $2).
  const bounds = (
    await client.query<{ from: Date; to: Date }>(
      `SELECT ($1 || '-01')::timestamp AT TIME ZONE $2 AS from, (($1 || '-01')::timestamp + interval '1 month') AT TIME ZONE $2 AS to`,
      [month, options.timeZone],
    )
  ).rows[0] as { from: Date; to: Date };
  const range = [bounds.from, bounds.to];

  const complaintRows = (
    await client.query<{ category: string; outcome: string; n: string }>(
      `SELECT coalesce(category, 'unclassified') AS category, coalesce(outcome, 'open') AS outcome, count(*) AS n
         FROM complaints WHERE received_at >= $1 AND received_at < $2
        GROUP BY 1, 2 ORDER BY 1, 2`,
      range,
    )
  ).rows;
  const validity = (
    await client.query<{ total: string; valid: string; not_valid: string }>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE valid) AS valid, count(*) FILTER (WHERE NOT valid) AS not_valid
         FROM complaints WHERE received_at >= $1 AND received_at < $2`,
      range,
    )
  ).rows[0];
  const valid = num(validity?.valid);
  const notValid = num(validity?.not_valid);

  // Repairs recorded in the month, by the model on their work order; attempt > 1 is a re-repair.
  const repairRows = (
    await client.query<{ model: string; work_orders: string; repairs: string; re_repairs: string }>(
      `SELECT o.product_model AS model, count(DISTINCT r.work_order_id) AS work_orders, count(*) AS repairs, count(*) FILTER (WHERE r.attempt > 1) AS re_repairs
         FROM repairs r JOIN work_orders o USING (work_order_id)
        WHERE r.recorded_at >= $1 AND r.recorded_at < $2
        GROUP BY 1 ORDER BY 1`,
      range,
    )
  ).rows.map((r) => ({ model: r.model, workOrders: num(r.work_orders), repairs: num(r.repairs), reRepairs: num(r.re_repairs), reRepairRate: percent(num(r.re_repairs), num(r.repairs)) }));
  const repairTotals = (
    await client.query<{ work_orders: string; repairs: string; re_repairs: string }>(
      `SELECT count(DISTINCT work_order_id) AS work_orders, count(*) AS repairs, count(*) FILTER (WHERE attempt > 1) AS re_repairs
         FROM repairs WHERE recorded_at >= $1 AND recorded_at < $2`,
      range,
    )
  ).rows[0];

  // The parts ledger's tables come with their own migration: a report over a database
  // without them says so (null) rather than failing.
  const perGroup = async (table: string, group: string, measure: string, at: string) =>
    (await hasTable(client, table))
      ? (
          await client.query<{ key: string; n: string; total: string }>(
            `SELECT ${group} AS key, count(*) AS n, coalesce(sum(${measure}), 0) AS total FROM ${table}
              WHERE ${at} >= $1 AND ${at} < $2 GROUP BY 1 ORDER BY 1`,
            range,
          )
        ).rows
      : null;
  const refundRows = await perGroup('refunds', 'currency', 'amount', 'refunded_at');
  const refunds = refundRows && { byCurrency: refundRows.map((r) => ({ currency: r.key, refunds: num(r.n), amount: num(r.total) })) };
  // An opening balance is the stock a part had when its ledger began: not a movement of the month.
  const movementRows = await perGroup('stock_movements', 'kind', 'quantity', 'moved_at');
  const opening = movementRows?.find((r) => r.key === 'opening');
  const partsMovements = movementRows && {
    byKind: movementRows.filter((r) => r.key !== 'opening').map((r) => ({ kind: r.key, movements: num(r.n), quantity: num(r.total) })),
    openingBalance: { entries: num(opening?.n), quantity: num(opening?.total) },
  };
  const disposalRows = await perGroup('disposals', 'method', 'proceeds', 'disposed_at');
  const disposals = disposalRows && { byMethod: disposalRows.map((r) => ({ method: r.key, disposals: num(r.n), proceeds: num(r.total) })) };

  const followUpRows = (
    await client.query<{ subject: string; total: string; satisfied: string }>(
      `SELECT subject, count(*) AS total, count(*) FILTER (WHERE satisfied) AS satisfied FROM follow_ups
        WHERE recorded_at >= $1 AND recorded_at < $2 GROUP BY 1 ORDER BY 1`,
      range,
    )
  ).rows.map((r) => ({ subject: r.subject, total: num(r.total), satisfied: num(r.satisfied), satisfactionRate: percent(num(r.satisfied), num(r.total)) }));
  const followUpTotal = followUpRows.reduce((sum, r) => sum + r.total, 0);
  const followUpSatisfied = followUpRows.reduce((sum, r) => sum + r.satisfied, 0);

  return {
    month,
    timeZone: options.timeZone,
    from: bounds.from.toISOString(),
    to: bounds.to.toISOString(),
    complaints: {
      total: num(validity?.total),
      byCategoryAndOutcome: complaintRows.map((r) => ({ category: r.category, outcome: r.outcome, complaints: num(r.n) })),
      valid,
      notValid,
      undecided: num(validity?.total) - valid - notValid,
      validRate: percent(valid, valid + notValid),
    },
    repairs: {
      byModel: repairRows,
      total: {
        workOrders: num(repairTotals?.work_orders),
        repairs: num(repairTotals?.repairs),
        reRepairs: num(repairTotals?.re_repairs),
        reRepairRate: percent(num(repairTotals?.re_repairs), num(repairTotals?.repairs)),
      },
    },
    refunds,
    partsMovements,
    disposals,
    followUps: { total: followUpTotal, satisfied: followUpSatisfied, satisfactionRate: percent(followUpSatisfied, followUpTotal), bySubject: followUpRows },
  };
}
