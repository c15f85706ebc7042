/**
 * The shipped repair process (and the parts requisition it opens) on the dev server and
 * PostgreSQL: the warranty decision, dispatch by skill and load, the appointment loop and its
 * bound, consent before parts, requisitions with and without the manager, a failed test, the
 * customer not satisfied (the first repair examined before repairing again), the audit loop,
 * and a customer still not satisfied after repeated repairs: the manager decides (another
 * technician, an exchange or a refund), never a silent close (manual 002 §四(四)2).
 */
import { actAs } from '../../helpers/env.js';
import { describe, expect, it } from 'vitest';
import { openTaskOf } from '../../helpers/cases.js';
import { complete, closed, stepsEntered } from '../../helpers/drive.js';
import { uniqueName } from '../../helpers/env.js';
import { devServerSuite } from '../../helpers/suites.js';
import { clearTextIn, personalDataOf } from '../../helpers/privacy.js';

const agent = actAs('li.na', 'agent');
const teamLead = actAs('ma.jun', 'team-lead');
const partsClerk = actAs('he.ping', 'parts');
const manager = actAs('wang.fang', 'manager');
const logistics = actAs('sun.hao', 'logistics');
const finance = actAs('qian.yu', 'finance');

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

const request = (purchaseDate: string) => ({
  customer: { id: 'M-33017', name: 'Sun Qiang', phone: '137-2200-1188', address: 'Room 1202, 88 Tianshan Road, Shanghai' },
  product: { model: 'WM-80', serial: 'WM80-2025-118842' },
  fault: 'The drum makes a grinding noise when spinning',
  purchaseDate,
  skill: 'washing-machine',
});

describe('the repair process', () => {
  const suite = devServerSuite();

  /** The technician the case dispatched (again, after the manager chose another one): only they may do the technician's tasks. */
  const technicianOf = async (caseId: string) => {
    const dispatched = (await suite.client.getCase(caseId)).data.dispatch as { technician: { id: string } };
    return actAs(dispatched.technician.id, 'technician');
  };
  const workOrder = async (caseId: string) => (await suite.db.pool.query('SELECT * FROM work_orders WHERE case_id = $1', [caseId])).rows[0];
  const repairs = async (workOrderId: string) =>
    (await suite.db.pool.query('SELECT attempt, result FROM repairs WHERE work_order_id = $1 ORDER BY attempt', [workOrderId])).rows.map((r) => `${r.attempt}:${r.result}`);
  const onHand = async (partNo: string) => Number((await suite.db.pool.query('SELECT on_hand FROM parts_stock WHERE part_no = $1', [partNo])).rows[0]?.on_hand);
  const movementsOf = async (partNo: string) => Number((await suite.db.pool.query('SELECT coalesce(sum(delta), 0) AS s FROM stock_movements WHERE part_no = $1', [partNo])).rows[0]?.s);

  it('repairs in warranty: dispatch by skill, an unreachable customer, the audit sends the record back once', async () => {
    const caseId = uniqueName('RP');
    await suite.client.openCase('repair', request(daysAgo(60)), { caseId });
    await complete(suite.client, caseId, 'inform-customer', 'informed', agent);
    await complete(suite.client, caseId, 'appointment', 'unreachable', await technicianOf(caseId));
    await complete(suite.client, caseId, 'appointment', 'agreed', await technicianOf(caseId), { visitAt: new Date(Date.now() + 86_400_000).toISOString(), place: 'customer home' });
    await complete(suite.client, caseId, 'diagnose', 'repair', await technicianOf(caseId), { diagnosis: 'Loose drum pulley' });
    await complete(suite.client, caseId, 'repair', 'repaired', await technicianOf(caseId), { work: 'Pulley tightened, belt checked' });
    await complete(suite.client, caseId, 'test', 'passed', await technicianOf(caseId));
    await complete(suite.client, caseId, 'acceptance', 'accepted', await technicianOf(caseId));
    await complete(suite.client, caseId, 'audit', 'back-to-technician', teamLead);
    await complete(suite.client, caseId, 'complete-record', 'completed', await technicianOf(caseId));
    await complete(suite.client, caseId, 'audit', 'approved', teamLead);
    const view = await closed(suite.client, caseId);
    expect(view.outcome).toBe('repaired');

    const order = await workOrder(caseId);
    expect(order).toMatchObject({ in_warranty: true, status: 'archived', product_model: 'WM-80', skill: 'washing-machine' });
    const technicianRow = await suite.db.pool.query('SELECT skills FROM technicians WHERE technician_id = $1', [order.technician_id]);
    expect(technicianRow.rows[0]?.skills).toContain('washing-machine');
    expect(view.data.dispatch).toMatchObject({ technician: { id: order.technician_id } });
    expect(await repairs(order.work_order_id)).toEqual(['1:fixed']);
    const warranty = await suite.db.pool.query('SELECT in_warranty FROM warranty_checks WHERE case_id = $1', [caseId]);
    expect(warranty.rows).toEqual([{ in_warranty: true }]);
  });

  it('closes when the customer declines the out-of-warranty fee', async () => {
    const caseId = uniqueName('RP');
    await suite.client.openCase('repair', request(daysAgo(800)), { caseId });
    await complete(suite.client, caseId, 'quote', 'declined', agent, { fee: 280, paymentMethod: 'wechat-pay' });
    expect((await closed(suite.client, caseId)).outcome).toBe('declined');
    expect(await workOrder(caseId)).toBeUndefined();
    const quote = await suite.db.pool.query('SELECT subject, decision, amount FROM approvals WHERE case_id = $1', [caseId]);
    expect(quote.rows.map((r) => [r.subject, r.decision, Number(r.amount)])).toEqual([['quote', 'rejected', 280]]);
    const record = await suite.db.pool.query('SELECT outcome FROM cases WHERE case_id = $1', [caseId]);
    expect(record.rows).toEqual([{ outcome: 'declined' }]);
  });

  it('repairs out of warranty with parts, a failed test and a dissatisfied customer', async () => {
    const caseId = uniqueName('RP');
    const bearingsBefore = await onHand('WM-BRG-6205');
    await suite.client.openCase('repair', request(daysAgo(800)), { caseId });
    await complete(suite.client, caseId, 'quote', 'accepted', agent, { fee: 150, paymentMethod: 'alipay' });
    await complete(suite.client, caseId, 'appointment', 'agreed', await technicianOf(caseId));
    await complete(suite.client, caseId, 'diagnose', 'needs-parts', await technicianOf(caseId), { diagnosis: 'Worn drum bearings', parts: [{ partNo: 'WM-BRG-6205', quantity: 2 }] });
    await complete(suite.client, caseId, 'parts-consent', 'consented', await technicianOf(caseId));

    // The requisition is a case of its own; cheap parts need no manager.
    const requisition = `${caseId}.requisition`;
    await complete(suite.client, requisition, 'parts-check', 'in-order', partsClerk);
    await complete(suite.client, caseId, 'repair', 'repaired', await technicianOf(caseId), { work: 'Both bearings replaced' });
    await complete(suite.client, caseId, 'test', 'failed', await technicianOf(caseId));
    await complete(suite.client, caseId, 'diagnose', 'repair', await technicianOf(caseId), { diagnosis: 'Bearing seated badly' });
    await complete(suite.client, caseId, 'repair', 'repaired', await technicianOf(caseId), { work: 'Bearing re-seated' });
    await complete(suite.client, caseId, 'test', 'passed', await technicianOf(caseId));
    await complete(suite.client, caseId, 'acceptance', 'not-satisfied', await technicianOf(caseId));
    await complete(suite.client, caseId, 'examine-first-repair', 'examined', teamLead, { finding: 'Noise from the shock absorbers, not the bearings' });
    await complete(suite.client, caseId, 'diagnose', 'repair', await technicianOf(caseId), { diagnosis: 'Worn shock absorbers' });
    await complete(suite.client, caseId, 'repair', 'repaired', await technicianOf(caseId), { work: 'Shock absorbers adjusted' });
    await complete(suite.client, caseId, 'test', 'passed', await technicianOf(caseId));
    await complete(suite.client, caseId, 'acceptance', 'accepted', await technicianOf(caseId));
    await complete(suite.client, caseId, 'audit', 'approved', teamLead);

    const view = await closed(suite.client, caseId);
    expect(view.outcome).toBe('repaired');
    expect(view.data.requisition).toMatchObject({ caseId: requisition, outcome: 'issued' });
    const order = await workOrder(caseId);
    expect(order).toMatchObject({ in_warranty: false, fee: '150.00', status: 'archived' });
    expect(await repairs(order.work_order_id)).toEqual(['1:not-fixed', '2:fixed', '3:fixed']);
    expect(await stepsEntered(suite.client, caseId)).toContain('examine-first-repair');

    // Two bearings left the shelf, once, against the work order; book equals the movements.
    expect(await onHand('WM-BRG-6205')).toBe(bearingsBefore - 2);
    expect(await movementsOf('WM-BRG-6205')).toBe(bearingsBefore - 2);
    const issued = await suite.db.pool.query("SELECT quantity, reference FROM stock_movements WHERE part_no = 'WM-BRG-6205' AND kind = 'issue' AND case_id = $1", [requisition]);
    expect(issued.rows).toEqual([{ quantity: 2, reference: order.work_order_id }]);
  });

  it("asks the manager for a valuable part, and repairs without it when the manager refuses", async () => {
    const caseId = uniqueName('RP');
    const compressorsBefore = await onHand('RF-COMP-320');
    await suite.client.openCase('repair', { ...request(daysAgo(30)), product: { model: 'RF-320', serial: 'RF320-2026-004471' }, skill: 'refrigerator', fault: 'Not cooling' }, { caseId });
    await complete(suite.client, caseId, 'inform-customer', 'informed', agent);
    await complete(suite.client, caseId, 'appointment', 'agreed', await technicianOf(caseId));
    await complete(suite.client, caseId, 'diagnose', 'needs-parts', await technicianOf(caseId), { diagnosis: 'Compressor does not start', parts: [{ partNo: 'RF-COMP-320', quantity: 1 }] });
    await complete(suite.client, caseId, 'parts-consent', 'consented', await technicianOf(caseId));
    const requisition = `${caseId}.requisition`;
    await complete(suite.client, requisition, 'parts-check', 'in-order', partsClerk);
    await complete(suite.client, requisition, 'manager-approval', 'rejected', manager, { note: 'Try the start relay first' });

    // Refused: back to diagnosis, then a repair without the part.
    await complete(suite.client, caseId, 'diagnose', 'repair', await technicianOf(caseId), { diagnosis: 'Start relay faulty' });
    await complete(suite.client, caseId, 'repair', 'repaired', await technicianOf(caseId), { work: 'Start relay replaced from the van stock' });
    await complete(suite.client, caseId, 'test', 'passed', await technicianOf(caseId));
    await complete(suite.client, caseId, 'acceptance', 'accepted', await technicianOf(caseId));
    await complete(suite.client, caseId, 'audit', 'approved', teamLead);
    const view = await closed(suite.client, caseId);
    expect(view.outcome).toBe('repaired');
    expect(view.data.requisition).toMatchObject({ outcome: 'refused' });
    expect(await onHand('RF-COMP-320')).toBe(compressorsBefore);
    const approval = await suite.db.pool.query('SELECT subject, decision, amount, approver_id FROM approvals WHERE case_id = $1', [requisition]);
    expect(approval.rows.map((r) => [r.subject, r.decision, Number(r.amount), r.approver_id])).toEqual([['parts-requisition', 'rejected', 780, 'wang.fang']]);
  });

  it('issues a valuable part once the manager approves it', async () => {
    const caseId = uniqueName('RP');
    const boardsBefore = await onHand('WM-CB-80');
    await suite.client.openCase('repair', request(daysAgo(30)), { caseId });
    await complete(suite.client, caseId, 'inform-customer', 'informed', agent);
    await complete(suite.client, caseId, 'appointment', 'agreed', await technicianOf(caseId));
    await complete(suite.client, caseId, 'diagnose', 'needs-parts', await technicianOf(caseId), { diagnosis: 'Control board burnt', parts: [{ partNo: 'WM-CB-80', quantity: 1 }] });
    await complete(suite.client, caseId, 'parts-consent', 'consented', await technicianOf(caseId));
    await complete(suite.client, `${caseId}.requisition`, 'parts-check', 'in-order', partsClerk);
    await complete(suite.client, `${caseId}.requisition`, 'manager-approval', 'approved', manager);
    await complete(suite.client, caseId, 'repair', 'repaired', await technicianOf(caseId), { work: 'Board replaced' });
    await complete(suite.client, caseId, 'test', 'passed', await technicianOf(caseId));
    await complete(suite.client, caseId, 'acceptance', 'accepted', await technicianOf(caseId));
    await complete(suite.client, caseId, 'audit', 'approved', teamLead);
    expect((await closed(suite.client, caseId)).data.requisition).toMatchObject({ outcome: 'issued' });
    expect(await onHand('WM-CB-80')).toBe(boardsBefore - 1);
  });

  it('repairs without the parts when the customer declines them', async () => {
    const caseId = uniqueName('RP');
    await suite.client.openCase('repair', request(daysAgo(30)), { caseId });
    await complete(suite.client, caseId, 'inform-customer', 'informed', agent);
    await complete(suite.client, caseId, 'appointment', 'agreed', await technicianOf(caseId));
    await complete(suite.client, caseId, 'diagnose', 'needs-parts', await technicianOf(caseId), { diagnosis: 'Door seal torn', parts: [{ partNo: 'WM-SEAL-80', quantity: 1 }] });
    await complete(suite.client, caseId, 'parts-consent', 'declined', await technicianOf(caseId));
    await complete(suite.client, caseId, 'repair', 'repaired', await technicianOf(caseId), { work: 'Seal patched at the customer’s request' });
    await complete(suite.client, caseId, 'test', 'passed', await technicianOf(caseId));
    await complete(suite.client, caseId, 'acceptance', 'accepted', await technicianOf(caseId));
    await complete(suite.client, caseId, 'audit', 'approved', teamLead);
    expect((await closed(suite.client, caseId)).outcome).toBe('repaired');
    expect(await stepsEntered(suite.client, caseId)).not.toContain('requisition');
  });

  it('goes to the team lead after three failed appointment calls, who may cancel', async () => {
    const caseId = uniqueName('RP');
    await suite.client.openCase('repair', request(daysAgo(30)), { caseId });
    await complete(suite.client, caseId, 'inform-customer', 'informed', agent);
    for (let call = 1; call <= 3; call++) await complete(suite.client, caseId, 'appointment', 'unreachable', await technicianOf(caseId));
    await complete(suite.client, caseId, 'team-lead-reschedules', 'cancelled', teamLead);
    expect((await closed(suite.client, caseId)).outcome).toBe('cancelled');
    expect(await workOrder(caseId)).toMatchObject({ status: 'declined' });
  });

  const approvalsOf = async (caseId: string) =>
    (await suite.db.pool.query('SELECT subject, decision, approver_id, note FROM approvals WHERE case_id = $1 ORDER BY decided_at', [caseId])).rows;

  /** One more round the customer does not accept: diagnosed, repaired, tested, not satisfied. */
  async function repairedButNotAccepted(caseId: string, round: number) {
    await complete(suite.client, caseId, 'diagnose', 'repair', await technicianOf(caseId), { diagnosis: `Noise, round ${round}` });
    await complete(suite.client, caseId, 'repair', 'repaired', await technicianOf(caseId), { work: `Adjusted, round ${round}` });
    await complete(suite.client, caseId, 'test', 'passed', await technicianOf(caseId));
    await complete(suite.client, caseId, 'acceptance', 'not-satisfied', await technicianOf(caseId));
  }

  /** In warranty, appointment agreed, and four repairs the customer did not accept (three examined). */
  async function notAcceptedFourTimes(caseId: string) {
    await suite.client.openCase('repair', request(daysAgo(60)), { caseId });
    await complete(suite.client, caseId, 'inform-customer', 'informed', agent);
    await complete(suite.client, caseId, 'appointment', 'agreed', await technicianOf(caseId));
    for (let round = 1; round <= 4; round++) {
      await repairedButNotAccepted(caseId, round);
      if (round < 4) await complete(suite.client, caseId, 'examine-first-repair', 'examined', teamLead, { finding: `Round ${round} looked right` });
    }
  }

  it('repairs again until the customer is satisfied; after four repairs not accepted the manager gives it to another technician', async () => {
    const caseId = uniqueName('RP');
    await notAcceptedFourTimes(caseId);

    // The fourth time: the manager decides, and the case stays open.
    const decision = await openTaskOf(suite.client, caseId, 'manager-decides');
    expect(decision).toMatchObject({ role: 'manager', outcomes: ['another-technician', 'exchange', 'refund'] });
    const view = await suite.client.getCase(caseId);
    expect(view.status).toBe('open');
    expect(view.timeline.find((e) => e.type === 'visits-exceeded')).toMatchObject({ step: 'examine-first-repair' });
    expect((await stepsEntered(suite.client, caseId)).filter((s) => s === 'examine-first-repair')).toHaveLength(3);
    const first = (await technicianOf(caseId)).id;
    await complete(suite.client, caseId, 'manager-decides', 'another-technician', manager, { reason: 'A senior technician should look at the drum' });
    // Another technician with the skill is dispatched, and only they may now do the technician's tasks.
    const second = await technicianOf(caseId);
    expect(second.id).not.toBe(first);
    expect((await openTaskOf(suite.client, caseId, 'appointment')).assignee).toBe(second.id);
    const refused = await suite.client.completeTask(caseId, 'appointment', { outcome: 'agreed', actor: actAs(first, 'technician') }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'NOT_ASSIGNEE' });

    await complete(suite.client, caseId, 'appointment', 'agreed', await technicianOf(caseId));
    await complete(suite.client, caseId, 'diagnose', 'repair', await technicianOf(caseId), { diagnosis: 'Cracked drum spider' });
    await complete(suite.client, caseId, 'repair', 'repaired', await technicianOf(caseId), { work: 'Drum spider replaced' });
    await complete(suite.client, caseId, 'test', 'passed', await technicianOf(caseId));
    await complete(suite.client, caseId, 'acceptance', 'accepted', await technicianOf(caseId));
    await complete(suite.client, caseId, 'audit', 'approved', teamLead);

    const closedView = await closed(suite.client, caseId);
    expect(closedView.outcome).toBe('repaired');
    const order = await workOrder(caseId);
    expect(order).toMatchObject({ status: 'archived' });
    expect(await repairs(order.work_order_id)).toEqual(['1:fixed', '2:fixed', '3:fixed', '4:fixed', '5:fixed']);
    expect(await approvalsOf(caseId)).toEqual([
      { subject: 'resolution', decision: 'approved', approver_id: 'wang.fang', note: 'repair not accepted by the customer: another-technician (A senior technician should look at the drum)' },
    ]);
  });

  it('goes back to the manager at each further dissatisfaction; a refund runs the return process, and the repair closes refunded', async () => {
    const caseId = uniqueName('RP');
    await notAcceptedFourTimes(caseId);
    await complete(suite.client, caseId, 'manager-decides', 'another-technician', manager, { reason: 'Second opinion' });
    await complete(suite.client, caseId, 'appointment', 'agreed', await technicianOf(caseId));
    await repairedButNotAccepted(caseId, 5);

    // Not satisfied again: straight to the manager, not a fourth examination.
    await complete(suite.client, caseId, 'manager-decides', 'refund', manager, { reason: 'Five repairs; the customer wants the money back' });
    await complete(suite.client, caseId, 'prepare-return', 'ready', agent, { orderId: 'SO-2026-01-0917', amount: 2399, paymentMethod: 'card' });

    // The return is a case of its own (manual 002 §五(二)): approved, signed for, inspected by customer service, refunded by finance.
    const returnCase = `${caseId}.return`;
    await complete(suite.client, returnCase, 'eligibility', 'eligible', agent);
    await complete(suite.client, returnCase, 'manager-approval', 'approved', manager);
    await complete(suite.client, returnCase, 'sign-for-parcel', 'received', logistics, { trackingNumber: 'SF0098812' });
    await complete(suite.client, returnCase, 'inspect', 'pass', agent, { findings: 'Drum noise confirmed, otherwise complete' });
    await complete(suite.client, returnCase, 'finance-refund', 'refund', finance);

    const view = await closed(suite.client, caseId);
    expect(view.outcome).toBe('refunded');
    expect(view.data.returnCase).toMatchObject({ caseId: returnCase, outcome: 'refunded' });
    expect((await stepsEntered(suite.client, caseId)).filter((s) => s === 'examine-first-repair')).toHaveLength(3);
    expect((await stepsEntered(suite.client, caseId)).filter((s) => s === 'manager-decides')).toHaveLength(2);
    const refunds = await suite.db.pool.query('SELECT order_id, amount, payment_method FROM refunds WHERE case_id = $1', [returnCase]);
    expect(refunds.rows.map((r) => [r.order_id, Number(r.amount), r.payment_method])).toEqual([['SO-2026-01-0917', 2399, 'card']]);
    const order = await workOrder(caseId);
    expect(order).toMatchObject({ status: 'archived', audit: `not repaired to the customer's satisfaction; returned and refunded in case ${returnCase} (the manager's decision)` });
    expect((await approvalsOf(caseId)).map((a) => a.note)).toEqual([
      'repair not accepted by the customer: another-technician (Second opinion)',
      'repair not accepted by the customer: refund (Five repairs; the customer wants the money back)',
    ]);
  });

  it('exchanges the product when the manager decides so, and back to the manager when the exchange is refused', async () => {
    const caseId = uniqueName('RP');
    await notAcceptedFourTimes(caseId);
    await complete(suite.client, caseId, 'manager-decides', 'exchange', manager, { reason: 'Same noise four times' });
    await complete(suite.client, caseId, 'prepare-exchange', 'ready', agent, { orderId: 'SO-2026-01-0917', replacement: 'WM-80' });
    const first = `${caseId}.exchange`;
    await complete(suite.client, first, 'eligibility', 'not-eligible', agent, { notes: 'Serial does not match the order' });

    // The exchange ended without one: the manager decides again, and the repair is not closed.
    await openTaskOf(suite.client, caseId, 'manager-decides');
    expect((await suite.client.getCase(caseId)).status).toBe('open');
    expect((await suite.client.getCase(caseId)).data.exchangeCase).toMatchObject({ caseId: first, outcome: 'not-eligible' });
    await complete(suite.client, caseId, 'manager-decides', 'exchange', manager, { reason: 'Order corrected' });
    await complete(suite.client, caseId, 'prepare-exchange', 'ready', agent, { orderId: 'SO-2026-01-0918', replacement: 'WM-80' });
    // A second visit of the step opens a case of its own.
    const second = `${caseId}.exchange.2`;
    await complete(suite.client, second, 'eligibility', 'eligible', agent, { notes: 'Order checked' });
    await complete(suite.client, second, 'manager-approval', 'approved', manager);
    await complete(suite.client, second, 'track-delivery', 'delivered', agent);
    await complete(suite.client, second, 'receive-original', 'received', actAs('zhou.jun', 'parts'), { condition: 'damaged' });
    await complete(suite.client, second, 'customer-check', 'accepted', agent);

    const view = await closed(suite.client, caseId);
    expect(view.outcome).toBe('exchanged');
    expect(view.data.exchangeCase).toMatchObject({ caseId: second, outcome: 'exchanged' });
    expect(await workOrder(caseId)).toMatchObject({ status: 'archived', audit: `not repaired to the customer's satisfaction; exchanged in case ${second} (the manager's decision)` });
    const shipped = await suite.db.pool.query("SELECT direction FROM shipments WHERE case_id = $1 ORDER BY direction", [second]);
    expect(shipped.rows.map((r) => r.direction)).toContain('outbound');
  });

  it('keeps no customer name, phone or address in clear in Temporal: histories, visibility and descriptions of every case above', async () => {
    const secrets = [...new Set(suite.opened.flatMap(personalDataOf))];
    expect(secrets.length).toBeGreaterThan(0);
    expect(await clearTextIn(suite.client.temporal, suite.taskQueue, secrets)).toEqual([]);
  });
});
