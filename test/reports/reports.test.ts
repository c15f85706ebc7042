/**
 * The monthly and SLA reports computed over records entered through the activities, on a
 * fresh database: every figure is checked against the data test/reports/seed.ts enters. Months
 * and dates are the company's (Asia/Shanghai, the shipped calendars' zone), not UTC's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import type { StepContext } from '../../model/activity-catalog/index.js';
import { currentMonth, monthlyReport, renderMonthly, renderSla, slaReport, type MonthlyReport } from '../../reports/index.js';
import { testDatabase, type TestDatabase } from '../helpers/env.js';
import { seedMonth, seedSlaEvents, timeZone, type Seeded } from './seed.js';

let db: TestDatabase;
let seeded: Seeded;
let before: MonthlyReport;

beforeAll(async () => {
  db = await testDatabase();
  // The parts ledger opens with the demo stock-take, dated now: opening balances, not movements.
  before = await monthlyReport(db.pool, await currentMonth(db.pool, timeZone), { timeZone });
  seeded = await seedMonth(db.pool, 'RPT');
  await seedSlaEvents(db.pool, 'SLA');
});
afterAll(async () => {
  await db?.close();
});

async function monthly(month: string): Promise<MonthlyReport> {
  return monthlyReport(db.pool, month, { timeZone });
}

describe('the monthly report', () => {
  it('counts complaints by category and outcome, and the valid-complaint rate over decided ones', async () => {
    const report = await monthly(seeded.month);
    expect(report.month).toBe(seeded.month);
    expect(report.complaints).toEqual({
      total: 5,
      byCategoryAndOutcome: [
        { category: 'general-enquiry', outcome: 'open', complaints: 1 },
        { category: 'major-problem', outcome: 'resolved', complaints: 1 },
        { category: 'service-quality', outcome: 'explained', complaints: 1 },
        { category: 'service-quality', outcome: 'resolved', complaints: 1 },
        { category: 'unclassified', outcome: 'open', complaints: 1 },
      ],
      valid: 2,
      notValid: 1,
      undecided: 2,
      validRate: 66.7,
    });
  });

  it('counts repairs and re-repairs by product model', async () => {
    const report = await monthly(seeded.month);
    expect(report.repairs).toEqual({
      byModel: [
        { model: 'RF-320', workOrders: 1, repairs: 1, reRepairs: 0, reRepairRate: 0 },
        { model: 'WM-80', workOrders: 2, repairs: 3, reRepairs: 1, reRepairRate: 33.3 },
      ],
      total: { workOrders: 3, repairs: 4, reRepairs: 1, reRepairRate: 25 },
    });
  });

  it('does not count the demo seed’s opening stock as movements of the month it was entered in', () => {
    // seeds/demo.sql: 12 parts and products, 153 units on the shelf when the ledger began.
    expect(before.partsMovements).toEqual({ byKind: [], openingBalance: { entries: 12, quantity: 153 } });
    expect(renderMonthly(before)).toContain('Opening balances entered in the month, not counted as movements: 12 (153 units)');
  });

  it('adds up refunds, parts movements by kind and disposals from the parts ledger', async () => {
    const report = await monthly(seeded.month);
    expect(report.refunds).toEqual({ byCurrency: [{ currency: 'CNY', refunds: 2, amount: 2598.5 }] });
    const expected = Object.entries(seeded.partsAdded)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, [movements, quantity]]) => ({ kind, movements, quantity }));
    expect(report.partsMovements).toEqual({ byKind: expected, openingBalance: { entries: 12, quantity: 153 } });
    expect(report.disposals).toEqual({ byMethod: [{ method: 'recycling', disposals: 1, proceeds: 0 }, { method: 'scrap-sale', disposals: 1, proceeds: 4.5 }] });
  });

  it('gives follow-up satisfaction as satisfied over all follow-ups, by subject', async () => {
    const report = await monthly(seeded.month);
    expect(report.followUps).toEqual({
      total: 4,
      satisfied: 3,
      satisfactionRate: 75,
      bySubject: [
        { subject: 'complaint', total: 2, satisfied: 1, satisfactionRate: 50 },
        { subject: 'repair', total: 2, satisfied: 2, satisfactionRate: 100 },
      ],
    });
  });

  it('keeps each record in the month it is dated in', async () => {
    const report = await monthly(seeded.previousMonth);
    expect(report.complaints).toMatchObject({ total: 1, valid: 1, notValid: 0, validRate: 100, byCategoryAndOutcome: [{ category: 'service-quality', outcome: 'resolved', complaints: 1 }] });
    expect(report.followUps).toMatchObject({ total: 1, satisfied: 0, satisfactionRate: 0 });
    expect(report.repairs.total).toEqual({ workOrders: 0, repairs: 0, reRepairs: 0, reRepairRate: null });
    expect(report.refunds).toEqual({ byCurrency: [] });
  });
});

describe('the SLA report', () => {
  it('counts met and breached stopped cycles per process and clock, cancelled cycles apart, and running cycles already breached', async () => {
    const report = await slaReport(db.pool, { timeZone });
    expect(report.rows).toEqual([
      // met A ×2, J; breached B, E: 3 of 5. Cancelled H, I (already breached), K (withdrawn): not in met %.
      { process: 'complaint-handling', clock: 'first-response', title: 'First response', met: 3, breached: 2, metPercent: 60, cancelled: 3, cancelledBreached: 1, running: 2, runningBreached: 1 },
      { process: 'repair-service', clock: 'on-site', title: 'On-site visit', met: 0, breached: 1, metPercent: 0, cancelled: 0, cancelledBreached: 0, running: 1, runningBreached: 0 },
    ]);
    expect(report.formula).toContain('met % = met ÷ (met + breached) × 100, over cycles that stopped with a result');
    expect(report.formula).toContain('"cancelled": cycles stopped because the case was cancelled or withdrawn');
    expect(report.formula).toContain('they have no result and are not in met %');
  });

  it('counts a clock that a case’s cancellation stopped in time as cancelled, not met', async () => {
    // H's clock stopped `met` (it had not passed its target): before, met % was 4 of 5 here.
    const stopped = await db.pool.query("SELECT result, reason FROM sla_events WHERE case_id = 'SLA-H' AND event_type = 'stopped'");
    expect(stopped.rows).toEqual([{ result: 'met', reason: 'case closed' }]);
    const [row] = (await slaReport(db.pool, { process: 'complaint-handling', timeZone })).rows;
    expect(row).toMatchObject({ met: 3, cancelled: 3, metPercent: 60 });
  });

  it('narrows to one process and to cycles started since a date', async () => {
    expect((await slaReport(db.pool, { process: 'repair-service', timeZone })).rows.map((r) => r.process)).toEqual(['repair-service']);
    expect((await slaReport(db.pool, { since: '2026-03-01', timeZone })).rows).toEqual([
      { process: 'complaint-handling', clock: 'first-response', title: 'First response', met: 3, breached: 1, metPercent: 75, cancelled: 3, cancelledBreached: 1, running: 2, runningBreached: 1 },
      { process: 'repair-service', clock: 'on-site', title: 'On-site visit', met: 0, breached: 0, metPercent: null, cancelled: 0, cancelledBreached: 0, running: 1, runningBreached: 0 },
    ]);
    expect((await slaReport(db.pool, { process: 'returns', timeZone })).rows).toEqual([]);
  });
});

describe('months and dates in the company’s time zone', () => {
  // 2026-11-30T16:30Z is 2026-12-01 00:30 in Shanghai: December there, November in UTC.
  const justAfter = '2026-11-30T16:30:00Z';
  const justBefore = '2026-11-30T15:59:00Z';
  let tz: TestDatabase;

  beforeAll(async () => {
    tz = await testDatabase();
    const activities = createActivities(tz.pool) as unknown as Record<string, (context: StepContext, input: unknown) => Promise<unknown>>;
    const step = (caseId: string, stepId: string, process = 'complaint-handling'): StepContext => ({ caseId, process, version: 1, stepId, visit: 1, idempotencyKey: `${caseId}:${stepId}:1` });
    const customer = { id: 'M-20931', name: 'Wang Li', phone: '138-0013-8000' };
    for (const [caseId, at] of [['TZ-AFTER', justAfter], ['TZ-BEFORE', justBefore]] as const) {
      await activities['record-complaint']?.(step(caseId, 'receive'), { customer, channel: 'phone', description: 'Door seal leaks', owner: 'li.na' });
      await tz.pool.query('UPDATE complaints SET received_at = $2 WHERE case_id = $1', [caseId, at]);
      await activities['record-follow-up']?.(step(caseId, 'follow-up'), { subject: 'complaint', satisfied: true });
      await tz.pool.query('UPDATE follow_ups SET recorded_at = $2 WHERE case_id = $1', [caseId, at]);
    }
    // The ledger is append-only: a movement dated at the boundary is inserted with its date.
    await tz.pool.query(`INSERT INTO stock_movements (movement_key, part_no, kind, quantity, delta, reason, moved_at) VALUES ('tz:receipt', 'WM-BRG-6204', 'receipt', 10, 10, 'supplier delivery', $1)`, [justAfter]);
    const sla = (caseId: string, type: string, at: string, extra: Record<string, unknown> = {}) =>
      activities['record-sla-event']?.(
        { caseId, process: 'complaint-handling', version: 1, stepId: 'sla:first-response', visit: 1, idempotencyKey: `${caseId}:sla:first-response:1:${type}` },
        { clock: 'first-response', cycle: 1, type, at, target: '4 business hours', businessMs: 0, calendarMs: 0, title: 'First response', ...extra },
      );
    await sla('TZ-AFTER', 'started', justAfter);
    await sla('TZ-AFTER', 'stopped', '2026-11-30T17:00:00Z', { result: 'met' });
    await sla('TZ-BEFORE', 'started', justBefore);
    await sla('TZ-BEFORE', 'stopped', '2026-11-30T17:00:00Z', { result: 'met' });
  });
  afterAll(() => tz?.close());

  it('cuts the month at midnight in Shanghai: a record of 2026-11-30T16:30Z is December’s there', async () => {
    const december = await monthlyReport(tz.pool, '2026-12', { timeZone });
    expect(december).toMatchObject({ timeZone, from: '2026-11-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' });
    expect(december.complaints.total).toBe(1);
    expect(december.followUps).toMatchObject({ total: 1, satisfied: 1 });
    expect(december.partsMovements?.byKind).toEqual([{ kind: 'receipt', movements: 1, quantity: 10 }]);
    const november = await monthlyReport(tz.pool, '2026-11', { timeZone });
    expect(november).toMatchObject({ from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z' });
    expect(november.complaints.total).toBe(1);
    expect(november.followUps.total).toBe(1);
    expect(november.partsMovements?.byKind).toEqual([]);
  });

  it('cuts it at UTC midnight when the company’s zone is UTC', async () => {
    const november = await monthlyReport(tz.pool, '2026-11', { timeZone: 'UTC' });
    expect(november).toMatchObject({ timeZone: 'UTC', from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' });
    expect(november.complaints.total).toBe(2);
    expect(november.partsMovements?.byKind).toEqual([{ kind: 'receipt', movements: 1, quantity: 10 }]);
  });

  it('prints the month’s bounds on the company’s clock, and keeps the JSON figures in UTC', async () => {
    const december = await monthlyReport(tz.pool, '2026-12', { timeZone });
    const text = renderMonthly(december);
    expect(text.split('\n')[0]).toBe('Monthly after-sales report — 2026-12 (2026-12-01 00:00 to 2027-01-01 00:00 Asia/Shanghai)');
    expect(text).toContain('How the figures are computed (records dated in the month, Asia/Shanghai):');
    expect(JSON.parse(JSON.stringify(december))).toMatchObject({ from: '2026-11-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' });
  });

  it('takes --since as a day in the company’s zone', async () => {
    const inShanghai = await slaReport(tz.pool, { since: '2026-12-01', timeZone });
    expect(inShanghai.rows).toEqual([expect.objectContaining({ clock: 'first-response', met: 1 })]);
    expect(renderSla(inShanghai).split('\n')[0]).toBe('SLA compliance — all processes, cycles started since 2026-12-01 00:00 Asia/Shanghai');
    expect((await slaReport(tz.pool, { since: '2026-12-01', timeZone: 'UTC' })).rows).toEqual([]);
    expect((await slaReport(tz.pool, { since: '2026-11-30', timeZone: 'UTC' })).rows).toEqual([expect.objectContaining({ met: 2 })]);
  });
});
