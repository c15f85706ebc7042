/**
 * The shipped return process on the dev server and PostgreSQL, driven through the client as
 * the service agent, the manager, logistics and finance would (manual 002 §五(二)): not
 * eligible, rejected, the parcel signed for, customer service's inspection, finance told to
 * refund and refunding by the original payment method exactly once with the product back in
 * stock, and a failed inspection negotiated to a refund or to the product sent back.
 */
import { actAs } from '../../helpers/env.js';
import { describe, expect, it } from 'vitest';
import { CaseInputInvalidError, RequestRejectedError } from '../../../client/index.js';
import { openTaskOf } from '../../helpers/cases.js';
import { complete, closed, stepsEntered } from '../../helpers/drive.js';
import { uniqueName } from '../../helpers/env.js';
import { checkedBookOf, customerNoticesOf, movementsOf, rowsOf } from '../../helpers/records.js';
import { devServerSuite } from '../../helpers/suites.js';
import { clearTextIn, personalDataOf } from '../../helpers/privacy.js';

const agent = actAs('li.na', 'agent');
const manager = actAs('wang.fang', 'manager');
const logistics = actAs('sun.hao', 'logistics');
const finance = actAs('qian.yu', 'finance');
const partsGroup = actAs('zhou.jun', 'parts');

const input = {
  customer: { id: 'M-70031', name: 'Huang Jing', phone: '135-0101-7788' },
  order: { id: 'SO-2026-11-0467', amount: 2599.5, paymentMethod: 'alipay' },
  product: { model: 'WM-80', serial: 'WM80-2026-220319' },
  reason: 'Does not fit the bathroom niche',
};
const returnAddress = 'Aftercare returns centre, 1 Warehouse Road, Jiading, Shanghai';

describe('the return process', () => {
  const suite = devServerSuite();

  const open = (caseId: string, overrides: Record<string, unknown> = {}) => suite.client.openCase('return', { ...input, ...overrides }, { caseId, owner: agent.id });

  const rows = (sql: string, caseId: string) => rowsOf(suite.db.pool, sql, caseId);
  const caseRow = async (caseId: string) => (await rows('SELECT process, customer_id, outcome, closed_at FROM cases WHERE case_id = $1', caseId))[0];
  const approvals = async (caseId: string) =>
    (await rows('SELECT subject, decision, amount FROM approvals WHERE case_id = $1 ORDER BY decided_at', caseId)).map((r) => ({ ...r, amount: Number(r.amount) }));
  const refunds = async (caseId: string) =>
    (await rows('SELECT refund_id, order_id, amount, currency, payment_method FROM refunds WHERE case_id = $1', caseId)).map((r) => ({ ...r, amount: Number(r.amount) }));
  const parcels = (caseId: string) => rows('SELECT direction, tracking_number, description, condition, status FROM shipments WHERE case_id = $1', caseId);
  const movements = (caseId: string) => movementsOf(suite.db.pool, caseId);
  const toCustomer = (caseId: string) => customerNoticesOf(suite.db.pool, caseId);
  const toFinance = (caseId: string) =>
    rows("SELECT channel, subject, body FROM notifications WHERE case_id = $1 AND recipient_role = 'finance' ORDER BY notification_id", caseId);

  const book = (partNo: string) => checkedBookOf(suite.db.pool, partNo);

  async function approveAndReceive(caseId: string, parcel: Record<string, unknown>) {
    await complete(suite.client, caseId, 'eligibility', 'eligible', agent);
    await complete(suite.client, caseId, 'manager-approval', 'approved', manager);
    await complete(suite.client, caseId, 'sign-for-parcel', 'received', logistics, parcel);
  }

  it('refuses to open a return whose amount is finer than the fen, which no refund could pay', async () => {
    const caseId = uniqueName('RT');
    const opening = open(caseId, { order: { ...input.order, amount: 2599.505 } });
    await expect(opening).rejects.toBeInstanceOf(CaseInputInvalidError);
    await expect(opening).rejects.toMatchObject({ message: expect.stringContaining('order.amount') });
    expect(await caseRow(caseId)).toBeUndefined();
  });

  it('closes an application that is not eligible without asking the manager', async () => {
    const caseId = uniqueName('RT');
    await open(caseId);
    await complete(suite.client, caseId, 'eligibility', 'not-eligible', agent);
    expect((await closed(suite.client, caseId)).outcome).toBe('not-eligible');
    expect(await caseRow(caseId)).toMatchObject({ process: 'return', customer_id: 'M-70031', outcome: 'not-eligible', closed_at: expect.any(Date) });
    expect(await stepsEntered(suite.client, caseId)).not.toContain('manager-approval');
    expect(await approvals(caseId)).toEqual([]);
    expect(await toCustomer(caseId)).toEqual([]);
    expect(await refunds(caseId)).toEqual([]);
  });

  it('records the manager’s rejection, with the amount at stake, and tells the customer nowhere to send anything', async () => {
    const caseId = uniqueName('RT');
    await open(caseId);
    await complete(suite.client, caseId, 'eligibility', 'eligible', agent);
    await complete(suite.client, caseId, 'manager-approval', 'rejected', manager);
    expect((await closed(suite.client, caseId)).outcome).toBe('rejected');
    expect(await approvals(caseId)).toEqual([{ subject: 'return', decision: 'rejected', amount: 2599.5 }]);
    expect(await caseRow(caseId)).toMatchObject({ outcome: 'rejected', closed_at: expect.any(Date) });
    expect(await toCustomer(caseId)).toEqual([]);
    expect(await parcels(caseId)).toEqual([]);
    expect(await refunds(caseId)).toEqual([]);
  });

  it('refunds a product that customer service passes, once finance refunds it by the original payment method, and takes it back into stock', async () => {
    const caseId = uniqueName('RT');
    const before = await book('WM-80');
    await open(caseId);
    await approveAndReceive(caseId, { trackingNumber: 'YT2026112600417', condition: 'box dented' });

    // Customer service inspects (§五(二)6), not the parts group, which the process no longer names.
    const inspection = await openTaskOf(suite.client, caseId, 'inspect');
    expect(inspection.role).toBe('agent');
    const byParts = suite.client.completeTask(caseId, inspection.id, { outcome: 'pass', data: { findings: 'Looks fine' }, actor: partsGroup });
    await expect(byParts).rejects.toBeInstanceOf(RequestRejectedError);
    await expect(byParts).rejects.toMatchObject({ code: 'ROLE_UNKNOWN' });
    await complete(suite.client, caseId, 'inspect', 'pass', agent, { findings: 'Unused, all accessories, runs a full cycle' });

    // Passed: finance is told, and nothing is refunded until finance acts (§五(二)7).
    const refundTask = await openTaskOf(suite.client, caseId, 'finance-refund');
    expect(refundTask).toMatchObject({ role: 'finance', outcomes: ['refund'] });
    expect(await toFinance(caseId)).toEqual([
      { channel: 'internal', subject: `Refund for return ${caseId}`, body: 'The returned product passed the inspection: refund 2599.5 CNY of order SO-2026-11-0467 by alipay.' },
    ]);
    expect(await refunds(caseId)).toEqual([]);
    const byAgent = suite.client.completeTask(caseId, refundTask.id, { outcome: 'refund', actor: agent });
    await expect(byAgent).rejects.toMatchObject({ code: 'ROLE_NOT_ALLOWED' });
    await complete(suite.client, caseId, 'finance-refund', 'refund', finance);

    const view = await closed(suite.client, caseId);
    expect(view.outcome).toBe('refunded');
    expect(await stepsEntered(suite.client, caseId)).not.toContain('negotiate');

    expect(await approvals(caseId)).toEqual([{ subject: 'return', decision: 'approved', amount: 2599.5 }]);
    const messages = await toCustomer(caseId);
    expect(messages).toEqual([{ recipient_customer: 'M-70031', channel: 'sms', subject: 'Your return was approved', body: `Huang Jing, please send the WM-80 to ${returnAddress}, quoting case ${caseId}.` }]);
    expect(await parcels(caseId)).toEqual([{ direction: 'inbound', tracking_number: 'YT2026112600417', description: `WM-80 returned for case ${caseId}`, condition: 'box dented', status: 'received' }]);

    const refund = await refunds(caseId);
    expect(refund).toEqual([{ refund_id: expect.stringMatching(/^RF-\d{6}$/), order_id: 'SO-2026-11-0467', amount: 2599.5, currency: 'CNY', payment_method: 'alipay' }]);
    expect(view.data.refund).toEqual({ refundId: refund[0]?.refund_id });

    expect(await movements(caseId)).toEqual([{ part_no: 'WM-80', kind: 'return', quantity: 1, delta: 1, condition: 'good', reason: 'returned-by-customer', reference: 'SO-2026-11-0467' }]);
    expect(await book('WM-80')).toEqual({ onHand: before.onHand + 1, damaged: before.damaged });
    expect(await caseRow(caseId)).toMatchObject({ outcome: 'refunded', closed_at: expect.any(Date) });
    // Who inspected and who refunded is in the audit trail.
    expect(await rows("SELECT step_id AS step, actor, detail->>'outcome' AS outcome FROM case_events WHERE case_id = $1 AND event_type = 'task-completed' AND step_id IN ('inspect', 'finance-refund') ORDER BY occurred_at, event_key", caseId)).toEqual([
      { step: 'inspect', actor: agent.id, outcome: 'pass' },
      { step: 'finance-refund', actor: finance.id, outcome: 'refund' },
    ]);
    const clocks = await rows("SELECT clock, result FROM sla_events WHERE case_id = $1 AND event_type = 'stopped' ORDER BY clock", caseId);
    expect(clocks).toEqual([
      { clock: 'refund', result: 'met' },
      { clock: 'review', result: 'met' },
    ]);
  });

  it('refunds once what fails the inspection when the customer and the agent agree on it, and stocks it as damaged', async () => {
    const caseId = uniqueName('RT');
    const before = await book('WM-80');
    await open(caseId, { order: { id: 'SO-2026-11-0502', amount: 2399, paymentMethod: 'wechat-pay' } });
    await approveAndReceive(caseId, { trackingNumber: 'SF1402266610' });
    await complete(suite.client, caseId, 'inspect', 'fail', agent, { findings: 'Drum scratched, door seal torn' });
    await complete(suite.client, caseId, 'negotiate', 'refund-agreed', agent);
    await openTaskOf(suite.client, caseId, 'finance-refund');
    expect(await toFinance(caseId)).toEqual([expect.objectContaining({ body: 'The customer and customer service agreed on a refund: refund 2399 CNY of order SO-2026-11-0502 by wechat-pay.' })]);
    await complete(suite.client, caseId, 'finance-refund', 'refund', finance);

    expect((await closed(suite.client, caseId)).outcome).toBe('refunded');
    const steps = await stepsEntered(suite.client, caseId);
    expect(steps.filter((s) => s === 'refund')).toHaveLength(1);
    expect(steps.indexOf('negotiate')).toBeLessThan(steps.indexOf('refund'));
    // Logistics noted nothing on the outside.
    expect(await parcels(caseId)).toEqual([expect.objectContaining({ tracking_number: 'SF1402266610', condition: 'not noted' })]);
    expect(await refunds(caseId)).toEqual([{ refund_id: expect.stringMatching(/^RF-/), order_id: 'SO-2026-11-0502', amount: 2399, currency: 'CNY', payment_method: 'wechat-pay' }]);
    expect((await movements(caseId)).map((m) => [m.part_no, m.kind, m.condition])).toEqual([['WM-80', 'return', 'damaged']]);
    expect(await book('WM-80')).toEqual({ onHand: before.onHand + 1, damaged: before.damaged + 1 });
    // The refund clock starts only on a passed inspection.
    expect(await rows("SELECT event_type FROM sla_events WHERE case_id = $1 AND clock = 'refund'", caseId)).toEqual([]);
  });

  it('sends back a product that fails the inspection when no refund is agreed: no refund, nothing into stock', async () => {
    const caseId = uniqueName('RT');
    const before = await book('WM-80');
    await open(caseId, { order: { id: 'SO-2026-11-0533', amount: 2399, paymentMethod: 'card' } });
    await approveAndReceive(caseId, { trackingNumber: 'ZT7730019921', condition: 'opened' });
    await complete(suite.client, caseId, 'inspect', 'fail', agent, { findings: 'Water damage from a flood, not a defect' });
    await complete(suite.client, caseId, 'negotiate', 'product-sent-back', agent);

    expect((await closed(suite.client, caseId)).outcome).toBe('sent-back');
    expect(await stepsEntered(suite.client, caseId)).not.toContain('refund');
    expect(await caseRow(caseId)).toMatchObject({ outcome: 'sent-back', closed_at: expect.any(Date) });
    expect(await parcels(caseId)).toEqual([expect.objectContaining({ direction: 'inbound', status: 'received' })]);
    expect(await refunds(caseId)).toEqual([]);
    expect(await toFinance(caseId)).toEqual([]);
    expect(await movements(caseId)).toEqual([]);
    expect(await book('WM-80')).toEqual(before);
  });

  it('keeps no customer name, phone or address in clear in Temporal: histories, visibility and descriptions of every case above', async () => {
    const secrets = [...new Set(suite.opened.flatMap(personalDataOf))];
    expect(secrets.length).toBeGreaterThan(0);
    expect(await clearTextIn(suite.client.temporal, suite.taskQueue, secrets)).toEqual([]);
  });
});
