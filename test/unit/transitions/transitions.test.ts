/**
 * The interpreter's pure transitions (workflows/transitions/): what entering a step, routing,
 * deciding, acting on tasks, taking a calendar and reaching an SLA rung change, computed
 * without a workflow, a server or a database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileProcess } from '../../../dsl/compile.js';
import { evaluateTemplate } from '../../../dsl/expressions.js';
import type { CompiledProcess, CompiledSla, DecideStep, TaskStep } from '../../../model/compiled-process.js';
import type { ProcessDefinition } from '../../../model/generated/process-definition.js';
import type { CalendarData } from '../../../model/pinned.js';
import { projectRoot } from '../../../worker/config.js';
import type { CaseState, CaseTask } from '../../../workflows/case-state.js';
import type { CaseArgs } from '../../../workflows/messages.js';
import { newClock, startClock } from '../../../workflows/sla-clock.js';
import { calendarUpdate } from '../../../workflows/transitions/calendars.js';
import { expressionContext } from '../../../workflows/transitions/expression-context.js';
import { decide, enterStep, follow, route } from '../../../workflows/transitions/flow.js';
import { openingState, ROOT } from '../../../workflows/transitions/opening.js';
import { followedPriority } from '../../../workflows/transitions/priority.js';
import { rungActions, slaStepContext, type RungAction } from '../../../workflows/transitions/sla-rungs.js';
import { cancelOpenTasks, claimTask, completeTask, ESCALATION_OUTCOMES, failedActionTask, openTask, reassignOpenTasks, reassignTask } from '../../../workflows/transitions/tasks.js';
import { compiled as compiledCalendar } from '../calendar/calendars.js';

function fixture(name: string): { definition: ProcessDefinition; process: CompiledProcess } {
  const definition = parse(fs.readFileSync(path.join(projectRoot, 'test', 'fixtures', 'processes', `${name}.yaml`), 'utf8')) as ProcessDefinition;
  return { definition, process: compileProcess(definition) };
}

const OPENED = Date.parse('2026-03-02T01:00:00Z');
const { definition, process } = fixture('every-step');
const input = { customer: { id: 'M-1', name: 'Wang Li' }, amount: 1500 };

function args(extra: Partial<CaseArgs> = {}): CaseArgs {
  return { caseId: 'C-1', pinned: { definition, hash: 'h'.repeat(64) }, input, ...extra };
}

function freshCase(extra: Partial<CaseArgs> = {}): CaseState {
  return openingState(args(extra), process, OPENED);
}

function withOpenTask(state: CaseState, task: Partial<CaseTask> & { stepId: string }): CaseTask {
  const opened = openTask(state, { title: 'A task', role: 'agent', outcomes: ['approve', 'reject'], ...task }, undefined, OPENED);
  state.tasks[opened.task.id] = { ...opened.task, ...task };
  state.taskCounts[task.stepId] = opened.count;
  return state.tasks[opened.task.id] as CaseTask;
}

describe('the opening state', () => {
  it('starts at the process start with every SLA clock waiting, and the summary, customer and priority from the case block', () => {
    const state = freshCase({ owner: 'li.na' });
    expect(state.tokens[ROOT]).toEqual({ id: ROOT, stepId: 'record', done: false });
    expect(state).toMatchObject({ caseId: 'C-1', process: 'every-step', version: 1, status: 'open', owner: 'li.na', summary: 'Test C-1 · Wang Li', customer: 'M-1', priority: 'high', openedAt: '2026-03-02T01:00:00.000Z', run: 1 });
    expect(state.parameters).toEqual({ coolingOff: '1 day' });
    const sla = fixture('sla-first-response');
    expect(openingState({ ...args(), pinned: { definition: sla.definition, hash: 'x' } }, sla.process, OPENED).slas['first-response']?.status).toBe('waiting');
  });
});

describe('entering a step and routing', () => {
  const confirm = process.steps.confirm;
  if (!confirm) throw new Error('fixture lacks confirm');

  it('counts a visit and says which branch a step is entered in', () => {
    expect(enterStep(confirm, 0, undefined)).toEqual({ type: 'enter', visits: 1, entry: { type: 'step-entered', step: 'confirm' } });
    expect(enterStep(confirm, 1, 'ship')).toEqual({ type: 'enter', visits: 2, entry: { type: 'step-entered', step: 'confirm', detail: 'branch ship' } });
  });

  it('sends the case to the step the bound names once a step was visited its maximum', () => {
    expect(enterStep(confirm, 2, undefined)).toEqual({ type: 'redirect', to: 'escalated', entry: { type: 'visits-exceeded', step: 'confirm', detail: 'visited 2 times; going to escalated' } });
  });

  it('routes an outcome by its own transition, and ends a branch where nothing follows', () => {
    const review = process.steps.review as TaskStep;
    expect(route(review.next, 'reject')).toEqual({ type: 'next', next: 'rejected', gave: 'reject' });
    expect(follow(undefined)).toEqual({ type: 'branch-done' });
  });

  it('decides by the first condition that holds, otherwise by `otherwise`, and fails the step on a condition that cannot be decided', () => {
    const step = process.steps.route as DecideStep;
    const context = (amount: unknown) => expressionContext({ ...freshCase(), input: { ...input, amount } }, process, OPENED);
    expect(decide(step, context(1500))).toEqual({ type: 'next', next: 'ship-and-collect', detail: 'because input.amount > 1000' });
    expect(decide(step, context(10))).toEqual({ type: 'next', next: 'cooling-off', detail: 'no condition held' });
    expect(() => decide(step, context('a lot'))).toThrow(/step `route` \(Large or small amount\?\): the condition `input.amount > 1000` could not be decided/);
  });
});

describe('the expression context', () => {
  it('reads steps not reached yet as empty outcomes and actors, and a case nobody owns as a null owner', () => {
    const state = freshCase();
    const task = withOpenTask(state, { stepId: 'review' });
    state.tasks[task.id] = { ...task, status: 'completed', outcome: 'approve', completedBy: 'chen.jie' };
    state.outcomes.review = 'approve';
    const context = expressionContext(state, process, OPENED + 1000);
    expect(context.outcomes).toMatchObject({ review: 'approve', 'manager-review': '', child: '' });
    expect(context.actors).toMatchObject({ review: 'chen.jie', confirm: '' });
    expect(context.case).toMatchObject({ id: 'C-1', owner: null, priority: 'high', customer: 'M-1' });
    expect(context.now).toBe(OPENED + 1000);
  });
});

describe('tasks', () => {
  it('numbers the tasks a step opens and says whom each is for and when it is due', () => {
    const state = freshCase();
    const first = openTask(state, { stepId: 'confirm', title: 'Confirm', role: 'agent', outcomes: ['satisfied'], assignee: 'li.na' }, '2026-03-02T05:00:00.000Z', OPENED);
    expect(first.task).toMatchObject({ id: 'confirm#1', status: 'open', dueAt: '2026-03-02T05:00:00.000Z', openedAt: '2026-03-02T01:00:00.000Z' });
    expect(first.entry.detail).toBe('for agent (assigned to li.na), due 2026-03-02T05:00:00.000Z');
    state.taskCounts.confirm = first.count;
    expect(openTask(state, { stepId: 'confirm', title: 'Confirm', role: 'agent', outcomes: ['satisfied'] }, undefined, OPENED).task.id).toBe('confirm#2');
    expect(state.tasks).toEqual({}); // nothing written into the case
  });

  it('completes a task with its data, and makes whoever completes an assign-to-owner step the owner of an unowned case', () => {
    const state = freshCase();
    const task = withOpenTask(state, { stepId: 'review' });
    const completion = completeTask(state, process, { taskId: 'review', outcome: 'approve', data: { note: 'fine' }, actor: { id: 'li.na', role: 'agent' } }, { id: 'li.na', roles: ['agent'] }, OPENED + 60_000);
    expect(completion.task).toMatchObject({ id: task.id, status: 'completed', outcome: 'approve', completedBy: 'li.na', completedAt: '2026-03-02T01:01:00.000Z', data: { note: 'fine' } });
    expect(completion.owner).toBe('li.na');
    expect(completion.result).toEqual({ caseId: 'C-1', taskId: 'review#1', stepId: 'review', outcome: 'approve', completedBy: 'li.na', completedAt: '2026-03-02T01:01:00.000Z' });
    expect(state.tasks[task.id]?.status).toBe('open');
    const owned = freshCase({ owner: 'zhao.min' });
    withOpenTask(owned, { stepId: 'review' });
    expect(completeTask(owned, process, { taskId: 'review#1', outcome: 'approve', actor: { id: 'li.na', role: 'agent' } }, { id: 'li.na', roles: [] }, OPENED).owner).toBeUndefined();
  });

  it('claims and hands on a task, saying from whom to whom and why', () => {
    const state = freshCase();
    withOpenTask(state, { stepId: 'confirm' });
    expect(claimTask(state, { taskId: 'confirm#1', actor: { id: 'li.na', role: 'agent' } }, { id: 'li.na', roles: [] })).toMatchObject({ task: { assignee: 'li.na' }, entry: { type: 'task-claimed', actor: 'li.na' } });
    expect(reassignTask(state, { taskId: 'confirm', assignee: 'wu.fang', reason: 'on leave', actor: { id: 'chen.jie', role: 'supervisor' } }, { id: 'chen.jie', roles: [] }).entry.detail).toBe('nobody → wu.fang: on leave');
  });

  it('hands every open task of another role to the escalation role, unassigned, and cancels open tasks at the close', () => {
    const state = freshCase();
    withOpenTask(state, { stepId: 'confirm', assignee: 'li.na' });
    withOpenTask(state, { stepId: 'manager-review', role: 'manager' });
    const reassigned = reassignOpenTasks(state, 'manager', 'SLA x breach');
    expect(reassigned.tasks).toEqual([expect.not.objectContaining({ assignee: expect.anything() })]);
    expect(reassigned.tasks[0]).toMatchObject({ id: 'confirm#1', role: 'manager' });
    expect(reassigned.entries[0]?.detail).toBe('agent (li.na) → role manager: SLA x breach');
    const cancelled = cancelOpenTasks(state);
    expect(cancelled.tasks.map((t) => [t.id, t.status])).toEqual([['confirm#1', 'cancelled'], ['manager-review#1', 'cancelled']]);
  });

  it('turns a failed action into a task to retry or mark handled, with the error in its instructions', () => {
    const spec = failedActionTask({ id: 'record', title: 'Record the request', activity: 'record-case' }, 'supervisor', undefined, 'connection refused');
    expect(spec).toMatchObject({ stepId: 'record', title: 'Sort out: Record the request failed', role: 'supervisor', outcomes: ESCALATION_OUTCOMES, escalation: { stepId: 'record', activity: 'record-case', error: 'connection refused' } });
    expect(spec.instructions).toContain('failed: connection refused. Retry it once the cause is fixed');
  });
});

describe('calendar updates', () => {
  const v1 = compiledCalendar('mainland-china');
  const v2: CalendarData = { ...v1, version: v1.version + 1, hash: 'newer' };
  it('takes only newer versions of calendars the case counts with, and says why it kept the others', () => {
    const update = calendarUpdate('C-1', { 'mainland-china': v1 }, { calendars: { 'mainland-china': v2, 'new-york-office': v2 } });
    expect(update.replacements.map((r) => [r.name, r.data.version, r.entry.detail])).toEqual([['mainland-china', v2.version, `mainland-china version ${v1.version} → ${v2.version}`]]);
    expect(update.result.kept).toEqual([{ calendar: 'new-york-office', reason: 'the case does not count with this calendar' }]);
    expect(calendarUpdate('C-1', { 'mainland-china': v1 }, { calendars: { 'mainland-china': v1 } }).result.kept[0]?.reason).toBe(`version ${v1.version} is the one the case has`);
    expect(calendarUpdate('C-1', { 'mainland-china': v2 }, { calendars: { 'mainland-china': { ...v1, hash: 'other' } } }).result.kept[0]?.reason).toBe(
      `version ${v1.version} is not newer than the case's version ${v2.version}`,
    );
  });
});

describe('SLA rungs', () => {
  const sla = fixture('sla-first-response');
  const spec = sla.process.slas[0] as CompiledSla;
  const state = openingState({ ...args(), pinned: { definition: sla.definition, hash: 'x' } }, sla.process, OPENED);
  const clock = state.slas['first-response'] ?? newClock(spec);
  startClock(clock, spec, OPENED, undefined, () => undefined);

  it('lists a breach rung’s actions in the definition’s order: notify, raise the priority, hand the tasks on', () => {
    const breach = spec.escalations.find((rung) => rung.label === 'breach');
    if (!breach) throw new Error('no breach rung');
    const actions = rungActions(state, spec, clock, breach, spec.escalations.indexOf(breach), OPENED, undefined, () => 'unused');
    expect(actions.map((a) => a.kind)).toEqual(['notify', 'raise-priority', 'reassign']);
    expect(actions[0]).toMatchObject({ role: 'manager', input: { recipient: { role: 'manager' }, channel: 'internal', subject: 'First response: breach · case C-1' } });
    expect((actions[0] as Extract<RungAction, { kind: 'notify' }>).input.body).toBe(`First response: the time limit was missed for case C-1 (Reply C-1 · Wang Li); target 24h, due ${clock.deadline}.`);
    expect(actions[1]).toEqual({ kind: 'raise-priority', priority: 'urgent', because: 'SLA first-response (First response) breach' });
  });

  it('opens the call-back task the last rung names, and keys each side effect by clock cycle and purpose', () => {
    const last = spec.escalations[spec.escalations.length - 1];
    if (!last) throw new Error('no rung');
    expect(rungActions(state, spec, clock, last, 2, OPENED, undefined, () => '')).toEqual([
      { kind: 'open-task', task: { stepId: 'sla:first-response', title: 'Call the customer and apologise for the late reply', role: 'manager', outcomes: ['called'] } },
    ]);
    expect(slaStepContext(state, spec, clock, 'event-1')).toEqual({ caseId: 'C-1', process: 'sla-first-response', version: 1, stepId: 'sla:first-response', visit: 1, idempotencyKey: 'C-1:sla:first-response:1:event-1' });
  });
});

describe('a priority that follows the data', () => {
  it('follows the template until an escalation raised the priority', () => {
    const state = freshCase();
    const small = { ...state, input: { ...input, amount: 5 } };
    expect(followedPriority(small, process, (t) => evaluateTemplate(t, expressionContext(small, process, OPENED)))).toBe('normal');
    expect(followedPriority(state, process, () => 'high')).toBeUndefined(); // unchanged
    expect(followedPriority({ ...state, priorityRaised: true }, process, () => 'normal')).toBeUndefined();
    expect(followedPriority(state, process, () => {
      throw new Error('no data yet');
    })).toBeUndefined();
  });
});
