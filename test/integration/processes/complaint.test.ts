/**
 * The shipped complaint process on the dev server and PostgreSQL, driven through the client as
 * the receiving agent, the department, the manager would: every category's path, the
 * major-problem path with the complaint meeting, the authority limit, the negotiation loop and
 * its bound, and the follow-up that sends the case back to handling.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complete, closed, stepsEntered } from '../../helpers/drive.js';
import { BusinessCalendar } from '../../../dsl/calendar/working-time.js';
import { openTaskOf } from '../../helpers/cases.js';
import { devServerWorker, testDatabase, testRegistry, uniqueName, type TestDatabase } from '../../helpers/env.js';

const agent = { id: 'li.na', role: 'agent' };
const manager = { id: 'wang.fang', role: 'manager' };
const investigator = { id: 'qa.dept', role: 'investigator' };

const input = {
  customer: { id: 'M-10442', name: 'Zhao Min', phone: '139-1088-2231' },
  channel: 'phone',
  description: 'The installer left the old unit in the hallway and was rude when asked to take it.',
  demand: 'Remove the old unit and an apology',
  product: { model: 'RF-320' },
};

describe('the complaint process', () => {
  let db: TestDatabase;
  let env: Awaited<ReturnType<typeof devServerWorker>>;
  let running: Promise<void>;

  beforeAll(async () => {
    db = await testDatabase();
    env = await devServerWorker(db.pool);
    running = env.worker.run();
  });
  afterAll(async () => {
    env?.worker.shutdown();
    await running;
    await env?.close();
    await db?.close();
  });

  const open = (caseId: string, overrides: Record<string, unknown> = {}) =>
    env.client.openCase('complaint', { ...input, ...overrides }, { caseId, owner: agent.id });

  async function complaintRow(caseId: string) {
    const { rows } = await db.pool.query('SELECT * FROM complaints WHERE case_id = $1', [caseId]);
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  it('answers a general enquiry and closes it', async () => {
    const caseId = uniqueName('CP');
    await open(caseId, { description: 'Which detergent suits the WM-80?' });
    await complete(env.client, caseId, 'classify', 'general-enquiry', agent, { department: 'customer service' });
    await complete(env.client, caseId, 'answer-enquiry', 'answered', agent, { answer: 'Low-foam powder; see page 12 of the manual.' });
    const view = await closed(env.client, caseId);
    expect(view.outcome).toBe('answered');
    expect(await complaintRow(caseId)).toMatchObject({ category: 'general-enquiry', department: 'customer service', outcome: 'answered', owner: agent.id, channel: 'phone', customer_id: 'M-10442' });
  });

  it('corrects a customer record', async () => {
    const caseId = uniqueName('CP');
    await open(caseId, { description: 'My membership card shows the wrong phone number.' });
    await complete(env.client, caseId, 'classify', 'record-correction', agent, { department: 'membership' });
    await complete(env.client, caseId, 'correct-record', 'corrected', agent, { correction: 'phone 139-1088-2231 (was 139-1088-2213)' });
    expect((await closed(env.client, caseId)).outcome).toBe('corrected');
    expect(await complaintRow(caseId)).toMatchObject({ category: 'record-correction', outcome: 'corrected' });
  });

  it("explains a complaint of the customer's own cause and closes it as not valid", async () => {
    const caseId = uniqueName('CP');
    await open(caseId);
    await complete(env.client, caseId, 'classify', 'service-quality', agent, { department: 'installation' });
    await complete(env.client, caseId, 'investigate', 'verified', investigator, { findings: 'The customer had asked for the old unit to be left behind.' });
    await complete(env.client, caseId, 'analyse-cause', 'customer-cause', agent);
    await complete(env.client, caseId, 'explain-to-customer', 'explained', agent);
    expect((await closed(env.client, caseId)).outcome).toBe('explained');
    expect(await complaintRow(caseId)).toMatchObject({ category: 'service-quality', cause: 'customer', valid: false, outcome: 'explained' });
    expect(await stepsEntered(env.client, caseId)).not.toContain('propose');
  });

  it('runs a major problem through the meeting, the authority limit, negotiation and a second follow-up', async () => {
    const caseId = uniqueName('CP');
    await open(caseId, { description: 'The refrigerator failed twice in a week and the restaurant lost its stock.' });
    await complete(env.client, caseId, 'classify', 'major-problem', agent, { department: 'repair' });

    // The manager is told at once and holds the meeting: an owner and a promised deadline.
    const deadline = new Date(Date.now() + 2 * 86_400_000).toISOString();
    await complete(env.client, caseId, 'complaint-meeting', 'owner-named', manager, { owner: 'zhou.qiang', deadline, measures: 'loan unit today' });
    let view = await env.client.getCase(caseId);
    expect(view.priority).toBe('major');
    expect(view.slas['promised-deadline']).toMatchObject({ status: 'running', deadline });

    await complete(env.client, caseId, 'investigate', 'verified', investigator, { findings: 'Compressor relay fault, known batch.' });
    await complete(env.client, caseId, 'analyse-cause', 'company-cause', agent);

    // Over the agent's authority (500): the manager sends it back, the agent proposes within it.
    await complete(env.client, caseId, 'propose', 'proposed', agent, { resolution: 'Replace the unit and refund the lost stock', compensation: 3000 });
    await complete(env.client, caseId, 'manager-approval', 'revise', manager);
    await complete(env.client, caseId, 'propose', 'proposed', agent, { resolution: 'Replace the compressor and a 400 CNY voucher', compensation: 400 });
    // The customer wants more; the next proposal needs and gets the manager's approval.
    await complete(env.client, caseId, 'negotiate', 'wants-changes', agent);
    await complete(env.client, caseId, 'propose', 'proposed', agent, { resolution: 'Replace the unit and a 1,200 CNY voucher', compensation: 1200 });
    await complete(env.client, caseId, 'manager-approval', 'approved', manager);
    await complete(env.client, caseId, 'negotiate', 'agreed', agent);
    await complete(env.client, caseId, 'execute', 'done', agent, { actions: 'Unit replaced by zhou.qiang; voucher sent by li.na' });

    // The follow-up visit, due within 3 working days (Shanghai office hours): not satisfied, back to handling.
    const visit = await openTaskOf(env.client, caseId, 'follow-up-visit');
    const calendar = new BusinessCalendar((await testRegistry()).calendar('mainland-china').compiled);
    expect(Date.parse(visit.dueAt ?? '')).toBe(calendar.endOfWorkingDays(Date.parse(visit.openedAt), 3));
    expect(calendar.formatLocal(Date.parse(visit.dueAt ?? ''))).toMatch(/T18:00:00\+08:00$/);
    await complete(env.client, caseId, 'follow-up-visit', 'not-satisfied', agent, { notes: 'The new unit is noisy' });
    await complete(env.client, caseId, 'propose', 'proposed', agent, { resolution: 'Technician adjusts the new unit', compensation: 0 });
    await complete(env.client, caseId, 'negotiate', 'agreed', agent);
    await complete(env.client, caseId, 'execute', 'done', agent, { actions: 'Feet levelled, noise gone' });
    await complete(env.client, caseId, 'follow-up-visit', 'satisfied', agent, { notes: 'Quiet now' });
    await complete(env.client, caseId, 'summarise', 'summarised', agent, { lessons: 'Check the relay batch before installing', changes: 'Batch recall' });

    view = await closed(env.client, caseId);
    expect(view.outcome).toBe('resolved');
    expect(await complaintRow(caseId)).toMatchObject({
      category: 'major-problem',
      department: 'repair',
      cause: 'company',
      valid: true,
      resolution: 'Technician adjusts the new unit',
      outcome: 'resolved',
      meeting_owner: 'zhou.qiang',
      owner: agent.id,
    });
    expect((await complaintRow(caseId)).deadline.toISOString()).toBe(deadline);

    const followUps = await db.pool.query('SELECT round, satisfied, notes FROM follow_ups WHERE case_id = $1 ORDER BY round', [caseId]);
    expect(followUps.rows).toEqual([
      { round: 1, satisfied: false, notes: 'The new unit is noisy' },
      { round: 2, satisfied: true, notes: 'Quiet now' },
    ]);
    const approvals = await db.pool.query('SELECT subject, decision, amount FROM approvals WHERE case_id = $1 ORDER BY decided_at', [caseId]);
    expect(approvals.rows.map((r) => [r.subject, r.decision, Number(r.amount)])).toEqual([
      ['resolution', 'rejected', 3000],
      ['resolution', 'approved', 1200],
    ]);
    const escalation = await db.pool.query('SELECT recipient_role, channel FROM notifications WHERE case_id = $1 AND subject LIKE $2', [caseId, 'Major complaint%']);
    expect(escalation.rows).toEqual([{ recipient_role: 'manager', channel: 'internal' }]);

    // The handling clock ran twice: once per pass through handling (reopened by the follow-up).
    const handling = await db.pool.query("SELECT cycle, result FROM sla_events WHERE case_id = $1 AND clock = 'handling' AND event_type = 'stopped' ORDER BY cycle", [caseId]);
    expect(handling.rows).toEqual([
      { cycle: 1, result: 'met' },
      { cycle: 2, result: 'met' },
    ]);
    const meeting = await db.pool.query("SELECT result FROM sla_events WHERE case_id = $1 AND clock = 'complaint-meeting' AND event_type = 'stopped'", [caseId]);
    expect(meeting.rows).toEqual([{ result: 'met' }]);
  });

  it('hands a negotiation that does not converge to the manager after ten proposals', async () => {
    const caseId = uniqueName('CP');
    await open(caseId);
    await complete(env.client, caseId, 'classify', 'service-quality', agent, { department: 'installation' });
    await complete(env.client, caseId, 'investigate', 'verified', investigator, { findings: 'Confirmed by the installer.' });
    await complete(env.client, caseId, 'analyse-cause', 'partner-cause', agent);
    for (let round = 1; round <= 10; round++) {
      await complete(env.client, caseId, 'propose', 'proposed', agent, { resolution: `offer ${round}`, compensation: 10 * round });
      await complete(env.client, caseId, 'negotiate', 'wants-changes', agent);
    }
    await complete(env.client, caseId, 'manager-decides', 'unresolved', manager);
    expect((await closed(env.client, caseId)).outcome).toBe('unresolved');
    expect(await complaintRow(caseId)).toMatchObject({ cause: 'partner', valid: true, outcome: 'unresolved' });
  });
});
