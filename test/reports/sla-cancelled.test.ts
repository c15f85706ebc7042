/**
 * The SLA report over what the engine itself records: shipped return cases on the dev server
 * and PostgreSQL, one decided by the manager, one cancelled (withdrawn) while its review clock
 * ran. The engine stops a cancelled case's running clock with result `met`, as it stops every
 * clock when a case closes; the report counts that cycle as cancelled, not met.
 */
import { describe, expect, it } from 'vitest';
import { slaReport } from '../../reports/index.js';
import { openTaskOf } from '../helpers/cases.js';
import { closed, complete } from '../helpers/drive.js';
import { actAs, uniqueName } from '../helpers/env.js';
import { devServerSuite } from '../helpers/suites.js';
import { timeZone } from './seed.js';

const agent = actAs('li.na', 'agent');
const manager = actAs('wang.fang', 'manager');
const input = {
  customer: { id: 'M-70031', name: 'Huang Jing', phone: '135-0101-7788' },
  order: { id: 'SO-2026-11-0467', amount: 2599.5, paymentMethod: 'alipay' },
  product: { model: 'WM-80', serial: 'WM80-2026-220319' },
  reason: 'Does not fit the bathroom niche',
};

describe('the SLA report over cases the engine ran', () => {
  const suite = devServerSuite();

  it('counts the clock of a case cancelled in time as cancelled, not met, and leaves it out of met %', async () => {
    const decided = uniqueName('RT');
    await suite.client.openCase('return', input, { caseId: decided, owner: agent.id });
    await complete(suite.client, decided, 'eligibility', 'eligible', agent);
    await complete(suite.client, decided, 'manager-approval', 'rejected', manager);
    expect((await closed(suite.client, decided)).outcome).toBe('rejected');

    const withdrawn = uniqueName('RT');
    await suite.client.openCase('return', input, { caseId: withdrawn, owner: agent.id });
    await openTaskOf(suite.client, withdrawn, 'eligibility');
    await suite.client.cancelCase(withdrawn, 'the customer keeps the product', manager);
    expect((await closed(suite.client, withdrawn)).outcome).toBe('cancelled');

    // What the engine wrote: both review clocks stopped `met`; the cancelled one by the closing.
    const stops = await suite.db.pool.query<{ case_id: string; result: string; reason: string }>(
      "SELECT case_id, result, reason FROM sla_events WHERE clock = 'review' AND event_type = 'stopped' ORDER BY case_id = $1",
      [withdrawn],
    );
    expect(stops.rows).toEqual([
      { case_id: decided, result: 'met', reason: 'step left manager-approval' },
      { case_id: withdrawn, result: 'met', reason: 'case closed' },
    ]);

    const report = await slaReport(suite.db.pool, { process: 'return', timeZone });
    expect(report.rows).toEqual([
      { process: 'return', clock: 'review', title: 'Application reviewed and decided', met: 1, breached: 0, metPercent: 100, cancelled: 1, cancelledBreached: 0, running: 0, runningBreached: 0 },
    ]);
  });
});
