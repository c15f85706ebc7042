/**
 * The shipped exchange process on the dev server and PostgreSQL, driven through the client as
 * the service agent, the manager and the parts group would: not eligible, rejected, the two
 * parallel branches (the replacement shipped and tracked, the original received into stock),
 * the customer's check and its coordination loop and bound, three failed deliveries, and a
 * replacement out of stock escalated to the parts group.
 */
import { actAs } from '../../helpers/env.js';
import { describe, expect, it } from 'vitest';
import { openTaskOf } from '../../helpers/cases.js';
import { complete, closed, stepsEntered } from '../../helpers/drive.js';
import { uniqueName } from '../../helpers/env.js';
import { checkedBookOf, customerNoticesOf, movementsOf, rowsOf } from '../../helpers/records.js';
import { devServerSuite } from '../../helpers/suites.js';
import { clearTextIn, personalDataOf } from '../../helpers/privacy.js';

const agent = actAs('li.na', 'agent');
const manager = actAs('wang.fang', 'manager');
const partsGroup = actAs('zhou.jun', 'parts');

const input = {
  customer: { id: 'M-50218', name: 'Chen Lu', phone: '136-5521-0090', address: '12 Wenyi West Road, Hangzhou' },
  order: { id: 'SO-2026-11-0381', purchaseDate: '2026-11-20' },
  product: { model: 'RF-320', serial: 'RF320-2026-004471' },
  reason: 'The freezer does not get below -5 °C',
  replacement: 'RF-320',
};

describe('the exchange process', () => {
  const suite = devServerSuite();

  const open = (caseId: string, overrides: Record<string, unknown> = {}) => suite.client.openCase('exchange', { ...input, ...overrides }, { caseId, owner: agent.id });

  const rows = (sql: string, caseId: string) => rowsOf(suite.db.pool, sql, caseId);
  const caseRow = async (caseId: string) => (await rows('SELECT process, customer_id, outcome, closed_at FROM cases WHERE case_id = $1', caseId))[0];
  const approvals = (caseId: string) => rows('SELECT subject, decision FROM approvals WHERE case_id = $1 ORDER BY decided_at', caseId);
  const shipments = (caseId: string) => rows('SELECT shipment_id, direction, part_no, quantity, customer_id, address, carrier, tracking_number, status FROM shipments WHERE case_id = $1', caseId);
  const movements = (caseId: string) => movementsOf(suite.db.pool, caseId);
  const toCustomer = (caseId: string) => customerNoticesOf(suite.db.pool, caseId);

  const book = (partNo: string) => checkedBookOf(suite.db.pool, partNo);

  async function stoppedClocks(caseId: string) {
    const stopped = await rows("SELECT clock, result FROM sla_events WHERE case_id = $1 AND event_type = 'stopped' ORDER BY clock", caseId);
    return Object.fromEntries(stopped.map((r) => [r.clock, r.result]));
  }

  it('closes an application that is not eligible without asking the manager', async () => {
    const caseId = uniqueName('EX');
    await open(caseId);
    await complete(suite.client, caseId, 'eligibility', 'not-eligible', agent, { notes: 'Bought 40 days ago, outside the window' });
    const view = await closed(suite.client, caseId);
    expect(view.outcome).toBe('not-eligible');
    expect(view.data.eligibility).toEqual({ notes: 'Bought 40 days ago, outside the window' });
    expect(await caseRow(caseId)).toMatchObject({ process: 'exchange', customer_id: 'M-50218', outcome: 'not-eligible', closed_at: expect.any(Date) });
    expect(await stepsEntered(suite.client, caseId)).not.toContain('manager-approval');
    expect(await approvals(caseId)).toEqual([]);
    expect(await shipments(caseId)).toEqual([]);
  });

  it('records the manager’s rejection and ships nothing', async () => {
    const caseId = uniqueName('EX');
    const before = await book('RF-320');
    await open(caseId);
    await complete(suite.client, caseId, 'eligibility', 'eligible', agent);
    await complete(suite.client, caseId, 'manager-approval', 'rejected', manager);
    expect((await closed(suite.client, caseId)).outcome).toBe('rejected');
    expect(await approvals(caseId)).toEqual([{ subject: 'exchange', decision: 'rejected' }]);
    expect(await caseRow(caseId)).toMatchObject({ outcome: 'rejected', closed_at: expect.any(Date) });
    expect(await stepsEntered(suite.client, caseId)).not.toContain('swap');
    expect(await shipments(caseId)).toEqual([]);
    expect(await movements(caseId)).toEqual([]);
    expect(await book('RF-320')).toEqual(before);
    expect(await stoppedClocks(caseId)).toEqual({ review: 'met' });
  });

  it('ships the replacement, retries a failed delivery, takes back a damaged original, and coordinates until the customer accepts', async () => {
    const caseId = uniqueName('EX');
    const before = await book('RF-320');
    await open(caseId);
    await complete(suite.client, caseId, 'eligibility', 'eligible', agent, { notes: 'Receipt checked, serial matches' });
    await complete(suite.client, caseId, 'manager-approval', 'approved', manager);

    // Both branches run at once: the agent tracks the delivery while the parts group receives the original.
    await openTaskOf(suite.client, caseId, 'track-delivery');
    await openTaskOf(suite.client, caseId, 'receive-original');
    const [shipment] = await shipments(caseId);
    expect(shipment).toMatchObject({ direction: 'outbound', part_no: 'RF-320', quantity: 1, customer_id: 'M-50218', address: input.customer.address, carrier: 'SF Express', status: 'shipped' });
    const [message] = await toCustomer(caseId);
    expect(message).toMatchObject({ recipient_customer: 'M-50218', channel: 'sms', subject: 'Your replacement is on its way' });
    expect(message.body).toContain(`tracking number ${shipment.tracking_number} (SF Express)`);

    await complete(suite.client, caseId, 'track-delivery', 'not-delivered', agent);
    await complete(suite.client, caseId, 'receive-original', 'received', partsGroup, { condition: 'damaged' });
    await complete(suite.client, caseId, 'track-delivery', 'delivered', agent);

    await complete(suite.client, caseId, 'customer-check', 'not-acceptable', agent);
    await complete(suite.client, caseId, 'coordinate', 'resolved', agent, { agreement: 'Technician adjusts the door hinge on Friday' });
    await complete(suite.client, caseId, 'customer-check', 'accepted', agent);

    const view = await closed(suite.client, caseId);
    expect(view.outcome).toBe('exchanged');
    const steps = await stepsEntered(suite.client, caseId);
    expect(steps.filter((s) => s === 'record-failed-delivery')).toHaveLength(1);
    expect(steps.filter((s) => s === 'customer-check')).toHaveLength(2);
    expect(steps).not.toContain('delivery-failed');

    expect(await approvals(caseId)).toEqual([{ subject: 'exchange', decision: 'approved' }]);
    expect(await shipments(caseId)).toEqual([expect.objectContaining({ status: 'delivered', tracking_number: shipment.tracking_number })]);
    const deliveries = await rows("SELECT detail->>'status' AS status FROM case_events WHERE case_id = $1 AND event_type = 'delivery-recorded' ORDER BY recorded_at", caseId);
    expect(deliveries.map((d) => d.status)).toEqual(['failed', 'delivered']);
    expect(await movements(caseId)).toEqual([
      { part_no: 'RF-320', kind: 'issue', quantity: 1, delta: -1, condition: null, reason: 'replacement', reference: shipment.shipment_id },
      { part_no: 'RF-320', kind: 'return', quantity: 1, delta: 1, condition: 'damaged', reason: 'exchange-original', reference: 'SO-2026-11-0381' },
    ]);
    // One out, one back (flagged damaged, so it is never shipped to the next customer).
    expect(await book('RF-320')).toEqual({ onHand: before.onHand, damaged: before.damaged + 1 });
    expect(await toCustomer(caseId)).toHaveLength(1);
    expect(await caseRow(caseId)).toMatchObject({ outcome: 'exchanged', closed_at: expect.any(Date) });
    expect(await stoppedClocks(caseId)).toEqual({ delivery: 'met', review: 'met' });
  });

  it('hands the delivery to the parts group after three failed attempts', async () => {
    const caseId = uniqueName('EX');
    const before = await book('RF-320');
    await open(caseId);
    await complete(suite.client, caseId, 'eligibility', 'eligible', agent);
    await complete(suite.client, caseId, 'manager-approval', 'approved', manager);
    await complete(suite.client, caseId, 'receive-original', 'received', partsGroup, { condition: 'good' });
    for (let attempt = 1; attempt <= 3; attempt++) await complete(suite.client, caseId, 'track-delivery', 'not-delivered', agent);

    const task = await openTaskOf(suite.client, caseId, 'delivery-failed');
    expect(task).toMatchObject({ role: 'parts', outcomes: ['redelivered'] });
    let view = await suite.client.getCase(caseId);
    expect(view.timeline.find((e) => e.type === 'visits-exceeded')).toMatchObject({ step: 'track-delivery' });
    expect(Object.values(view.tasks).filter((t) => t.stepId === 'track-delivery')).toHaveLength(3);
    expect(await shipments(caseId)).toEqual([expect.objectContaining({ status: 'failed' })]);

    await complete(suite.client, caseId, 'delivery-failed', 'redelivered', partsGroup);
    await complete(suite.client, caseId, 'customer-check', 'accepted', agent);
    view = await closed(suite.client, caseId);
    expect(view.outcome).toBe('exchanged');
    expect((await stepsEntered(suite.client, caseId)).filter((s) => s === 'record-failed-delivery')).toHaveLength(3);
    // The parts group got it delivered: the shipment says so.
    expect(await shipments(caseId)).toEqual([expect.objectContaining({ status: 'delivered' })]);
    expect((await movements(caseId)).map((m) => [m.kind, m.condition])).toEqual([
      ['issue', null],
      ['return', 'good'],
    ]);
    expect(await book('RF-320')).toEqual(before);
    // The delivery clock stopped when the parts group got it delivered, not at the customer's check.
    const delivery = await rows("SELECT reason FROM sla_events WHERE case_id = $1 AND clock = 'delivery' AND event_type = 'stopped'", caseId);
    expect(delivery).toEqual([{ reason: 'step left delivery-failed' }]);
  });

  it('escalates a replacement that is out of stock to the parts group, who retry once goods are in', async () => {
    const caseId = uniqueName('EX');
    // A stock-take finds both TV-55U sold: nothing to ship.
    await suite.db.pool.query(
      `INSERT INTO stock_movements (movement_key, part_no, kind, quantity, delta, reason, reference) VALUES ('test:tv-55u-sold-out', 'TV-55U', 'adjustment', 2, -2, 'stock-take', 'stock-take 2026-11-b')`,
    );
    expect(await book('TV-55U')).toEqual({ onHand: 0, damaged: 0 });
    await open(caseId, { product: { model: 'TV-55U', serial: 'TV55U-2026-000712' }, reason: 'Dead pixels in the upper left corner', replacement: 'TV-55U' });
    await complete(suite.client, caseId, 'eligibility', 'eligible', agent);
    await complete(suite.client, caseId, 'manager-approval', 'approved', manager);

    const escalation = await openTaskOf(suite.client, caseId, 'ship-replacement');
    expect(escalation).toMatchObject({ role: 'parts', outcomes: ['retry', 'handled-manually'], escalation: { stepId: 'ship-replacement', activity: 'ship-replacement' } });
    expect(escalation.instructions).toBe('The replacement is not in stock; arrange one and ship it by hand.');
    expect(escalation.escalation?.error).toContain('not enough stock of TV-55U (Television TV-55U (55" 4K)): 0 on hand, 1 requested');
    expect(await shipments(caseId)).toEqual([]);

    // Goods-in receives one from the supplier; the parts group retries the shipment.
    await suite.db.pool.query(
      `INSERT INTO stock_movements (movement_key, part_no, kind, quantity, delta, condition, reason, reference) VALUES ('test:tv-55u-delivery', 'TV-55U', 'receipt', 1, 1, 'good', 'supplier-delivery', 'DN-2026-1187')`,
    );
    await suite.client.completeTask(caseId, escalation.id, { outcome: 'retry', actor: partsGroup });
    await complete(suite.client, caseId, 'track-delivery', 'delivered', agent);
    await complete(suite.client, caseId, 'receive-original', 'received', partsGroup, { condition: 'damaged' });
    await complete(suite.client, caseId, 'customer-check', 'accepted', agent);

    const view = await closed(suite.client, caseId);
    expect(view.outcome).toBe('exchanged');
    expect(view.timeline.filter((e) => e.type === 'action-failed' && e.step === 'ship-replacement')).toHaveLength(1);
    expect(view.timeline.filter((e) => e.type === 'escalated')).toHaveLength(1);
    expect(await shipments(caseId)).toEqual([expect.objectContaining({ part_no: 'TV-55U', status: 'delivered' })]);
    expect((await movements(caseId)).map((m) => [m.part_no, m.kind, m.delta, m.condition])).toEqual([
      ['TV-55U', 'issue', -1, null],
      ['TV-55U', 'return', 1, 'damaged'],
    ]);
    expect(await book('TV-55U')).toEqual({ onHand: 1, damaged: 1 });
  });

  it('lets the parts group ship an out-of-stock replacement by hand and confirm its delivery', async () => {
    const caseId = uniqueName('EX');
    // A stock-take finds the four good WM-80 gone (the fifth is damaged): nothing can be shipped.
    await suite.db.pool.query(
      `INSERT INTO stock_movements (movement_key, part_no, kind, quantity, delta, reason, reference) VALUES ('test:wm-80-sold-out', 'WM-80', 'adjustment', 4, -4, 'stock-take', 'stock-take 2026-11-b')`,
    );
    const before = await book('WM-80');
    expect(before).toEqual({ onHand: 1, damaged: 1 });
    await open(caseId, { product: { model: 'WM-80', serial: 'WM80-2026-118204' }, reason: 'The drum does not turn', replacement: 'WM-80' });
    await complete(suite.client, caseId, 'eligibility', 'eligible', agent);
    await complete(suite.client, caseId, 'manager-approval', 'approved', manager);
    await complete(suite.client, caseId, 'ship-replacement', 'handled-manually', partsGroup);
    await complete(suite.client, caseId, 'delivered-by-hand', 'delivered', partsGroup);
    await complete(suite.client, caseId, 'receive-original', 'received', partsGroup, { condition: 'good' });
    await complete(suite.client, caseId, 'customer-check', 'accepted', agent);

    const view = await closed(suite.client, caseId);
    expect(view.outcome).toBe('exchanged');
    const steps = await stepsEntered(suite.client, caseId);
    expect(steps).not.toContain('tell-customer');
    expect(steps).not.toContain('track-delivery');
    expect(await shipments(caseId)).toEqual([]);
    expect(await toCustomer(caseId)).toEqual([]);
    expect(await rows("SELECT reason, result FROM sla_events WHERE case_id = $1 AND clock = 'delivery' AND event_type = 'stopped'", caseId)).toEqual([{ reason: 'step left delivered-by-hand', result: 'met' }]);
    expect((await movements(caseId)).map((m) => [m.part_no, m.kind, m.condition])).toEqual([['WM-80', 'return', 'good']]);
    expect(await book('WM-80')).toEqual({ onHand: 2, damaged: 1 });
  });

  it('closes as unresolved when the customer still does not accept after four checks', async () => {
    const caseId = uniqueName('EX');
    await open(caseId);
    await complete(suite.client, caseId, 'eligibility', 'eligible', agent);
    await complete(suite.client, caseId, 'manager-approval', 'approved', manager);
    await complete(suite.client, caseId, 'track-delivery', 'delivered', agent);
    await complete(suite.client, caseId, 'receive-original', 'received', partsGroup, { condition: 'good' });
    for (let round = 1; round <= 4; round++) {
      await complete(suite.client, caseId, 'customer-check', 'not-acceptable', agent);
      await complete(suite.client, caseId, 'coordinate', 'resolved', agent, { agreement: `attempt ${round}` });
    }
    const view = await closed(suite.client, caseId);
    expect(view.outcome).toBe('unresolved');
    expect(view.timeline.find((e) => e.type === 'visits-exceeded')).toMatchObject({ step: 'customer-check' });
    expect(Object.values(view.tasks).filter((t) => t.stepId === 'customer-check')).toHaveLength(4);
    expect(view.data).not.toHaveProperty('coordinate');
    expect(await caseRow(caseId)).toMatchObject({ outcome: 'unresolved', closed_at: expect.any(Date) });
    expect(await shipments(caseId)).toEqual([expect.objectContaining({ status: 'delivered' })]);
  });

  it('keeps no customer name, phone or address in clear in Temporal: histories, visibility and descriptions of every case above', async () => {
    const secrets = [...new Set(suite.opened.flatMap(personalDataOf))];
    expect(secrets.length).toBeGreaterThan(0);
    expect(await clearTextIn(suite.client.temporal, suite.taskQueue, secrets)).toEqual([]);
  });
});
