/**
 * The monthly and SLA reports computed over records entered through the activities, on a
 * fresh database: every figure is checked against the data test/reports/seed.ts enters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthlyReport, slaReport, type MonthlyReport } from '../../reports/index.js';
import { testDatabase, type TestDatabase } from '../helpers/env.js';
import { seedMonth, seedSlaEvents, type Seeded } from './seed.js';

let db: TestDatabase;
let seeded: Seeded;
let before: MonthlyReport;

beforeAll(async () => {
  db = await testDatabase();
  const month = (await db.pool.query<{ m: string }>(`SELECT to_char(now(), 'YYYY-MM') AS m`)).rows[0]?.m ?? '';
  // The parts ledger opens with its stock-take, dated now: the figures added are compared to it.
  before = await monthlyReport(db.pool, month);
  seeded = await seedMonth(db.pool, 'RPT');
  await seedSlaEvents(db.pool, 'SLA');
});
afterAll(async () => {
  await db?.close();
});

async function monthly(month: string): Promise<MonthlyReport> {
  return monthlyReport(db.pool, month);
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

  it('adds up refunds, parts movements by kind and disposals from the parts ledger', async () => {
    const report = await monthly(seeded.month);
    expect(report.refunds).toEqual({ byCurrency: [{ currency: 'CNY', refunds: 2, amount: 2598.5 }] });
    const kinds = new Map((before.partsMovements?.byKind ?? []).map((k) => [k.kind, [k.movements, k.quantity] as [number, number]]));
    for (const [kind, [movements, quantity]] of Object.entries(seeded.partsAdded)) {
      const [m, q] = kinds.get(kind) ?? [0, 0];
      kinds.set(kind, [m + movements, q + quantity]);
    }
    const expected = [...kinds.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([kind, [movements, quantity]]) => ({ kind, movements, quantity }));
    expect(report.partsMovements).toEqual({ byKind: expected });
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
  it('counts met and breached stopped cycles per process and clock, and running cycles already breached', async () => {
    const report = await slaReport(db.pool);
    expect(report.rows).toEqual([
      { process: 'complaint-handling', clock: 'first-response', title: 'First response', met: 2, breached: 2, metPercent: 50, running: 2, runningBreached: 1 },
      { process: 'repair-service', clock: 'on-site', title: 'On-site visit', met: 0, breached: 1, metPercent: 0, running: 1, runningBreached: 0 },
    ]);
    expect(report.formula).toContain('met % = met ÷ (met + breached) × 100');
  });

  it('narrows to one process and to cycles started since a date', async () => {
    expect((await slaReport(db.pool, { process: 'repair-service' })).rows.map((r) => r.process)).toEqual(['repair-service']);
    expect((await slaReport(db.pool, { since: '2026-03-01' })).rows).toEqual([
      { process: 'complaint-handling', clock: 'first-response', title: 'First response', met: 2, breached: 1, metPercent: 66.7, running: 2, runningBreached: 1 },
      { process: 'repair-service', clock: 'on-site', title: 'On-site visit', met: 0, breached: 0, metPercent: null, running: 1, runningBreached: 0 },
    ]);
    expect((await slaReport(db.pool, { process: 'returns' })).rows).toEqual([]);
  });
});
