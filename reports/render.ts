/** The reports as people read them: titled sections of plain tables, formulas in the footer. */
import type { MonthlyReport } from './monthly.js';
import { slaFormulaLines, type SlaReport } from './sla.js';
import { localTime, money, pct, table } from './table.js';

const missingParts = (table: string) => `(no \`${table}\` table in this database: the parts ledger's migration has not been applied)`;

export function renderMonthly(report: MonthlyReport): string {
  const c = report.complaints;
  const sections = [
    `Monthly after-sales report — ${report.month} (${localTime(report.from, report.timeZone)} to ${localTime(report.to, report.timeZone)} ${report.timeZone})`,
    '',
    `Complaints received: ${c.total}`,
    table(['category', 'outcome', 'complaints'], c.byCategoryAndOutcome.map((r) => [r.category, r.outcome, r.complaints])),
    `Valid complaints: ${c.valid} of ${c.valid + c.notValid} decided (${pct(c.validRate)} %); ${c.undecided} not yet decided`,
    '',
    `Repairs: ${report.repairs.total.repairs} on ${report.repairs.total.workOrders} work orders, re-repairs ${report.repairs.total.reRepairs} (${pct(report.repairs.total.reRepairRate)} %)`,
    table(['product model', 'work orders', 'repairs', 're-repairs', 're-repair %'], report.repairs.byModel.map((r) => [r.model, r.workOrders, r.repairs, r.reRepairs, pct(r.reRepairRate)])),
    '',
    'Refunds',
    report.refunds ? table(['currency', 'refunds', 'amount'], report.refunds.byCurrency.map((r) => [r.currency, r.refunds, money(r.amount)])) : missingParts('refunds'),
    '',
    'Parts movements',
    report.partsMovements ? table(['kind', 'movements', 'quantity'], report.partsMovements.byKind.map((r) => [r.kind, r.movements, r.quantity])) : missingParts('stock_movements'),
    ...(report.partsMovements && report.partsMovements.openingBalance.entries > 0
      ? [`Opening balances entered in the month, not counted as movements: ${report.partsMovements.openingBalance.entries} (${report.partsMovements.openingBalance.quantity} units)`]
      : []),
    '',
    'Disposals',
    report.disposals ? table(['method', 'disposals', 'proceeds'], report.disposals.byMethod.map((r) => [r.method, r.disposals, money(r.proceeds)])) : missingParts('disposals'),
    '',
    `Follow-ups: ${report.followUps.satisfied} of ${report.followUps.total} satisfied (${pct(report.followUps.satisfactionRate)} %)`,
    table(['subject', 'follow-ups', 'satisfied', 'satisfied %'], report.followUps.bySubject.map((r) => [r.subject, r.total, r.satisfied, pct(r.satisfactionRate)])),
    '',
    `How the figures are computed (records dated in the month, ${report.timeZone}):`,
    '  valid-complaint rate = valid ÷ (valid + not valid) × 100, over complaints received whose validity is decided',
    '  re-repair rate       = repairs with attempt > 1 ÷ all repairs recorded × 100, by the work order\'s product model',
    '  satisfaction         = satisfied follow-ups ÷ all follow-ups recorded × 100',
    '  parts movements      = what moved in the month, by kind; a part\'s opening balance (the stock its ledger began with) is not one',
    '  — means there was nothing to divide by',
  ];
  return sections.join('\n');
}

export function renderSla(report: SlaReport): string {
  const scope = [report.process ? `process ${report.process}` : 'all processes', report.since ? `cycles started since ${report.since} 00:00 ${report.timeZone}` : 'all cycles'].join(', ');
  return [
    `SLA compliance — ${scope}`,
    '',
    table(
      ['process', 'clock', 'met', 'breached', 'met %', 'cancelled', 'cancelled, breached', 'running', 'running, breached'],
      report.rows.map((r) => [r.process, r.clock, r.met, r.breached, pct(r.metPercent), r.cancelled, r.cancelledBreached, r.running, r.runningBreached]),
    ),
    '',
    ...slaFormulaLines,
  ].join('\n');
}
