/**
 * The shipped complaint process on the dev server and PostgreSQL, driven through the client as
 * the receiving agent, the department, the manager would: every category's path, the
 * major-problem path with the complaint meeting, the authority limit, the negotiation loop and
 * its bound, and the follow-up that sends the case back to handling.
 */
import { actAs } from '../../helpers/env.js';
import { describe, expect, it } from 'vitest';
import { complete, closed, stepsEntered } from '../../helpers/drive.js';
import { BusinessCalendar } from '../../../dsl/calendar/working-time.js';
import { openTaskOf } from '../../helpers/cases.js';
import { testRegistry, uniqueName } from '../../helpers/env.js';
import { devServerSuite } from '../../helpers/suites.js';
import { clearTextIn, personalDataOf } from '../../helpers/privacy.js';

const agent = actAs('li.na', 'agent');
const manager = actAs('wang.fang', 'manager');
const investigator = actAs('qa.dept', 'investigator');

const input = {
  customer: { id: 'M-10442', name: 'Zhao Min', phone: '139-1088-2231' },
  channel: 'phone',
  description: 'The installer left the old unit in the hallway and was rude when asked to take it.',
  demand: 'Remove the old unit and an apology',
  product: { model: 'RF-320' },
};

describe('the complaint process', () => {
  const suite = devServerSuite();

  const open = (caseId: string, overrides: Record<string, unknown> = {}) =>
    suite.client.openCase('complaint', { ...input, ...overrides }, { caseId, owner: agent.id });

  async function complaintRow(caseId: string) {
    const { rows } = await suite.db.pool.query('SELECT * FROM complaints WHERE case_id = $1', [caseId]);
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  it('answers a general enquiry and closes it', async () => {
    const caseId = uniqueName('CP');
    await open(caseId, { description: 'Which detergent suits the WM-80?' });
    await complete(suite.client, caseId, 'classify', 'general-enquiry', agent, { department: 'customer service' });
    await complete(suite.client, caseId, 'answer-enquiry', 'answered', agent, { answer: 'Low-foam powder; see page 12 of the manual.' });
    const view = await closed(suite.client, caseId);
    expect(view.outcome).toBe('answered');
    expect(await complaintRow(caseId)).toMatchObject({ category: 'general-enquiry', department: 'customer service', outcome: 'answered', owner: agent.id, channel: 'phone', customer_id: 'M-10442' });
  });

  it('corrects a customer record', async () => {
    const caseId = uniqueName('CP');
    await open(caseId, { description: 'My membership card shows the wrong phone number.' });
    await complete(suite.client, caseId, 'classify', 'record-correction', agent, { department: 'membership' });
    await complete(suite.client, caseId, 'correct-record', 'corrected', agent, { correction: 'phone 139-1088-2231 (was 139-1088-2213)' });
    expect((await closed(suite.client, caseId)).outcome).toBe('corrected');
    expect(await complaintRow(caseId)).toMatchObject({ category: 'record-correction', outcome: 'corrected' });
  });

  it("explains a complaint of the customer's own cause and closes it as not valid", async () => {
    const caseId = uniqueName('CP');
    await open(caseId);
    await complete(suite.client, caseId, 'classify', 'service-quality', agent, { department: 'installation' });
    await complete(suite.client, caseId, 'investigate', 'verified', investigator, { findings: 'The customer had asked for the old unit to be left behind.' });
    await complete(suite.client, caseId, 'analyse-cause', 'customer-cause', agent);
    await complete(suite.client, caseId, 'explain-to-customer', 'explained', agent);
    expect((await closed(suite.client, caseId)).outcome).toBe('explained');
    expect(await complaintRow(caseId)).toMatchObject({ category: 'service-quality', cause: 'customer', valid: false, outcome: 'explained' });
    expect(await stepsEntered(suite.client, caseId)).not.toContain('propose');
  });

  it('runs a major problem through the meeting, the authority limit, negotiation and a second follow-up', async () => {
    const caseId = uniqueName('CP');
    await open(caseId, { description: 'The refrigerator failed twice in a week and the restaurant lost its stock.' });
    await complete(suite.client, caseId, 'classify', 'major-problem', agent, { department: 'repair' });

    // The manager is told at once and holds the meeting: an owner and a promised deadline.
    const deadline = new Date(Date.now() + 2 * 86_400_000).toISOString();
    await complete(suite.client, caseId, 'complaint-meeting', 'owner-named', manager, { owner: 'zhou.qiang', deadline, measures: 'loan unit today' });
    let view = await suite.client.getCase(caseId);
    expect(view.priority).toBe('major');
    expect(view.slas['promised-deadline']).toMatchObject({ status: 'running', deadline });

    await complete(suite.client, caseId, 'investigate', 'verified', investigator, { findings: 'Compressor relay fault, known batch.' });
    await complete(suite.client, caseId, 'analyse-cause', 'company-cause', agent);

    // Over the agent's authority (500): the manager sends it back, the agent proposes within it.
    await complete(suite.client, caseId, 'propose', 'proposed', agent, { resolution: 'Replace the unit and refund the lost stock', compensation: 3000 });
    await complete(suite.client, caseId, 'manager-approval', 'revise', manager);
    await complete(suite.client, caseId, 'propose', 'proposed', agent, { resolution: 'Replace the compressor and a 400 CNY voucher', compensation: 400 });
    // The customer wants more; the next proposal needs and gets the manager's approval.
    await complete(suite.client, caseId, 'negotiate', 'wants-changes', agent);
    await complete(suite.client, caseId, 'propose', 'proposed', agent, { resolution: 'Replace the unit and a 1,200 CNY voucher', compensation: 1200 });
    await complete(suite.client, caseId, 'manager-approval', 'approved', manager);
    await complete(suite.client, caseId, 'negotiate', 'agreed', agent);
    await complete(suite.client, caseId, 'execute', 'done', agent, { actions: 'Unit replaced by zhou.qiang; voucher sent by li.na' });

    // The follow-up visit, due within 3 working days (Shanghai office hours): not satisfied, back to handling.
    const visit = await openTaskOf(suite.client, caseId, 'follow-up-visit');
    const calendar = new BusinessCalendar((await testRegistry()).calendar('mainland-china').compiled);
    expect(Date.parse(visit.dueAt ?? '')).toBe(calendar.endOfWorkingDays(Date.parse(visit.openedAt), 3));
    expect(calendar.formatLocal(Date.parse(visit.dueAt ?? ''))).toMatch(/T18:00:00\+08:00$/);
    await complete(suite.client, caseId, 'follow-up-visit', 'not-satisfied', agent, { notes: 'The new unit is noisy' });
    await complete(suite.client, caseId, 'propose', 'proposed', agent, { resolution: 'Technician adjusts the new unit', compensation: 0 });
    await complete(suite.client, caseId, 'negotiate', 'agreed', agent);
    await complete(suite.client, caseId, 'execute', 'done', agent, { actions: 'Feet levelled, noise gone' });
    await complete(suite.client, caseId, 'follow-up-visit', 'satisfied', agent, { notes: 'Quiet now' });
    await complete(suite.client, caseId, 'summarise', 'summarised', agent, { lessons: 'Check the relay batch before installing', changes: 'Batch recall' });

    view = await closed(suite.client, caseId);
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

    const followUps = await suite.db.pool.query('SELECT round, satisfied, notes FROM follow_ups WHERE case_id = $1 ORDER BY round', [caseId]);
    expect(followUps.rows).toEqual([
      { round: 1, satisfied: false, notes: 'The new unit is noisy' },
      { round: 2, satisfied: true, notes: 'Quiet now' },
    ]);
    const approvals = await suite.db.pool.query('SELECT subject, decision, amount, approver_id, approver_role FROM approvals WHERE case_id = $1 ORDER BY decided_at', [caseId]);
    expect(approvals.rows.map((r) => [r.subject, r.decision, Number(r.amount), r.approver_id, r.approver_role])).toEqual([
      ['resolution', 'rejected', 3000, 'wang.fang', 'manager'],
      ['resolution', 'approved', 1200, 'wang.fang', 'manager'],
    ]);
    const escalation = await suite.db.pool.query('SELECT recipient_role, channel FROM notifications WHERE case_id = $1 AND subject LIKE $2', [caseId, 'Major complaint%']);
    expect(escalation.rows).toEqual([{ recipient_role: 'manager', channel: 'internal' }]);

    // The handling clock ran twice: once per pass through handling (reopened by the follow-up).
    const handling = await suite.db.pool.query("SELECT cycle, result FROM sla_events WHERE case_id = $1 AND clock = 'handling' AND event_type = 'stopped' ORDER BY cycle", [caseId]);
    expect(handling.rows).toEqual([
      { cycle: 1, result: 'met' },
      { cycle: 2, result: 'met' },
    ]);
    const meeting = await suite.db.pool.query("SELECT result FROM sla_events WHERE case_id = $1 AND clock = 'complaint-meeting' AND event_type = 'stopped'", [caseId]);
    expect(meeting.rows).toEqual([{ result: 'met' }]);

    // The audit trail in PostgreSQL: every task completed, by whom, in order.
    const audit = await suite.db.pool.query("SELECT step_id, actor FROM case_events WHERE case_id = $1 AND event_type = 'task-completed' ORDER BY occurred_at, event_key", [caseId]);
    const byWhom = audit.rows.map((r) => `${r.step_id}:${r.actor}`);
    expect(byWhom).toHaveLength(18);
    expect(byWhom.slice(0, 6)).toEqual(['classify:li.na', 'complaint-meeting:wang.fang', 'investigate:qa.dept', 'analyse-cause:li.na', 'propose:li.na', 'manager-approval:wang.fang']);
    expect(byWhom.at(-1)).toBe('summarise:li.na');
  });

  it('hands a negotiation that does not converge to the manager after ten proposals', async () => {
    const caseId = uniqueName('CP');
    await open(caseId);
    await complete(suite.client, caseId, 'classify', 'service-quality', agent, { department: 'installation' });
    await complete(suite.client, caseId, 'investigate', 'verified', investigator, { findings: 'Confirmed by the installer.' });
    await complete(suite.client, caseId, 'analyse-cause', 'partner-cause', agent);
    for (let round = 1; round <= 10; round++) {
      await complete(suite.client, caseId, 'propose', 'proposed', agent, { resolution: `offer ${round}`, compensation: 10 * round });
      await complete(suite.client, caseId, 'negotiate', 'wants-changes', agent);
    }
    await complete(suite.client, caseId, 'manager-decides', 'unresolved', manager);
    expect((await closed(suite.client, caseId)).outcome).toBe('unresolved');
    expect(await complaintRow(caseId)).toMatchObject({ cause: 'partner', valid: true, outcome: 'unresolved' });
  });

  it('keeps no customer name, phone or address in clear in Temporal: histories, visibility and descriptions of every case above', async () => {
    const secrets = [...new Set(suite.opened.flatMap(personalDataOf))];
    expect(secrets.length).toBeGreaterThan(0);
    expect(await clearTextIn(suite.client.temporal, suite.taskQueue, secrets)).toEqual([]);
  });
});
