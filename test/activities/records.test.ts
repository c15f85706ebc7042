/**
 * The records activities against a real PostgreSQL (a fresh migrated database for this file):
 * what each writes, that a second run with the same step key writes nothing and answers the
 * same, that bad input is refused naming the field with nothing written, and the refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityCatalog, type StepContext } from '../../model/activity-catalog/index.js';
import { recordsCatalog } from '../../model/activity-catalog/records.js';
import { createActivities } from '../../activities/index.js';
import { recordApproval } from '../../activities/records/approvals.js';
import { closeCaseRecord } from '../../activities/records/case-closing.js';
import { recordComplaint, updateComplaint } from '../../activities/records/complaints.js';
import { recordFollowUp } from '../../activities/records/follow-ups.js';
import { recordsActivities } from '../../activities/records/index.js';
import { dueNotificationsQuery, markFailedQuery, markSentQuery, notify } from '../../activities/records/notifications.js';
import { recordRepair } from '../../activities/records/repairs.js';
import { recordSlaEvent } from '../../activities/records/sla-events.js';
import { checkWarranty } from '../../activities/records/warranty.js';
import { closeWorkOrder, createWorkOrder, dispatchTechnician } from '../../activities/records/work-orders.js';
import { recordCase } from '../../activities/case-records.js';
import { testDatabase, uniqueName, type TestDatabase } from '../helpers/env.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => {
  await db?.close();
});

function step(caseId: string, stepId: string, visit = 1, process = 'repair-service'): StepContext {
  return { caseId, process, version: 1, stepId, visit, idempotencyKey: `${caseId}:${stepId}:${visit}` };
}

async function count(sql: string, params: unknown[]): Promise<number> {
  return Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM (${sql}) AS q`, params)).rows[0]?.n);
}

const eventsOf = (caseId: string) => count('SELECT 1 FROM case_events WHERE case_id = $1', [caseId]);

/** Expects an InvalidActivityInput naming the activity, with every message fragment given. */
async function expectInvalid(run: Promise<unknown>, activity: string, ...fragments: string[]): Promise<void> {
  const error = (await run.then(() => undefined, (e: unknown) => e)) as { type?: string; nonRetryable?: boolean; message?: string } | undefined;
  expect(error, 'the activity should have failed').toBeDefined();
  expect(error).toMatchObject({ type: 'InvalidActivityInput', nonRetryable: true });
  expect(error?.message?.startsWith(`${activity}: `)).toBe(true);
  for (const fragment of fragments) expect(error?.message).toContain(fragment);
}

async function expectRefused(run: Promise<unknown>, message: string): Promise<void> {
  await expect(run).rejects.toMatchObject({ type: 'BusinessRuleViolation', nonRetryable: true, message });
}

const customer = { id: 'M-20931', name: 'Wang Li', phone: '138-0013-8000' };

describe('the records activities', () => {
  it('are all registered with the worker, under the names of the catalog', () => {
    expect(Object.keys(recordsActivities(db.pool)).sort()).toEqual(Object.keys(recordsCatalog).sort());
    for (const name of Object.keys(recordsCatalog)) expect(Object.keys(createActivities(db.pool))).toContain(name);
    for (const name of Object.keys(recordsCatalog)) expect(activityCatalog).toHaveProperty([name]);
  });
});

describe('every records activity', () => {
  it('returns what its catalog output schema describes', async () => {
    const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;
    const ajv = addFormats(new Ajv2020({ allErrors: true, strict: true, strictRequired: false }));
    const run = recordsActivities(db.pool) as unknown as Record<string, (context: StepContext, input: unknown) => Promise<unknown>>;
    const caseId = uniqueName('O');
    const outputs: Record<string, unknown> = {};
    const call = async (name: keyof typeof recordsCatalog, input: unknown) => (outputs[name] = await (run[name] as (c: StepContext, i: unknown) => Promise<unknown>)(step(caseId, name), input));
    await call('notify', { recipient: { role: 'supervisor' }, channel: 'internal', subject: 's', body: 'b' });
    await call('record-sla-event', { clock: 'c', cycle: 1, type: 'started', at: '2026-03-02T01:00:00.000Z', target: '4h', businessMs: 0, calendarMs: 0, title: 'C' });
    await call('record-complaint', { customer, channel: 'email', description: 'd' });
    await call('update-complaint', { valid: true });
    await call('record-follow-up', { subject: 'question', satisfied: true });
    await call('check-warranty', { productModel: 'WM-7kg', purchaseDate: '2020-01-01', warrantyMonths: 24 });
    const { workOrderId } = (await call('create-work-order', { customer, product: { model: 'WM-7kg' }, fault: 'f', inWarranty: false, fee: 120, skill: 'washing-machine' })) as { workOrderId: string };
    await call('dispatch-technician', { workOrderId, skill: 'washing-machine' });
    await call('record-repair', { workOrderId, diagnosis: 'd', work: 'w', result: 'fixed' });
    await call('record-approval', { subject: 'quote', decision: 'approved' });
    await call('close-work-order', { workOrderId, status: 'archived' });
    await call('close-case-record', { outcome: 'done' });
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(recordsCatalog).sort());
    for (const [name, output] of Object.entries(outputs)) {
      const validate = ajv.compile(recordsCatalog[name as keyof typeof recordsCatalog].output as object);
      expect(validate(output) ? [] : validate.errors, `${name} returned ${JSON.stringify(output)}`).toEqual([]);
    }
  });
});

describe('notify', () => {
  it('queues the message in the outbox, unsent, with its not-before instant', async () => {
    const caseId = uniqueName('N');
    const out = await notify(db.pool)(step(caseId, 'tell-customer'), {
      recipient: { customer: 'M-20931', person: 'li.na' }, channel: 'sms', subject: 'Your repair', body: 'The technician comes tomorrow at 9.', notBefore: '2026-03-02T01:00:00Z',
    });
    expect(out.notificationId).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(out.queuedAt))).toBe(false);
    const rows = await db.pool.query('SELECT recipient_role, recipient_person, recipient_customer, channel, subject, not_before, sent_at FROM notifications WHERE case_id = $1', [caseId]);
    expect(rows.rows).toEqual([{ recipient_role: null, recipient_person: 'li.na', recipient_customer: 'M-20931', channel: 'sms', subject: 'Your repair', not_before: new Date('2026-03-02T01:00:00Z'), sent_at: null }]);
    expect((await db.pool.query('SELECT event_type FROM case_events WHERE case_id = $1', [caseId])).rows).toEqual([{ event_type: 'notification-queued' }]);
  });

  it('accepts exactly what the SLA escalation sends, and queues it once whatever the retries', async () => {
    const caseId = uniqueName('N');
    const context: StepContext = { ...step(caseId, 'sla:first-response', 1), idempotencyKey: `${caseId}:sla:first-response:1:notify-0-supervisor` };
    const input = { recipient: { role: 'supervisor' }, channel: 'internal' as const, subject: 'First response: 80% · case X', body: 'First response: 80% for case X (Wang Li); target 4 business hours, due 2026-03-02T06:00:00.000Z.', notBefore: '2026-03-02T01:00:00.000Z' };
    const first = await notify(db.pool)(context, input);
    const again = await notify(db.pool)(context, input);
    expect(again).toEqual(first);
    expect(await count('SELECT 1 FROM notifications WHERE case_id = $1', [caseId])).toBe(1);
    expect(await eventsOf(caseId)).toBe(1);
  });

  it('is drained by the sender query: due messages only, oldest first, each taken once', async () => {
    const caseId = uniqueName('N');
    const message = (subject: string, notBefore?: string) => ({ recipient: { role: 'supervisor' }, channel: 'internal' as const, subject, body: subject, ...(notBefore ? { notBefore } : {}) });
    const later = await notify(db.pool)(step(caseId, 'later'), message('later', '2999-01-01T00:00:00Z'));
    const due = await notify(db.pool)(step(caseId, 'due'), message('due', '2000-01-01T00:00:00Z'));
    const now = await notify(db.pool)(step(caseId, 'now'), message('now'));
    const sender = await db.pool.connect();
    try {
      await sender.query('BEGIN');
      const taken = (await sender.query<{ notification_id: string; subject: string }>(dueNotificationsQuery, [100])).rows.filter((r) => [due, now, later].some((n) => String(n.notificationId) === r.notification_id));
      expect(taken.map((r) => r.subject)).toEqual(['due', 'now']);
      await sender.query(markSentQuery, [due.notificationId]);
      await sender.query(markFailedQuery, [now.notificationId, 'SMTP timeout']);
      await sender.query('COMMIT');
    } finally {
      sender.release();
    }
    const rows = await db.pool.query<{ subject: string; sent: boolean; attempts: number; last_error: string | null }>('SELECT subject, sent_at IS NOT NULL AS sent, attempts, last_error FROM notifications WHERE case_id = $1 ORDER BY notification_id', [caseId]);
    expect(rows.rows).toEqual([
      { subject: 'later', sent: false, attempts: 0, last_error: null },
      { subject: 'due', sent: true, attempts: 1, last_error: null },
      { subject: 'now', sent: false, attempts: 1, last_error: 'SMTP timeout' },
    ]);
  });

  it('queues once when attempts of the same step overlap (a timed-out attempt still running)', async () => {
    const caseId = uniqueName('N');
    const input = { recipient: { role: 'agent' }, channel: 'internal' as const, subject: 'Call back', body: 'Call the customer back.' };
    const outputs = await Promise.all(Array.from({ length: 5 }, () => notify(db.pool)(step(caseId, 'remind'), input)));
    for (const output of outputs) expect(output).toEqual(outputs[0]);
    expect(await count('SELECT 1 FROM notifications WHERE case_id = $1', [caseId])).toBe(1);
    expect(await eventsOf(caseId)).toBe(1);
  });

  it('refuses a message with no recipient or an unknown channel, naming the fields, and queues nothing', async () => {
    const caseId = uniqueName('N');
    await expectInvalid(
      notify(db.pool)(step(caseId, 'tell'), { recipient: {}, channel: 'fax' as never, subject: 'x', body: 'y', notBefore: 'tomorrow' }),
      'notify',
      '`recipient` must name at least one of role, person, customer',
      '`channel` must be one of `internal`, `email`, `sms` or `phone`, not `fax`',
      '`notBefore` must be a date-time',
    );
    await expectInvalid(notify(db.pool)(step(caseId, 'tell'), undefined as never), 'notify', '`recipient` is required', '`body` is required');
    expect(await count('SELECT 1 FROM notifications WHERE case_id = $1', [caseId])).toBe(0);
    expect(await eventsOf(caseId)).toBe(0);
  });
});

describe('record-sla-event', () => {
  const event = { clock: 'first-response', cycle: 1, at: '2026-03-02T05:00:00.000Z', target: '4 business hours', businessMs: 14_400_000, calendarMs: 14_400_000, title: 'First response' };

  it('records the clock event with the process of the case, once per event key', async () => {
    const caseId = uniqueName('S');
    const context: StepContext = { ...step(caseId, 'sla:first-response', 1, 'complaint-handling'), idempotencyKey: `${caseId}:sla:first-response:1:event-3` };
    const input = { ...event, type: 'stopped' as const, result: 'met' as const, reason: 'task completed respond' };
    expect(await recordSlaEvent(db.pool)(context, input)).toEqual({ recorded: true });
    expect(await recordSlaEvent(db.pool)(context, input)).toEqual({ recorded: true });
    const rows = await db.pool.query('SELECT process, clock, cycle, event_type, result, occurred_at, business_ms FROM sla_events WHERE case_id = $1', [caseId]);
    expect(rows.rows).toEqual([{ process: 'complaint-handling', clock: 'first-response', cycle: 1, event_type: 'stopped', result: 'met', occurred_at: new Date(event.at), business_ms: '14400000' }]);
    expect(await eventsOf(caseId)).toBe(1);
  });

  it('refuses a stopped event without its result, and an unknown event type', async () => {
    const caseId = uniqueName('S');
    await expectInvalid(recordSlaEvent(db.pool)(step(caseId, 'sla:x'), { ...event, type: 'stopped' }), 'record-sla-event', '`result` is required');
    await expectInvalid(recordSlaEvent(db.pool)(step(caseId, 'sla:x'), { ...event, type: 'done' as never, cycle: 0 }), 'record-sla-event', '`type` must be one of', '`cycle` must be at least 1');
    expect(await count('SELECT 1 FROM sla_events WHERE case_id = $1', [caseId])).toBe(0);
    expect(await eventsOf(caseId)).toBe(0);
  });
});

describe('record-case', () => {
  it('reads keys the engine sent as pointers into details (sameAs) as if they were written out', async () => {
    const [plain, shared] = [uniqueName('C'), uniqueName('C')];
    const details = { customer, question: 'Can the dryer be stacked on the washer?', channel: 'phone' };
    await recordCase(db.pool)(step(plain, 'record'), { customer, summary: details.question, details });
    await recordCase(db.pool)(step(shared, 'record'), { details, sameAs: { customer: '/customer', summary: '/question' } });
    const rows = await db.pool.query('SELECT case_id, customer_id, summary, input FROM cases WHERE case_id = ANY($1) ORDER BY case_id = $2 DESC', [[plain, shared], plain]);
    expect(rows.rows.map(({ case_id: _id, ...row }) => row)).toEqual([
      { customer_id: 'M-20931', summary: details.question, input: details },
      { customer_id: 'M-20931', summary: details.question, input: details },
    ]);
    const events = await db.pool.query(`SELECT case_id, detail FROM case_events WHERE case_id = ANY($1) AND event_type = 'case-recorded'`, [[plain, shared]]);
    expect(events.rows.map((r) => r.detail)).toEqual([{ summary: details.question }, { summary: details.question }]);
  });

  it('refuses a pointer that does not lead into details, writing nothing', async () => {
    const caseId = uniqueName('C');
    await expect(recordCase(db.pool)(step(caseId, 'record'), { details: { question: 'q' }, sameAs: { summary: '/answer' } })).rejects.toMatchObject({
      type: 'InvalidActivityInput',
      nonRetryable: true,
      message: 'record-case: `sameAs.summary` must be a JSON pointer to a value in `details`, not "/answer"',
    });
    expect(await count('SELECT 1 FROM cases WHERE case_id = $1', [caseId])).toBe(0);
  });
});

describe('close-case-record', () => {
  it('closes a recorded case with its outcome, and a retry answers the same closing', async () => {
    const caseId = uniqueName('C');
    await recordCase(db.pool)(step(caseId, 'record'), { customer, summary: 'Dryer stacking' });
    const first = await closeCaseRecord(db.pool)(step(caseId, 'close'), { outcome: 'answered', summary: 'Stacking kit SK-2' });
    expect(await closeCaseRecord(db.pool)(step(caseId, 'close'), { outcome: 'answered', summary: 'Stacking kit SK-2' })).toEqual(first);
    const row = await db.pool.query('SELECT closed_at, outcome, closing_summary, customer_id FROM cases WHERE case_id = $1', [caseId]);
    expect(row.rows).toEqual([{ closed_at: new Date(first.closedAt), outcome: 'answered', closing_summary: 'Stacking kit SK-2', customer_id: 'M-20931' }]);
  });

  it('creates the case row when the case never recorded one', async () => {
    const caseId = uniqueName('C');
    const out = await closeCaseRecord(db.pool)(step(caseId, 'close', 1, 'return-service'), { outcome: 'refunded' });
    const row = await db.pool.query('SELECT process, version, outcome, closed_at FROM cases WHERE case_id = $1', [caseId]);
    expect(row.rows).toEqual([{ process: 'return-service', version: 1, outcome: 'refunded', closed_at: new Date(out.closedAt) }]);
  });

  it('moves the closing when a reopened case closes again', async () => {
    const caseId = uniqueName('C');
    const first = await closeCaseRecord(db.pool)(step(caseId, 'close', 1), { outcome: 'repaired' });
    const second = await closeCaseRecord(db.pool)(step(caseId, 'close', 2), { outcome: 'exchanged' });
    expect(Date.parse(second.closedAt)).toBeGreaterThanOrEqual(Date.parse(first.closedAt));
    expect((await db.pool.query('SELECT outcome FROM cases WHERE case_id = $1', [caseId])).rows).toEqual([{ outcome: 'exchanged' }]);
    expect(await count(`SELECT 1 FROM case_events WHERE case_id = $1 AND event_type = 'case-closed'`, [caseId])).toBe(2);
  });

  it('refuses a closing without an outcome and writes nothing', async () => {
    const caseId = uniqueName('C');
    await expectInvalid(closeCaseRecord(db.pool)(step(caseId, 'close'), { summary: 'x' } as never), 'close-case-record', '`outcome` is required');
    expect(await count('SELECT 1 FROM cases WHERE case_id = $1', [caseId])).toBe(0);
  });
});

describe('record-complaint and update-complaint', () => {
  const complaint = { customer, channel: 'phone' as const, description: 'The washer leaks after the repair.', demand: 'Exchange', product: { model: 'WM-7kg', serial: 'SN-1' }, owner: 'li.na' };

  it('numbers the complaint CP-<year>-<number>, the same number on a retry and on a second visit', async () => {
    const caseId = uniqueName('CP');
    const first = await recordComplaint(db.pool)(step(caseId, 'receive'), complaint);
    expect(first.complaintId).toMatch(new RegExp(`^CP-${new Date().getUTCFullYear()}-\\d{6}$`));
    expect(await recordComplaint(db.pool)(step(caseId, 'receive'), complaint)).toEqual(first);
    expect(await recordComplaint(db.pool)(step(caseId, 'receive', 2), { ...complaint, description: 'again' })).toEqual(first);
    const rows = await db.pool.query('SELECT complaint_id, customer_id, customer_name, channel, description, demand, product_model, owner FROM complaints WHERE case_id = $1', [caseId]);
    expect(rows.rows).toEqual([{ complaint_id: first.complaintId, customer_id: 'M-20931', customer_name: 'Wang Li', channel: 'phone', description: 'The washer leaks after the repair.', demand: 'Exchange', product_model: 'WM-7kg', owner: 'li.na' }]);
    const second = await recordComplaint(db.pool)(step(uniqueName('CP'), 'receive'), complaint);
    expect(second.complaintId).not.toBe(first.complaintId);
  });

  it('takes a null optional field as not given (a definition passes what the case has)', async () => {
    const caseId = uniqueName('CP');
    const { complaintId } = await recordComplaint(db.pool)(step(caseId, 'receive'), { ...complaint, demand: null, product: { model: 'WM-7kg', serial: null } } as never);
    expect((await db.pool.query('SELECT complaint_id, demand, product_model, product_serial FROM complaints WHERE case_id = $1', [caseId])).rows).toEqual([{ complaint_id: complaintId, demand: null, product_model: 'WM-7kg', product_serial: null }]);
  });

  it('refuses a complaint without the customer name or with an unknown channel, naming both, and writes nothing', async () => {
    const caseId = uniqueName('CP');
    await expectInvalid(
      recordComplaint(db.pool)(step(caseId, 'receive'), { ...complaint, customer: { id: 'M-1' } as never, channel: 'letter' as never }),
      'record-complaint',
      '`customer.name` is required',
      '`channel` must be one of `phone`, `email`, `chat`, `social-media` or `walk-in`, not `letter`',
    );
    await expectInvalid(recordComplaint(db.pool)(step(caseId, 'receive'), { ...complaint, colour: 'red' } as never), 'record-complaint', '`colour` is not a known field');
    await expectInvalid(recordComplaint(db.pool)(step(caseId, 'receive'), { ...complaint, description: null } as never), 'record-complaint', '`description` is required');
    expect(await count('SELECT 1 FROM complaints WHERE case_id = $1', [caseId])).toBe(0);
    expect(await eventsOf(caseId)).toBe(0);
  });

  it('updates only the fields given', async () => {
    const caseId = uniqueName('CP');
    const { complaintId } = await recordComplaint(db.pool)(step(caseId, 'receive'), complaint);
    expect(await updateComplaint(db.pool)(step(caseId, 'classify'), { category: 'major-problem', department: 'quality' })).toEqual({ complaintId });
    expect(await updateComplaint(db.pool)(step(caseId, 'analyse'), { cause: 'company', valid: true, deadline: '2026-03-10T10:00:00+08:00' })).toEqual({ complaintId });
    expect(await updateComplaint(db.pool)(step(caseId, 'analyse'), { cause: 'company', valid: true, deadline: '2026-03-10T10:00:00+08:00' })).toEqual({ complaintId });
    const row = await db.pool.query('SELECT category, department, cause, valid, deadline, resolution, description FROM complaints WHERE case_id = $1', [caseId]);
    expect(row.rows).toEqual([{ category: 'major-problem', department: 'quality', cause: 'company', valid: true, deadline: new Date('2026-03-10T02:00:00Z'), resolution: null, description: complaint.description }]);
    expect(await count(`SELECT 1 FROM case_events WHERE case_id = $1 AND event_type = 'complaint-updated'`, [caseId])).toBe(2);
  });

  it('refuses to update a case that has no complaint, and an empty or malformed update', async () => {
    const caseId = uniqueName('CP');
    await expectRefused(updateComplaint(db.pool)(step(caseId, 'classify'), { category: 'service-quality' }), `update-complaint: case ${caseId} has no complaint to update: record it first with record-complaint`);
    await expectInvalid(updateComplaint(db.pool)(step(caseId, 'classify'), {}), 'update-complaint', '`with` must give at least one field');
    await expectInvalid(updateComplaint(db.pool)(step(caseId, 'classify'), { category: 'rude', valid: 'yes' } as never), 'update-complaint', '`category` must be one of', '`valid` must be true or false');
    expect(await eventsOf(caseId)).toBe(0);
  });
});

describe('record-follow-up', () => {
  it('counts rounds per case and records each step visit once', async () => {
    const caseId = uniqueName('F');
    const first = await recordFollowUp(db.pool)(step(caseId, 'follow-up', 1), { subject: 'complaint', satisfied: false, notes: 'Still leaks' });
    expect(await recordFollowUp(db.pool)(step(caseId, 'follow-up', 1), { subject: 'complaint', satisfied: false })).toEqual(first);
    const second = await recordFollowUp(db.pool)(step(caseId, 'follow-up', 2), { subject: 'complaint', satisfied: true });
    expect([first.round, second.round]).toEqual([1, 2]);
    expect(first.followUpId).toMatch(/^FU-\d{4}-\d{6}$/);
    expect((await db.pool.query('SELECT round, satisfied FROM follow_ups WHERE case_id = $1 ORDER BY round', [caseId])).rows).toEqual([{ round: 1, satisfied: false }, { round: 2, satisfied: true }]);
    await expectInvalid(recordFollowUp(db.pool)(step(caseId, 'follow-up', 3), { subject: 'complaint' } as never), 'record-follow-up', '`satisfied` is required');
    expect(await count('SELECT 1 FROM follow_ups WHERE case_id = $1', [caseId])).toBe(2);
  });
});

describe('record-follow-up in parallel branches', () => {
  it('gives each concurrent step visit its own round', async () => {
    const caseId = uniqueName('F');
    const outs = await Promise.all(['a', 'b', 'c', 'd'].map((branch) => recordFollowUp(db.pool)(step(caseId, `follow-up-${branch}`), { subject: 'repair', satisfied: true })));
    expect(outs.map((o) => o.round).sort()).toEqual([1, 2, 3, 4]);
  });
});

describe('check-warranty', () => {
  /** A date relative to the database's today. */
  async function dbDate(expression: string): Promise<string> {
    return (await db.pool.query<{ d: string }>(`SELECT to_char((${expression})::date, 'YYYY-MM-DD') AS d`)).rows[0]?.d ?? '';
  }

  it('covers the purchase date up to the day before the same date warrantyMonths later', async () => {
    const today = await dbDate('current_date');
    const lastCovered = await dbDate(`current_date - interval '12 months' + interval '1 day'`);
    const expired = await dbDate(`current_date - interval '12 months'`);
    const caseId = uniqueName('W');
    expect(await checkWarranty(db.pool)(step(caseId, 'warranty', 1), { productModel: 'RF-450', purchaseDate: lastCovered, warrantyMonths: 12 })).toEqual({ inWarranty: true, warrantyEnds: today });
    const out = await checkWarranty(db.pool)(step(caseId, 'warranty', 2), { productModel: 'RF-450', purchaseDate: expired, warrantyMonths: 12 });
    expect(out).toEqual({ inWarranty: false, warrantyEnds: await dbDate(`current_date - interval '1 day'`) });
    expect(await checkWarranty(db.pool)(step(caseId, 'warranty', 3), { productModel: 'RF-450', purchaseDate: today, warrantyMonths: 0 })).toMatchObject({ inWarranty: false });
    expect(await checkWarranty(db.pool)(step(caseId, 'warranty', 2), { productModel: 'RF-450', purchaseDate: expired, warrantyMonths: 12 })).toEqual(out);
    expect(await count(`SELECT 1 FROM product_models WHERE model = 'RF-450'`, [])).toBe(1);
    expect(await count('SELECT 1 FROM warranty_checks WHERE case_id = $1', [caseId])).toBe(3);
  });

  it('refuses a malformed or future purchase date and a negative warranty, recording nothing', async () => {
    const caseId = uniqueName('W');
    await expectInvalid(checkWarranty(db.pool)(step(caseId, 'warranty'), { productModel: 'TV-X9', purchaseDate: '03/02/2026', warrantyMonths: -1 }), 'check-warranty', '`purchaseDate` must be a date (YYYY-MM-DD), not "03/02/2026"', '`warrantyMonths` must be at least 0');
    const tomorrow = await dbDate(`current_date + 1`);
    await expectInvalid(checkWarranty(db.pool)(step(caseId, 'warranty'), { productModel: 'TV-X9', purchaseDate: tomorrow, warrantyMonths: 12 }), 'check-warranty', `\`purchaseDate\` ${tomorrow} is after today`);
    expect(await count(`SELECT 1 FROM product_models WHERE model = 'TV-X9'`, [])).toBe(0);
    expect(await eventsOf(caseId)).toBe(0);
  });
});

describe('work orders: create, dispatch, repair, close', () => {
  const order = (skill: string, model = 'WM-7kg') => ({ customer: { ...customer, address: '12 Jianguo Rd' }, product: { model, serial: 'SN-9' }, fault: 'Does not drain', inWarranty: true, skill });

  it('opens one work order per case, numbered WO-<year>-<number>', async () => {
    const caseId = uniqueName('R');
    const first = await createWorkOrder(db.pool)(step(caseId, 'work-order'), order('washing-machine'));
    expect(first.workOrderId).toMatch(/^WO-\d{4}-\d{6}$/);
    expect(await createWorkOrder(db.pool)(step(caseId, 'work-order'), order('washing-machine'))).toEqual(first);
    expect(await createWorkOrder(db.pool)(step(caseId, 'work-order', 2), order('washing-machine'))).toEqual(first);
    expect((await db.pool.query('SELECT status, product_model, skill, in_warranty, fee FROM work_orders WHERE case_id = $1', [caseId])).rows).toEqual([
      { status: 'open', product_model: 'WM-7kg', skill: 'washing-machine', in_warranty: true, fee: null },
    ]);
    await expectInvalid(createWorkOrder(db.pool)(step(uniqueName('R'), 'work-order'), { ...order('x'), fee: -5, product: {} as never }), 'create-work-order', '`fee` must be at least 0', '`product.model` is required');
  });

  it('dispatches to the least-loaded technician with the skill, and a retry gets the same technician', async () => {
    // The seeded team: television is Chen Hao (T-003) and Huang Jing (T-006).
    const loads = async () => Object.fromEntries((await db.pool.query<{ technician_id: string; n: number }>(`SELECT technician_id, count(*)::int AS n FROM work_orders WHERE status = 'open' AND technician_id IS NOT NULL GROUP BY 1`)).rows.map((r) => [r.technician_id, r.n]));
    const before = await loads();
    const dispatchTv = async () => {
      const caseId = uniqueName('R');
      const { workOrderId } = await createWorkOrder(db.pool)(step(caseId, 'work-order'), order('television', 'TV-X9'));
      return { caseId, workOrderId, out: await dispatchTechnician(db.pool)(step(caseId, 'dispatch'), { workOrderId, skill: 'television' }) };
    };
    const a = await dispatchTv();
    const b = await dispatchTv();
    const c = await dispatchTv();
    const t3 = before['T-003'] ?? 0;
    const t6 = before['T-006'] ?? 0;
    // Each goes to whoever of the two has fewer open orders (T-003 on a tie).
    const expected: string[] = [];
    const load: Record<string, number> = { 'T-003': t3, 'T-006': t6 };
    for (let i = 0; i < 3; i++) {
      const pick = (load['T-003'] ?? 0) <= (load['T-006'] ?? 0) ? 'T-003' : 'T-006';
      load[pick] = (load[pick] ?? 0) + 1;
      expected.push(`${pick}:${load[pick]}`);
    }
    expect([a, b, c].map((d) => `${d.out.technician.id}:${d.out.openOrders}`)).toEqual(expected);
    expect(a.out.technician.name).toBe(a.out.technician.id === 'T-003' ? 'Chen Hao' : 'Huang Jing');

    // Loads have changed since; a retry of the first dispatch still answers what it answered.
    expect(await dispatchTechnician(db.pool)(step(a.caseId, 'dispatch'), { workOrderId: a.workOrderId, skill: 'television' })).toEqual(a.out);
    expect(await count('SELECT 1 FROM dispatches WHERE work_order_id = $1', [a.workOrderId])).toBe(1);
    expect((await db.pool.query('SELECT technician_id FROM work_orders WHERE work_order_id = $1', [a.workOrderId])).rows).toEqual([{ technician_id: a.out.technician.id }]);
  });

  it('refuses a skill nobody has, an unknown work order, and a closed one', async () => {
    const caseId = uniqueName('R');
    const { workOrderId } = await createWorkOrder(db.pool)(step(caseId, 'work-order'), order('dishwasher'));
    await expectRefused(
      dispatchTechnician(db.pool)(step(caseId, 'dispatch'), { workOrderId, skill: 'dishwasher' }),
      'dispatch-technician: no active technician has the skill `dishwasher` (skills on the team: air-conditioner, refrigerator, television, washing-machine, water-heater); give a technician the skill in the staff directory (`npx aftercare staff import`) or correct the skill',
    );
    await expectRefused(dispatchTechnician(db.pool)(step(caseId, 'dispatch'), { workOrderId: 'WO-1999-000001', skill: 'television' }), 'dispatch-technician: work order WO-1999-000001 does not exist: give the `workOrderId` that create-work-order returned');
    const closed = await closeWorkOrder(db.pool)(step(caseId, 'close'), { workOrderId, status: 'declined' });
    await expectRefused(dispatchTechnician(db.pool)(step(caseId, 'dispatch', 2), { workOrderId, skill: 'washing-machine' }), `dispatch-technician: work order ${workOrderId} is already declined (closed at ${closed.closedAt})`);
    expect(await count(`SELECT 1 FROM case_events WHERE case_id = $1 AND event_type = 'technician-dispatched'`, [caseId])).toBe(0);
    await expectInvalid(dispatchTechnician(db.pool)(step(caseId, 'dispatch', 3), { workOrderId } as never), 'dispatch-technician', '`skill` is required');
  });

  it('numbers repair attempts per work order, once per step visit, and closes the order once', async () => {
    const caseId = uniqueName('R');
    const { workOrderId } = await createWorkOrder(db.pool)(step(caseId, 'work-order'), order('refrigerator', 'RF-450'));
    const dispatched = await dispatchTechnician(db.pool)(step(caseId, 'dispatch'), { workOrderId, skill: 'refrigerator' });
    const repair = { workOrderId, diagnosis: 'Thermostat worn', work: 'Replaced thermostat', result: 'not-fixed' as const, partsUsed: [{ partNo: 'TH-22', quantity: 1 }] };
    const first = await recordRepair(db.pool)(step(caseId, 'repair', 1), repair);
    expect(await recordRepair(db.pool)(step(caseId, 'repair', 1), repair)).toEqual(first);
    const second = await recordRepair(db.pool)(step(caseId, 'repair', 2), { ...repair, result: 'fixed', partsUsed: [] });
    expect([first.attempt, second.attempt]).toEqual([1, 2]);
    expect(first.repairId).toMatch(/^RP-\d{4}-\d{6}$/);
    expect((await db.pool.query('SELECT attempt, result, technician_id, parts_used FROM repairs WHERE work_order_id = $1 ORDER BY attempt', [workOrderId])).rows).toEqual([
      { attempt: 1, result: 'not-fixed', technician_id: dispatched.technician.id, parts_used: [{ partNo: 'TH-22', quantity: 1 }] },
      { attempt: 2, result: 'fixed', technician_id: dispatched.technician.id, parts_used: [] },
    ]);
    await expectInvalid(recordRepair(db.pool)(step(caseId, 'repair', 3), { ...repair, result: 'done' as never, partsUsed: [{ partNo: 'TH-22', quantity: 0 }] }), 'record-repair', '`result` must be one of `fixed` or `not-fixed`', '`partsUsed[0].quantity` must be at least 1');

    const closed = await closeWorkOrder(db.pool)(step(caseId, 'archive'), { workOrderId, status: 'archived', audit: 'Complete, customer signed' });
    expect(await closeWorkOrder(db.pool)(step(caseId, 'archive'), { workOrderId, status: 'archived', audit: 'Complete, customer signed' })).toEqual(closed);
    expect((await db.pool.query('SELECT status, closed_at, audit FROM work_orders WHERE work_order_id = $1', [workOrderId])).rows).toEqual([{ status: 'archived', closed_at: new Date(closed.closedAt), audit: 'Complete, customer signed' }]);
    await expectRefused(closeWorkOrder(db.pool)(step(caseId, 'archive', 2), { workOrderId, status: 'declined' }), `close-work-order: work order ${workOrderId} is already archived (closed at ${closed.closedAt})`);
    await expectRefused(recordRepair(db.pool)(step(caseId, 'repair', 4), repair), `record-repair: work order ${workOrderId} is already archived (closed at ${closed.closedAt})`);
    expect(await count('SELECT 1 FROM repairs WHERE work_order_id = $1', [workOrderId])).toBe(2);
  });
});

describe('record-approval', () => {
  it('records the decision with its approver and amount, once per step visit', async () => {
    const caseId = uniqueName('A');
    const input = { subject: 'exchange' as const, decision: 'approved' as const, approver: { id: 'wang.fang', role: 'manager' }, amount: 2599, note: 'Within 15 days' };
    const first = await recordApproval(db.pool)(step(caseId, 'approve'), input);
    expect(first.approvalId).toMatch(/^AP-\d{4}-\d{6}$/);
    expect(await recordApproval(db.pool)(step(caseId, 'approve'), input)).toEqual(first);
    expect((await db.pool.query('SELECT subject, decision, approver_id, approver_role, amount FROM approvals WHERE case_id = $1', [caseId])).rows).toEqual([
      { subject: 'exchange', decision: 'approved', approver_id: 'wang.fang', approver_role: 'manager', amount: '2599.00' },
    ]);
    expect((await db.pool.query('SELECT event_type, actor FROM case_events WHERE case_id = $1', [caseId])).rows).toEqual([{ event_type: 'approval-approved', actor: 'wang.fang' }]);
    await expectInvalid(recordApproval(db.pool)(step(caseId, 'approve', 2), { subject: 'gift', decision: 'maybe', amount: -1 } as never), 'record-approval', '`subject` must be one of', '`decision` must be one of `approved` or `rejected`', '`amount` must be at least 0');
    expect(await count('SELECT 1 FROM approvals WHERE case_id = $1', [caseId])).toBe(1);
  });
});
