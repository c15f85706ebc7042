/**
 * The shipped repair process (and the parts requisition it opens) on the dev server and
 * PostgreSQL: the warranty decision, dispatch by skill and load, the appointment loop and its
 * bound, consent before parts, requisitions with and without the manager, a failed test, the
 * customer not satisfied (the first repair examined before repairing again), the audit loop.
 */
import { describe, expect, it } from 'vitest';
import { complete, closed, stepsEntered } from '../../helpers/drive.js';
import { uniqueName } from '../../helpers/env.js';
import { devServerSuite } from '../../helpers/suites.js';
import { clearTextIn, personalDataOf } from '../../helpers/privacy.js';

const agent = { id: 'li.na', role: 'agent' };
const technician = { id: 'T-001', role: 'technician' };
const teamLead = { id: 'ma.jun', role: 'team-lead' };
const partsClerk = { id: 'he.ping', role: 'parts' };
const manager = { id: 'wang.fang', role: 'manager' };

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

  const workOrder = async (caseId: string) => (await suite.db.pool.query('SELECT * FROM work_orders WHERE case_id = $1', [caseId])).rows[0];
  const repairs = async (workOrderId: string) =>
    (await suite.db.pool.query('SELECT attempt, result FROM repairs WHERE work_order_id = $1 ORDER BY attempt', [workOrderId])).rows.map((r) => `${r.attempt}:${r.result}`);
  const onHand = async (partNo: string) => Number((await suite.db.pool.query('SELECT on_hand FROM parts_stock WHERE part_no = $1', [partNo])).rows[0]?.on_hand);
  const movementsOf = async (partNo: string) => Number((await suite.db.pool.query('SELECT coalesce(sum(delta), 0) AS s FROM stock_movements WHERE part_no = $1', [partNo])).rows[0]?.s);

  it('repairs in warranty: dispatch by skill, an unreachable customer, the audit sends the record back once', async () => {
    const caseId = uniqueName('RP');
    await suite.client.openCase('repair', request(daysAgo(60)), { caseId });
    await complete(suite.client, caseId, 'inform-customer', 'informed', agent);
    await complete(suite.client, caseId, 'appointment', 'unreachable', technician);
    await complete(suite.client, caseId, 'appointment', 'agreed', technician, { visitAt: new Date(Date.now() + 86_400_000).toISOString(), place: 'customer home' });
    await complete(suite.client, caseId, 'diagnose', 'repair', technician, { diagnosis: 'Loose drum pulley' });
    await complete(suite.client, caseId, 'repair', 'repaired', technician, { work: 'Pulley tightened, belt checked' });
    await complete(suite.client, caseId, 'test', 'passed', technician);
    await complete(suite.client, caseId, 'acceptance', 'accepted', technician);
    await complete(suite.client, caseId, 'audit', 'back-to-technician', teamLead);
    await complete(suite.client, caseId, 'complete-record', 'completed', technician);
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
    await complete(suite.client, caseId, 'appointment', 'agreed', technician);
    await complete(suite.client, caseId, 'diagnose', 'needs-parts', technician, { diagnosis: 'Worn drum bearings', parts: [{ partNo: 'WM-BRG-6205', quantity: 2 }] });
    await complete(suite.client, caseId, 'parts-consent', 'consented', technician);

    // The requisition is a case of its own; cheap parts need no manager.
    const requisition = `${caseId}.requisition`;
    await complete(suite.client, requisition, 'parts-check', 'in-order', partsClerk);
    await complete(suite.client, caseId, 'repair', 'repaired', technician, { work: 'Both bearings replaced' });
    await complete(suite.client, caseId, 'test', 'failed', technician);
    await complete(suite.client, caseId, 'diagnose', 'repair', technician, { diagnosis: 'Bearing seated badly' });
    await complete(suite.client, caseId, 'repair', 'repaired', technician, { work: 'Bearing re-seated' });
    await complete(suite.client, caseId, 'test', 'passed', technician);
    await complete(suite.client, caseId, 'acceptance', 'not-satisfied', technician);
    await complete(suite.client, caseId, 'examine-first-repair', 'examined', teamLead, { finding: 'Noise from the shock absorbers, not the bearings' });
    await complete(suite.client, caseId, 'diagnose', 'repair', technician, { diagnosis: 'Worn shock absorbers' });
    await complete(suite.client, caseId, 'repair', 'repaired', technician, { work: 'Shock absorbers adjusted' });
    await complete(suite.client, caseId, 'test', 'passed', technician);
    await complete(suite.client, caseId, 'acceptance', 'accepted', technician);
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
    await complete(suite.client, caseId, 'appointment', 'agreed', technician);
    await complete(suite.client, caseId, 'diagnose', 'needs-parts', technician, { diagnosis: 'Compressor does not start', parts: [{ partNo: 'RF-COMP-320', quantity: 1 }] });
    await complete(suite.client, caseId, 'parts-consent', 'consented', technician);
    const requisition = `${caseId}.requisition`;
    await complete(suite.client, requisition, 'parts-check', 'in-order', partsClerk);
    await complete(suite.client, requisition, 'manager-approval', 'rejected', manager, { note: 'Try the start relay first' });

    // Refused: back to diagnosis, then a repair without the part.
    await complete(suite.client, caseId, 'diagnose', 'repair', technician, { diagnosis: 'Start relay faulty' });
    await complete(suite.client, caseId, 'repair', 'repaired', technician, { work: 'Start relay replaced from the van stock' });
    await complete(suite.client, caseId, 'test', 'passed', technician);
    await complete(suite.client, caseId, 'acceptance', 'accepted', technician);
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
    await complete(suite.client, caseId, 'appointment', 'agreed', technician);
    await complete(suite.client, caseId, 'diagnose', 'needs-parts', technician, { diagnosis: 'Control board burnt', parts: [{ partNo: 'WM-CB-80', quantity: 1 }] });
    await complete(suite.client, caseId, 'parts-consent', 'consented', technician);
    await complete(suite.client, `${caseId}.requisition`, 'parts-check', 'in-order', partsClerk);
    await complete(suite.client, `${caseId}.requisition`, 'manager-approval', 'approved', manager);
    await complete(suite.client, caseId, 'repair', 'repaired', technician, { work: 'Board replaced' });
    await complete(suite.client, caseId, 'test', 'passed', technician);
    await complete(suite.client, caseId, 'acceptance', 'accepted', technician);
    await complete(suite.client, caseId, 'audit', 'approved', teamLead);
    expect((await closed(suite.client, caseId)).data.requisition).toMatchObject({ outcome: 'issued' });
    expect(await onHand('WM-CB-80')).toBe(boardsBefore - 1);
  });

  it('repairs without the parts when the customer declines them', async () => {
    const caseId = uniqueName('RP');
    await suite.client.openCase('repair', request(daysAgo(30)), { caseId });
    await complete(suite.client, caseId, 'inform-customer', 'informed', agent);
    await complete(suite.client, caseId, 'appointment', 'agreed', technician);
    await complete(suite.client, caseId, 'diagnose', 'needs-parts', technician, { diagnosis: 'Door seal torn', parts: [{ partNo: 'WM-SEAL-80', quantity: 1 }] });
    await complete(suite.client, caseId, 'parts-consent', 'declined', technician);
    await complete(suite.client, caseId, 'repair', 'repaired', technician, { work: 'Seal patched at the customer’s request' });
    await complete(suite.client, caseId, 'test', 'passed', technician);
    await complete(suite.client, caseId, 'acceptance', 'accepted', technician);
    await complete(suite.client, caseId, 'audit', 'approved', teamLead);
    expect((await closed(suite.client, caseId)).outcome).toBe('repaired');
    expect(await stepsEntered(suite.client, caseId)).not.toContain('requisition');
  });

  it('goes to the team lead after three failed appointment calls, who may cancel', async () => {
    const caseId = uniqueName('RP');
    await suite.client.openCase('repair', request(daysAgo(30)), { caseId });
    await complete(suite.client, caseId, 'inform-customer', 'informed', agent);
    for (let call = 1; call <= 3; call++) await complete(suite.client, caseId, 'appointment', 'unreachable', technician);
    await complete(suite.client, caseId, 'team-lead-reschedules', 'cancelled', teamLead);
    expect((await closed(suite.client, caseId)).outcome).toBe('cancelled');
    expect(await workOrder(caseId)).toMatchObject({ status: 'declined' });
  });

  it('keeps no customer name, phone or address in clear in Temporal: histories, visibility and descriptions of every case above', async () => {
    const secrets = [...new Set(suite.opened.flatMap(personalDataOf))];
    expect(secrets.length).toBeGreaterThan(0);
    expect(await clearTextIn(suite.client.temporal, suite.taskQueue, secrets)).toEqual([]);
  });
});
