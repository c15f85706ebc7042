/**
 * The interpreter on the time-skipping test server: every step kind, loops with a visit bound,
 * parallel branches, subprocesses, durable waits of days, failure policies, cancellation,
 * assignment. Days pass in milliseconds.
 */
import { describe, expect, it } from 'vitest';
import { openTaskOf, reaches } from '../helpers/cases.js';
import { actors, uniqueName } from '../helpers/env.js';
import { timeSkippingSuite } from '../helpers/suites.js';
import { CaseStatusKey } from '../../workflows/search-attributes.js';

const suite = timeSkippingSuite();

const customer = { id: 'C-77', name: 'Zhang Wei' };

describe('every step kind', () => {
  it('runs action, task, decision, parallel branches, a one-day wait and a subprocess to the end', async () => {
    // `_` in the id: the child's summary quotes it, and the Web UI must not read it as emphasis.
    const caseId = uniqueName('E_1');
    const opened = await suite.client.openCase('every-step', { customer, amount: 2500 }, { caseId, owner: actors.agent.id });
    expect(opened.summary).toBe(`Test ${caseId} · Zhang Wei`);

    const review = await openTaskOf(suite.client, caseId, 'review');
    expect(review).toMatchObject({ id: 'review#1', role: 'agent', assignee: 'li.na', outcomes: ['approve', 'reject', 'ask-manager'] });
    expect(Date.parse(review.dueAt ?? '') - Date.parse(review.openedAt)).toBe(4 * 3600_000);
    await suite.client.completeTask(caseId, 'review', { outcome: 'approve', data: { note: 'fine' }, actor: actors.agent });

    // amount > 1000: both parallel branches open their tasks together.
    const ship = await openTaskOf(suite.client, caseId, 'ship-it');
    const collect = await openTaskOf(suite.client, caseId, 'collect-it');
    let view = await suite.client.getCase(caseId);
    expect(Object.values(view.tasks).filter((t) => t.status === 'open').map((t) => t.stepId).sort()).toEqual(['collect-it', 'ship-it']);
    await suite.client.completeTask(caseId, ship.id, { outcome: 'shipped', actor: actors.agent });
    await reaches(suite.client, caseId, 'collect-it');
    view = await suite.client.getCase(caseId);
    expect(view.tokens.root?.stepId).toBe('ship-and-collect');
    await suite.client.completeTask(caseId, collect.id, { outcome: 'collected', actor: actors.agent });

    // The cooling-off wait of one day, then the child case.
    await reaches(suite.client, caseId, 'cooling-off');
    const before = await suite.env.currentTimeMs();
    await suite.env.sleep('1 day');
    const childId = `${caseId}.child`;
    await openTaskOf(suite.client, childId, 'work');
    expect(Number(await suite.env.currentTimeMs()) - Number(before)).toBeGreaterThanOrEqual(86_400_000);
    const child = await suite.client.getCase(childId);
    expect(child).toMatchObject({ process: 'child-process', parent: { caseId, stepId: 'child' }, owner: 'li.na', summary: `Child ${childId} · amount 2500` });
    // The Web UI's summary of the child (markdown) has what the summary quotes escaped.
    const childSummary = await (await suite.env.client.workflow.getHandle(childId).describe()).staticSummary();
    expect(childSummary).toBe(`Child ${childId.replace(/_/g, '\\_')} · amount 2500`);
    await suite.client.completeTask(childId, 'work', { outcome: 'done', actor: actors.agent });

    await openTaskOf(suite.client, caseId, 'confirm');
    await suite.client.completeTask(caseId, 'confirm', { outcome: 'satisfied', actor: actors.agent });
    const result = await suite.client.result(caseId);
    expect(result.outcome).toBe('resolved');
    expect(result.data).toMatchObject({
      record: { caseId },
      review: { note: 'fine' },
      child: { caseId: childId, outcome: 'done' },
    });

    view = await suite.client.getCase(caseId);
    expect(view.status).toBe('closed');
    expect(view.outcomes).toEqual({ review: 'approve', 'ship-it': 'shipped', 'collect-it': 'collected', child: 'done', confirm: 'satisfied' });
    const entered = view.timeline.filter((e) => e.type === 'step-entered').map((e) => e.step);
    expect(entered).toEqual(['record', 'review', 'route', 'ship-and-collect', 'ship-it', 'collect-it', 'cooling-off', 'child', 'confirm', 'resolved']);
    expect(view.timeline.find((e) => e.type === 'task-completed' && e.task === 'review#1')).toMatchObject({ actor: 'li.na', outcome: 'approve' });
  });

  it('takes the decision’s otherwise path and routes a task outcome to a second task', async () => {
    const caseId = uniqueName('E');
    await suite.client.openCase('every-step', { customer, amount: 10 }, { caseId });
    await suite.client.completeTask(caseId, (await openTaskOf(suite.client, caseId, 'review')).id, { outcome: 'ask-manager', actor: actors.agent });
    await suite.client.completeTask(caseId, (await openTaskOf(suite.client, caseId, 'manager-review')).id, { outcome: 'reject', actor: actors.manager });
    expect((await suite.client.result(caseId)).outcome).toBe('rejected');
    const view = await suite.client.getCase(caseId);
    expect(view.timeline.filter((e) => e.type === 'step-entered').map((e) => e.step)).toEqual(['record', 'review', 'manager-review', 'rejected']);
  });

  it('bounds a loop by its visits and goes on to the step the bound names', async () => {
    const caseId = uniqueName('E');
    await suite.client.openCase('every-step', { customer, amount: 10 }, { caseId });
    await suite.client.completeTask(caseId, (await openTaskOf(suite.client, caseId, 'review')).id, { outcome: 'approve', actor: actors.agent });
    await reaches(suite.client, caseId, 'cooling-off');
    await suite.env.sleep('1 day');
    await suite.client.completeTask(`${caseId}.child`, (await openTaskOf(suite.client, `${caseId}.child`, 'work')).id, { outcome: 'done', actor: actors.agent });
    const first = await openTaskOf(suite.client, caseId, 'confirm');
    expect(first.id).toBe('confirm#1');
    await suite.client.completeTask(caseId, first.id, { outcome: 'not-satisfied', actor: actors.agent });
    const second = await openTaskOf(suite.client, caseId, 'confirm');
    expect(second.id).toBe('confirm#2');
    await suite.client.completeTask(caseId, second.id, { outcome: 'not-satisfied', actor: actors.agent });
    expect((await suite.client.result(caseId)).outcome).toBe('escalated');
    const view = await suite.client.getCase(caseId);
    expect(view.timeline.find((e) => e.type === 'visits-exceeded')).toMatchObject({ step: 'confirm' });
    expect(view.visits.confirm).toBe(2);
  });
});

describe('failure policies of actions', () => {
  it('escalates a failed action to a role, which can say it was handled by hand', async () => {
    const caseId = uniqueName('F');
    await suite.client.openCase('failing-actions', { policy: 'escalate' }, { caseId });
    const task = await openTaskOf(suite.client, caseId, 'record-escalate');
    expect(task).toMatchObject({ role: 'supervisor', outcomes: ['retry', 'handled-manually'], escalation: { activity: 'record-case' } });
    expect(task.escalation?.error).toContain('summary');
    // An agent may not sort out what was escalated to the supervisor.
    await expect(suite.client.completeTask(caseId, task.id, { outcome: 'handled-manually', actor: actors.agent })).rejects.toMatchObject({ code: 'ROLE_NOT_ALLOWED' });
    await suite.client.completeTask(caseId, task.id, { outcome: 'handled-manually', actor: actors.supervisor });
    expect((await suite.client.result(caseId)).outcome).toBe('done');
    const view = await suite.client.getCase(caseId);
    expect(view.timeline.map((e) => e.type)).toContain('action-failed');
    expect(view.timeline.map((e) => e.type)).toContain('escalated');
  });

  it('retries an escalated action when asked, and escalates again when it fails again', async () => {
    const caseId = uniqueName('F');
    await suite.client.openCase('failing-actions', { policy: 'escalate' }, { caseId });
    const first = await openTaskOf(suite.client, caseId, 'record-escalate');
    await suite.client.completeTask(caseId, first.id, { outcome: 'retry', actor: actors.supervisor });
    await openTaskOf(suite.client, caseId, 'record-escalate').then((t) => expect(t.id).toBe('record-escalate#2'));
    expect(Object.keys((await suite.client.getCase(caseId)).tasks)).toEqual(['record-escalate#1', 'record-escalate#2']);
    const view = await suite.client.getCase(caseId);
    expect(view.timeline.filter((e) => e.type === 'action-failed')).toHaveLength(2);
    await suite.client.cancelCase(caseId, 'test over', actors.supervisor);
  });

  it('goes to the fallback step the definition names', async () => {
    const caseId = uniqueName('F');
    await suite.client.openCase('failing-actions', { policy: 'go-to' }, { caseId });
    await suite.client.completeTask(caseId, (await openTaskOf(suite.client, caseId, 'record-by-hand')).id, { outcome: 'recorded', actor: actors.agent });
    expect((await suite.client.result(caseId)).outcome).toBe('done');
  });

  it('fails the case, visibly, when no policy is given', async () => {
    const caseId = uniqueName('F');
    await suite.client.openCase('failing-actions', { policy: 'fail' }, { caseId });
    await expect(suite.client.result(caseId)).rejects.toMatchObject({
      name: 'CaseFailedError',
      type: 'ActionFailed',
      reason: expect.stringMatching(/^step `record-fail` \(Record without a policy\) failed: activity `record-case` failed for a reason a retry cannot fix: record-case: /),
    });
    const description = await suite.env.client.workflow.getHandle(caseId).describe();
    expect(description.status.name).toBe('FAILED');
    // Operators' "open" queries must not count it: its status says failed.
    expect(description.typedSearchAttributes.get(CaseStatusKey)).toBe('failed');
    // The audit trail says so, with the reason, after what the case recorded before.
    const audit = await suite.db.pool.query<{ event_type: string; detail: { detail?: string } }>("SELECT event_type, detail FROM case_events WHERE case_id = $1 AND event_key LIKE '%:timeline:%' ORDER BY occurred_at, event_key", [caseId]);
    expect(audit.rows.map((r) => r.event_type)).toEqual(['case-opened', 'case-failed']);
    expect(audit.rows[1]?.detail.detail).toMatch(/^step `record-fail` \(Record without a policy\) failed: /);
  });

  it('fails the case at once when the activity refuses the data, though the step has no cap on attempts', async () => {
    const caseId = uniqueName('F');
    await suite.client.openCase('refused-data', {}, { caseId });
    await expect(suite.client.result(caseId)).rejects.toMatchObject({
      type: 'ActionFailed',
      reason: expect.stringMatching(/^step `record` \(Record with a number for a summary\) failed: activity `record-case` failed for a reason a retry cannot fix: record-case: /),
    });
    // One call of record-case, on its first attempt (the case's history records are the other calls).
    const events = (await suite.env.client.workflow.getHandle(caseId).fetchHistory()).events ?? [];
    const scheduled = events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'record-case').map((e) => Number(e.eventId));
    expect(scheduled).toHaveLength(1);
    const attempts = events.filter((e) => scheduled.includes(Number(e.activityTaskStartedEventAttributes?.scheduledEventId))).map((e) => e.activityTaskStartedEventAttributes?.attempt);
    expect(attempts).toEqual([1]);
  });
});

describe('people acting on a case', () => {
  it('cancels a case with a reason; its open tasks are cancelled and nothing more happens', async () => {
    const caseId = uniqueName('C');
    await suite.client.openCase('every-step', { customer, amount: 10 }, { caseId });
    await openTaskOf(suite.client, caseId, 'review');
    expect(await suite.client.cancelCase(caseId, 'customer withdrew', actors.supervisor)).toEqual({ caseId, outcome: 'cancelled' });
    expect((await suite.client.result(caseId)).outcome).toBe('cancelled');
    const view = await suite.client.getCase(caseId);
    expect(view.tasks['review#1']?.status).toBe('cancelled');
    expect(view.timeline.find((e) => e.type === 'case-cancelled')).toMatchObject({ actor: 'chen.jie', detail: 'customer withdrew' });
    await expect(suite.client.cancelCase(caseId, 'again', actors.supervisor)).rejects.toMatchObject({ code: 'CASE_CLOSED' });
  });

  it('closes a case cancelled in Temporal (`temporal workflow cancel`) as cancelled, with actor `temporal`', async () => {
    const caseId = uniqueName('C');
    await suite.client.openCase('every-step', { customer, amount: 10 }, { caseId });
    await openTaskOf(suite.client, caseId, 'review');
    const handle = suite.env.client.workflow.getHandle(caseId);
    await handle.cancel();
    expect(await suite.client.result(caseId)).toMatchObject({ outcome: 'cancelled' });
    const description = await handle.describe();
    expect(description.status.name).toBe('COMPLETED');
    expect(description.typedSearchAttributes.get(CaseStatusKey)).toBe('closed');
    const view = await suite.client.getCase(caseId);
    expect(view).toMatchObject({ status: 'closed', outcome: 'cancelled' });
    expect(view.tasks['review#1']?.status).toBe('cancelled');
    expect(view.timeline.find((e) => e.type === 'case-cancelled')).toMatchObject({ actor: 'temporal', detail: 'cancelled in Temporal' });
  });

  it('refuses a cancellation by a role the process does not name under `may-cancel`; the case goes on', async () => {
    const caseId = uniqueName('C');
    await suite.client.openCase('every-step', { customer, amount: 10 }, { caseId });
    const review = await openTaskOf(suite.client, caseId, 'review');
    // every-step: `may-cancel: [supervisor]`. The agent is not named, nor is the manager.
    for (const actor of [actors.agent, actors.manager]) {
      await expect(suite.client.cancelCase(caseId, 'customer withdrew', actor)).rejects.toMatchObject({
        name: 'RequestRejectedError',
        code: 'CANCEL_NOT_ALLOWED',
        reason: `only \`supervisor\` may cancel a case of process \`every-step\`; ${actor.id} acts as \`${actor.role}\`, so case ${caseId} stays open`,
      });
    }
    const view = await suite.client.getCase(caseId);
    expect(view.status).toBe('open');
    expect(view.tasks[review.id]?.status).toBe('open');
    expect(view.timeline.some((e) => e.type === 'case-cancelled')).toBe(false);
    // The case still moves: the agent completes the review.
    await suite.client.completeTask(caseId, review.id, { outcome: 'ask-manager', actor: actors.agent });
    await openTaskOf(suite.client, caseId, 'manager-review');
    await suite.client.cancelCase(caseId, 'test over', actors.supervisor);
  });

  it('lets no role cancel a case of a process that names none; a Temporal operator still can', async () => {
    const caseId = uniqueName('C');
    await suite.client.openCase('child-process', { amount: 5 }, { caseId });
    await openTaskOf(suite.client, caseId, 'work');
    await expect(suite.client.cancelCase(caseId, 'customer withdrew', actors.agent)).rejects.toMatchObject({
      code: 'CANCEL_NOT_ALLOWED',
      reason: `process \`child-process\` version 1 names no role that may cancel its cases (\`may-cancel\`); li.na acting as \`agent\` may not, and case ${caseId} stays open: a Temporal operator can cancel it (\`temporal workflow cancel --workflow-id ${caseId}\`)`,
    });
    expect((await suite.client.getCase(caseId)).status).toBe('open');
    await suite.env.client.workflow.getHandle(caseId).cancel();
    expect((await suite.client.result(caseId)).outcome).toBe('cancelled');
  });

  it('lets a person claim a task of their role and a supervisor reassign it; the owner stays', async () => {
    const caseId = uniqueName('A');
    await suite.client.openCase('every-step', { customer, amount: 10 }, { caseId });
    const review = await openTaskOf(suite.client, caseId, 'review');
    expect(review.assignee).toBeUndefined();
    await suite.client.claimTask(caseId, review.id, actors.otherAgent);
    await expect(suite.client.completeTask(caseId, review.id, { outcome: 'approve', actor: actors.agent })).rejects.toMatchObject({ code: 'NOT_ASSIGNEE' });
    await suite.client.reassignTask(caseId, review.id, actors.agent.id, actors.supervisor, { reason: 'zhao.lei is on leave' });
    await suite.client.completeTask(caseId, review.id, { outcome: 'approve', actor: actors.agent });
    const view = await suite.client.getCase(caseId);
    expect(view.owner).toBe('li.na');
    expect(view.timeline.filter((e) => e.type.startsWith('task-')).map((e) => `${e.type}:${e.actor ?? ''}`)).toEqual([
      'task-opened:',
      'task-claimed:zhao.lei',
      'task-reassigned:chen.jie',
      'task-completed:li.na',
    ]);
    await suite.client.cancelCase(caseId, 'test over', actors.supervisor);
  });
});
