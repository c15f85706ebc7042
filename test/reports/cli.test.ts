/**
 * `aftercare report` as a user types it: `node bin/aftercare.js report ...` in a child process,
 * with DATABASE_URL pointing at a test database holding the seeded month and SLA events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../worker/dev/ports.js';
import { runAftercare } from '../helpers/cli.js';
import { testDatabase, type TestDatabase } from '../helpers/env.js';
import { seedMonth, seedSlaEvents, type Seeded } from './seed.js';

let db: TestDatabase;
let seeded: Seeded;

beforeAll(async () => {
  db = await testDatabase();
  seeded = await seedMonth(db.pool, 'CLI');
  await seedSlaEvents(db.pool, 'CLI-SLA');
});
afterAll(async () => {
  await db?.close();
});

const aftercare = (args: string[], env: NodeJS.ProcessEnv = { DATABASE_URL: db.url }) => runAftercare(args, env);

/** The line of a printed table that starts with `first`, split into its cells. */
function rowOf(output: string, first: string): string[] | undefined {
  return output.split('\n').find((line) => line.startsWith(`${first} `))?.trim().split(/\s{2,}/);
}

describe('aftercare report monthly', () => {
  it('prints the month as tables people read', async () => {
    const ran = await aftercare(['report', 'monthly', '--month', seeded.month]);
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    // The company's time zone: the shipped processes' calendar (mainland-china, Asia/Shanghai).
    expect(ran.stdout).toMatch(new RegExp(`^Monthly after-sales report — ${seeded.month} \\(${seeded.month}-01 00:00 to \\d{4}-\\d{2}-01 00:00 Asia/Shanghai\\)\n`));
    expect(ran.stdout).toContain('Complaints received: 5');
    expect(ran.stdout).toContain('Valid complaints: 2 of 3 decided (66.7 %); 2 not yet decided');
    expect(rowOf(ran.stdout, 'service-quality')).toEqual(['service-quality', 'explained', '1']);
    expect(ran.stdout).toContain('Repairs: 4 on 3 work orders, re-repairs 1 (25.0 %)');
    expect(rowOf(ran.stdout, 'WM-80')).toEqual(['WM-80', '2', '3', '1', '33.3']);
    expect(rowOf(ran.stdout, 'RF-320')).toEqual(['RF-320', '1', '1', '0', '0.0']);
    expect(rowOf(ran.stdout, 'CNY')).toEqual(['CNY', '2', '2598.50']);
    expect(rowOf(ran.stdout, 'scrap-sale')).toEqual(['scrap-sale', '1', '4.50']);
    expect(rowOf(ran.stdout, 'disposal')).toEqual(['disposal', '2', '12']);
    // The demo seed's opening stock is not a movement of the month.
    expect(rowOf(ran.stdout, 'adjustment')).toBeUndefined();
    expect(rowOf(ran.stdout, 'opening')).toBeUndefined();
    expect(ran.stdout).toContain('Opening balances entered in the month, not counted as movements: 12 (153 units)');
    expect(ran.stdout).toContain('Follow-ups: 3 of 4 satisfied (75.0 %)');
    expect(rowOf(ran.stdout, 'repair')).toEqual(['repair', '2', '2', '100.0']);
    expect(ran.stdout).toContain('valid-complaint rate = valid ÷ (valid + not valid) × 100');
  });

  it('prints the figures as JSON with --json', async () => {
    const ran = await aftercare(['report', 'monthly', '--month', seeded.previousMonth, '--json']);
    expect(ran.code).toBe(0);
    const report = JSON.parse(ran.stdout);
    expect(report).toMatchObject({ month: seeded.previousMonth, timeZone: 'Asia/Shanghai', complaints: { total: 1, valid: 1, validRate: 100 }, followUps: { total: 1, satisfied: 0 }, refunds: { byCurrency: [] } });
    // Instants in JSON stay UTC: the month begins at 16:00Z the day before, in Shanghai.
    expect(report.from).toMatch(/^\d{4}-\d{2}-\d{2}T16:00:00\.000Z$/);
  });

  it('reads its months in AFTERCARE_TIME_ZONE when it is set, and refuses one that is not a time zone', async () => {
    const utc = await aftercare(['report', 'monthly', '--month', '2026-12', '--json'], { DATABASE_URL: db.url, AFTERCARE_TIME_ZONE: 'UTC' });
    expect(utc.code).toBe(0);
    expect(JSON.parse(utc.stdout)).toMatchObject({ timeZone: 'UTC', from: '2026-12-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' });
    const bad = await aftercare(['report', 'monthly'], { DATABASE_URL: db.url, AFTERCARE_TIME_ZONE: 'Mars/Olympus' });
    expect(bad).toMatchObject({ code: 1, stdout: '' });
    expect(bad.stderr).toBe('aftercare report: AFTERCARE_TIME_ZONE=Mars/Olympus is not a time zone: give an IANA name such as Asia/Shanghai or UTC\n');
  });

  it('refuses a month that is not YYYY-MM, and options of the other report', async () => {
    const bad = await aftercare(['report', 'monthly', '--month', '2026-3']);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toBe('aftercare report: --month 2026-3 is not a month: give YYYY-MM, e.g. 2026-03\n');
    const mixed = await aftercare(['report', 'monthly', '--since', '2026-03-01']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('--process and --since belong to `report sla`');
  });
});

describe('aftercare report sla', () => {
  it('prints met, breached and met % per process and clock, cancelled cycles apart, with the formula in the footer', async () => {
    const ran = await aftercare(['report', 'sla']);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('SLA compliance — all processes, all cycles');
    expect(ran.stdout).toMatch(/^process +clock +met +breached +met % +cancelled +cancelled, breached +running +running, breached$/m);
    expect(rowOf(ran.stdout, 'complaint-handling')).toEqual(['complaint-handling', 'first-response', '3', '2', '60.0', '3', '1', '2', '1']);
    expect(rowOf(ran.stdout, 'repair-service')).toEqual(['repair-service', 'on-site', '0', '1', '0.0', '0', '0', '1', '0']);
    expect(ran.stdout).toContain('met % = met ÷ (met + breached) × 100, over cycles that stopped with a result');
    expect(ran.stdout).toContain('"cancelled": cycles stopped because the case was cancelled or withdrawn');
  });

  it('narrows with --process and --since, and prints JSON with --json', async () => {
    const ran = await aftercare(['report', 'sla', '--process', 'complaint-handling', '--since', '2026-03-01', '--json']);
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject({
      process: 'complaint-handling',
      since: '2026-03-01',
      timeZone: 'Asia/Shanghai',
      rows: [{ process: 'complaint-handling', clock: 'first-response', met: 3, breached: 1, metPercent: 75, cancelled: 3, cancelledBreached: 1, running: 2, runningBreached: 1 }],
    });
    const bad = await aftercare(['report', 'sla', '--since', '2026-02-30']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('aftercare report: --since 2026-02-30 is not a date: give YYYY-MM-DD, e.g. 2026-03-01\n');
  });

  it('says how to start the embedded PostgreSQL when it is not running and DATABASE_URL is not set', async () => {
    const port = await freePort();
    const ran = await aftercare(['report', 'sla'], { AFTERCARE_POSTGRES_PORT: String(port) });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(`aftercare report: the embedded PostgreSQL is not running on 127.0.0.1:${port}`);
    expect(ran.stderr).toContain('start it with `npm start` (or `npx aftercare dev`) in another terminal, or set DATABASE_URL');
  });
});
