/**
 * A month of after-sales work, entered through the activities as the processes would: the
 * data both report tests compute their figures over. What each figure should be is spelled
 * out beside the data that makes it.
 */
import type pg from 'pg';
import type { StepContext } from '../../model/activity-catalog/index.js';
import { createActivities } from '../../activities/index.js';

function step(caseId: string, stepId: string, visit = 1, process = 'complaint-handling'): StepContext {
  return { caseId, process, version: 1, stepId, visit, idempotencyKey: `${caseId}:${stepId}:${visit}` };
}

type Run = (context: StepContext, input: unknown) => Promise<unknown>;

/** The company's time zone the report tests read their months in: the shipped calendars' zone. */
export const timeZone = 'Asia/Shanghai';

export interface Seeded {
  /** The current month (YYYY-MM) in `timeZone`, where the records fall. */
  month: string;
  /** The month before, where one complaint and one follow-up were moved. */
  previousMonth: string;
  /** The parts movements the seed added this month, by kind: [movements, quantity]. */
  partsAdded: Record<string, [number, number]>;
}

export async function seedMonth(pool: pg.Pool, prefix: string): Promise<Seeded> {
  const activities = createActivities(pool) as unknown as Record<string, Run>;
  const run = (name: string, context: StepContext, input: unknown) => (activities[name] as Run)(context, input);
  const customer = { id: 'M-20931', name: 'Wang Li', phone: '138-0013-8000' };
  const months = (
    await pool.query<{ month: string; previous: string }>(`SELECT to_char(now() AT TIME ZONE $1, 'YYYY-MM') AS month, to_char((now() AT TIME ZONE $1) - interval '1 month', 'YYYY-MM') AS previous`, [timeZone])
  ).rows[0];
  // A month back on the company's wall clock (UTC arithmetic could land two months back at a month's end).
  const monthBack = (column: string) => `${column} = ((${column} AT TIME ZONE '${timeZone}') - interval '1 month') AT TIME ZONE '${timeZone}'`;

  // Complaints this month: 5, two valid, one not valid (the customer's own cause), two undecided.
  const complaints: { updates: Record<string, unknown>[] }[] = [
    { updates: [{ category: 'major-problem', department: 'quality' }, { cause: 'company', valid: true }, { outcome: 'resolved' }] },
    { updates: [{ category: 'service-quality' }, { cause: 'partner', valid: true, outcome: 'resolved' }] },
    { updates: [{ category: 'service-quality' }, { cause: 'customer', valid: false, outcome: 'explained' }] },
    { updates: [{ category: 'general-enquiry' }] },
    { updates: [] },
    // Moved to the previous month below: in that month's figures only.
    { updates: [{ category: 'service-quality', valid: true, outcome: 'resolved' }] },
  ];
  for (const [i, complaint] of complaints.entries()) {
    const caseId = `${prefix}-CP-${i + 1}`;
    await run('record-complaint', step(caseId, 'receive'), { customer, channel: 'phone', description: `Complaint ${i + 1}`, owner: 'li.na' });
    for (const [j, update] of complaint.updates.entries()) await run('update-complaint', step(caseId, `handle-${j}`), update);
  }
  await pool.query(`UPDATE complaints SET ${monthBack('received_at')} WHERE case_id = $1`, [`${prefix}-CP-6`]);

  // Repairs: WM-80 has 2 work orders and 3 repairs, one a re-repair (33.3 %); RF-320 one repair.
  const repair = async (n: number, model: string, skill: string, results: ('fixed' | 'not-fixed')[]) => {
    const caseId = `${prefix}-WO-${n}`;
    const { workOrderId } = (await run('create-work-order', step(caseId, 'work-order', 1, 'repair-service'), { customer, product: { model }, fault: 'Noisy', inWarranty: true, skill })) as { workOrderId: string };
    await run('dispatch-technician', step(caseId, 'dispatch', 1, 'repair-service'), { workOrderId, skill });
    for (const [visit, result] of results.entries()) {
      await run('record-repair', step(caseId, 'repair', visit + 1, 'repair-service'), { workOrderId, diagnosis: 'Worn bearing', work: 'Replaced bearing', result });
    }
    return workOrderId;
  };
  const firstOrder = await repair(1, 'WM-80', 'washing-machine', ['not-fixed', 'fixed']);
  await repair(2, 'WM-80', 'washing-machine', ['fixed']);
  await repair(3, 'RF-320', 'refrigerator', ['fixed']);

  // Refunds: two, 2399.00 + 199.50 CNY.
  await run('refund', step(`${prefix}-RT-1`, 'refund', 1, 'return-service'), { amount: 2399, paymentMethod: 'alipay', orderId: 'SO-1001' });
  await run('refund', step(`${prefix}-RT-2`, 'refund', 1, 'return-service'), { amount: 199.5, paymentMethod: 'card', orderId: 'SO-1002' });

  // Parts: an issue of 2 bearings, a return of 1 washer, disposals of 3 damaged bearings
  // (scrap sale, 4.50) and 9 obsolete TV boards (recycling, no proceeds).
  await run('issue-parts', step(`${prefix}-WO-1`, 'issue', 1, 'repair-service'), { parts: [{ partNo: 'WM-BRG-6204', quantity: 2 }], workOrderId: firstOrder });
  await run('receive-into-stock', step(`${prefix}-RT-1`, 'receive', 1, 'return-service'), { items: [{ partNo: 'WM-80', quantity: 1 }], reason: 'returned-by-customer' });
  await run('dispose-parts', step(`${prefix}-PD-1`, 'dispose', 1, 'parts-disposal'), { parts: [{ partNo: 'WM-BRG-6204', quantity: 3, reason: 'damaged' }], method: 'scrap-sale', proceeds: 4.5 });
  await run('dispose-parts', step(`${prefix}-PD-2`, 'dispose', 1, 'parts-disposal'), { parts: [{ partNo: 'TV-MB-42', quantity: 9, reason: 'obsolete' }], method: 'recycling', proceeds: 0 });

  // Follow-ups: 3 of 4 satisfied this month (complaint 1 of 2, repair 2 of 2); one moved back.
  await run('record-follow-up', step(`${prefix}-CP-1`, 'follow-up', 1), { subject: 'complaint', satisfied: false });
  await run('record-follow-up', step(`${prefix}-CP-1`, 'follow-up', 2), { subject: 'complaint', satisfied: true });
  await run('record-follow-up', step(`${prefix}-WO-1`, 'follow-up', 1, 'repair-service'), { subject: 'repair', satisfied: true });
  await run('record-follow-up', step(`${prefix}-WO-2`, 'follow-up', 1, 'repair-service'), { subject: 'repair', satisfied: true });
  await run('record-follow-up', step(`${prefix}-CP-6`, 'follow-up', 1), { subject: 'complaint', satisfied: false });
  await pool.query(`UPDATE follow_ups SET ${monthBack('recorded_at')} WHERE case_id = $1`, [`${prefix}-CP-6`]);

  return { month: months?.month ?? '', previousMonth: months?.previous ?? '', partsAdded: { issue: [1, 2], return: [1, 1], disposal: [2, 12] } };
}

/**
 * SLA clock events as the engine sends them. complaint-handling / first-response:
 * met A (cycles 1 and 2), E (its continued cycle ends breached), J (the case ended, resolved,
 * before the clock's own stop); breached B, E; cancelled H (cancelled in time), I (cancelled
 * after the breach), K (ended at a `withdrawn` end step); running C (breached), D.
 * repair-service / on-site: breached G; running F (paused).
 * B and G started in February 2026, the others in March 2026.
 */
export async function seedSlaEvents(pool: pg.Pool, prefix: string): Promise<void> {
  const activities = createActivities(pool) as unknown as Record<string, Run>;
  const counters = new Map<string, number>();
  const event = async (caseLetter: string, process: string, clock: string, cycle: number, type: string, at: string, extra: Record<string, unknown> = {}) => {
    const caseId = `${prefix}-${caseLetter}`;
    const n = (counters.get(`${caseId}:${clock}`) ?? 0) + 1;
    counters.set(`${caseId}:${clock}`, n);
    const context: StepContext = { caseId, process, version: 1, stepId: `sla:${clock}`, visit: cycle, idempotencyKey: `${caseId}:sla:${clock}:${cycle}:event-${n}` };
    await (activities['record-sla-event'] as Run)(context, { clock, cycle, type, at, target: '4 business hours', businessMs: 0, calendarMs: 0, title: clock === 'first-response' ? 'First response' : 'On-site visit', ...extra });
  };
  const ch = 'complaint-handling';
  await event('A', ch, 'first-response', 1, 'started', '2026-03-02T01:00:00Z');
  await event('A', ch, 'first-response', 1, 'stopped', '2026-03-02T02:00:00Z', { result: 'met' });
  await event('A', ch, 'first-response', 2, 'started', '2026-03-05T01:00:00Z', { reason: 'case reopened: a new cycle' });
  await event('A', ch, 'first-response', 2, 'stopped', '2026-03-05T03:00:00Z', { result: 'met' });
  await event('B', ch, 'first-response', 1, 'started', '2026-02-20T01:00:00Z');
  await event('B', ch, 'first-response', 1, 'breached', '2026-02-20T05:00:00Z', { rung: 'breach' });
  await event('B', ch, 'first-response', 1, 'stopped', '2026-02-20T06:00:00Z', { result: 'breached' });
  await event('C', ch, 'first-response', 1, 'started', '2026-03-03T01:00:00Z');
  await event('C', ch, 'first-response', 1, 'warning', '2026-03-03T04:12:00Z', { rung: '80%' });
  await event('C', ch, 'first-response', 1, 'breached', '2026-03-03T05:00:00Z', { rung: 'breach' });
  await event('D', ch, 'first-response', 1, 'started', '2026-03-04T01:00:00Z');
  await event('E', ch, 'first-response', 1, 'started', '2026-03-02T01:00:00Z');
  await event('E', ch, 'first-response', 1, 'stopped', '2026-03-02T02:00:00Z', { result: 'met' });
  await event('E', ch, 'first-response', 1, 'resumed', '2026-03-06T01:00:00Z', { reason: 'case reopened: the clock continues its cycle' });
  await event('E', ch, 'first-response', 1, 'breached', '2026-03-06T04:00:00Z', { rung: 'breach' });
  await event('E', ch, 'first-response', 1, 'stopped', '2026-03-06T05:00:00Z', { result: 'breached' });
  // A case that closes stops its running clocks with the reason `case closed`, in the same
  // workflow task as its `case-closed` audit row (and `case-cancelled`, when cancelled): the
  // engine sends both in one record-case-history batch, at one instant.
  const closing = async (caseLetter: string, at: string, outcome: string, cancelled: boolean, result: 'met' | 'breached') => {
    const caseId = `${prefix}-${caseLetter}`;
    const n = (counters.get(`${caseId}:first-response`) ?? 0) + 1;
    counters.set(`${caseId}:first-response`, n);
    const context: StepContext = { caseId, process: ch, version: 1, stepId: 'history', visit: 0, idempotencyKey: `${caseId}:history:10` };
    const entries = [
      ...(cancelled ? [{ seq: 10, at, type: 'case-cancelled', actor: 'wang.fang', detail: 'the customer withdrew the complaint', outcome }] : []),
      { seq: 11, at, type: 'case-closed', outcome },
    ];
    const stop = { clock: 'first-response', cycle: 1, type: 'stopped', at, target: '4 business hours', businessMs: 0, calendarMs: 0, title: 'First response', result, reason: 'case closed' };
    await (activities['record-case-history'] as Run)(context, { entries, slaEvents: [{ key: `${caseId}:sla:first-response:1:event-${n}`, event: stop }] });
  };
  await event('H', ch, 'first-response', 1, 'started', '2026-03-07T01:00:00Z');
  await closing('H', '2026-03-07T02:00:00.000Z', 'cancelled', true, 'met');
  await event('I', ch, 'first-response', 1, 'started', '2026-03-08T01:00:00Z');
  await event('I', ch, 'first-response', 1, 'breached', '2026-03-08T05:00:00Z', { rung: 'breach' });
  await closing('I', '2026-03-08T06:00:00.000Z', 'cancelled', true, 'breached');
  await event('J', ch, 'first-response', 1, 'started', '2026-03-09T01:00:00Z');
  await closing('J', '2026-03-09T02:00:00.000Z', 'resolved', false, 'met');
  await event('K', ch, 'first-response', 1, 'started', '2026-03-10T01:00:00Z');
  await closing('K', '2026-03-10T02:00:00.000Z', 'withdrawn', false, 'met');
  const rs = 'repair-service';
  await event('F', rs, 'on-site', 1, 'started', '2026-03-02T01:00:00Z');
  await event('F', rs, 'on-site', 1, 'paused', '2026-03-02T02:00:00Z', { reason: 'waiting for the customer' });
  await event('G', rs, 'on-site', 1, 'started', '2026-02-25T01:00:00Z');
  await event('G', rs, 'on-site', 1, 'breached', '2026-02-26T01:00:00Z', { rung: 'breach' });
  await event('G', rs, 'on-site', 1, 'stopped', '2026-02-27T01:00:00Z', { result: 'breached' });
}
