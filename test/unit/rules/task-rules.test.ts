/**
 * Who may do what to a case's tasks (workflows/task-rules.ts): every rejection code with its
 * message, for completing, claiming and reassigning tasks, cancelling a case and taking newer
 * calendars. The process is compiled from a small definition: `supervisor` acts for `agent`,
 * `manager` for `supervisor` (so, transitively, for `agent`), `technician` only for itself;
 * `supervisor` may cancel a case.
 */
import { describe, expect, it } from 'vitest';
import { compileProcess } from '../../../dsl/compile.js';
import type { ProcessDefinition } from '../../../model/generated/process-definition.js';
import type { CaseState, CaseTask } from '../../../workflows/case-state.js';
import type { Acting } from '../../../workflows/actor-assertion.js';
import { actingFor, checkCalendarUpdate, checkCancel as cancelRule, checkClaim as claimRule, checkCompletion, checkReassign as reassignRule, Rejection, resolveTask } from '../../../workflows/task-rules.js';
import type { CompleteTaskRequest } from '../../../workflows/messages.js';
import { compiled } from '../calendar/calendars.js';
import { caseWith as fixtureCase } from './case-fixture.js';

const definition: ProcessDefinition = {
  process: 'complaint-handling',
  version: 3,
  title: 'Complaint handling',
  roles: {
    agent: { title: 'Service agent' },
    supervisor: { title: 'Supervisor', 'acts-for': ['agent'] },
    manager: { title: 'Manager', 'acts-for': ['supervisor'] },
    technician: { title: 'Technician' },
  },
  'may-cancel': ['supervisor'],
  steps: {
    classify: {
      title: 'Classify the complaint',
      task: { role: 'agent', outcomes: ['accept', 'reject'], form: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', minLength: 3 }, refund: { type: 'number', minimum: 0 } } } },
      then: { accept: 'repair', reject: 'rejected' },
    },
    repair: { title: 'Repair', task: { role: 'technician', outcomes: ['done'] }, then: 'approve' },
    approve: { title: 'Approve', task: { role: 'supervisor', outcomes: ['approved'] }, then: 'resolved' },
    resolved: { title: 'Resolved', end: 'resolved' },
    rejected: { title: 'Rejected', end: 'rejected' },
  },
};
const process = compileProcess(definition);
const following = compileProcess({ ...definition, 'calendar-updates': 'follow' });

function task(id: string, fields: Partial<CaseTask> = {}): CaseTask {
  const stepId = id.split('#')[0] ?? id;
  const step = process.steps[stepId];
  return {
    id,
    stepId,
    title: step?.title ?? stepId,
    role: step?.kind === 'task' ? step.role : 'agent',
    outcomes: step?.kind === 'task' ? [...step.outcomes] : ['done'],
    openedAt: '2026-03-02T08:00:00.000Z',
    status: 'open',
    ...fields,
  };
}

/** A case of this file's process with `tasks` (the rest from the shared fixture). */
function caseWith(tasks: CaseTask[], fields: Partial<CaseState> = {}): CaseState {
  return fixtureCase({ process: process.process, version: process.version, tasks: Object.fromEntries(tasks.map((t) => [t.id, t])), ...fields });
}

const ann = { id: 'ann', role: 'agent' };
const bob = { id: 'bob', role: 'agent' };
const sue = { id: 'sue', role: 'supervisor' };
const max = { id: 'max', role: 'manager' };
const tim = { id: 'tim', role: 'technician' };
const goodForm = { reason: 'broken on arrival' };

function rejection(run: () => unknown): Rejection {
  try {
    run();
  } catch (error) {
    if (error instanceof Rejection) return error;
    throw error;
  }
  throw new Error('expected a Rejection');
}

/**
 * The rules take the person acting as the validator found them. These cases were opened without
 * actor keys, so the person is the one the request names (`{ id, role }`); signed assertions are
 * tested in actor-assertion.test.ts.
 */
const NOW = Date.parse('2026-03-02T02:00:00Z');
const acting = (state: CaseState, request: unknown, update: string): Acting => actingFor(state, request, update, NOW).acting;
const withActor =
  <Req, R>(rule: (state: CaseState, p: typeof process, request: Req, acting: Acting) => R, update: string) =>
  (state: CaseState, p: typeof process, request: Req): R =>
    rule(state, p, request, acting(state, request, update));
const checkClaim = withActor(claimRule, 'claimTask');
const checkReassign = withActor(reassignRule, 'reassignTask');
const checkCancel = withActor(cancelRule, 'cancelCase');
const complete = (state: CaseState, request: Partial<CompleteTaskRequest> | null) => checkCompletion(state, process, request as CompleteTaskRequest, acting(state, request, 'completeTask'), NOW).task;

describe('resolveTask', () => {
  it('finds a task by its id', () => {
    const state = caseWith([task('classify#1')]);
    expect(resolveTask(state, 'classify#1')).toBe(state.tasks['classify#1']);
  });

  it('finds the open task of a step by the step id, passing over its completed earlier tasks', () => {
    const state = caseWith([task('classify#1', { status: 'completed', outcome: 'reject' }), task('classify#2')]);
    expect(resolveTask(state, 'classify').id).toBe('classify#2');
  });

  it('does not resolve a step id whose tasks are all closed, and lists the open tasks', () => {
    const state = caseWith([task('classify#1', { status: 'completed', outcome: 'accept' }), task('repair#1')]);
    expect(rejection(() => resolveTask(state, 'classify'))).toMatchObject({ code: 'TASK_UNKNOWN', message: 'case C-1 has no task `classify`; open tasks: `repair#1`' });
  });

  it('says "none" when the case has no open task', () => {
    expect(rejection(() => resolveTask(caseWith([]), 'classify#9'))).toMatchObject({ code: 'TASK_UNKNOWN', message: 'case C-1 has no task `classify#9`; open tasks: none' });
  });

  it('lists several open tasks, comma separated', () => {
    const state = caseWith([task('repair#1'), task('approve#1')]);
    expect(rejection(() => resolveTask(state, 'x')).message).toBe('case C-1 has no task `x`; open tasks: `repair#1`, `approve#1`');
  });

  it('refuses a request without a task id', () => {
    for (const taskId of [undefined, '', 42]) {
      expect(rejection(() => resolveTask(caseWith([task('classify#1')]), taskId))).toMatchObject({ code: 'REQUEST_INVALID', message: 'the request must name the task: `taskId`' });
    }
  });
});

describe('checkCompletion', () => {
  it('gives the task a valid completion completes', () => {
    const state = caseWith([task('classify#1')]);
    expect(complete(state, { taskId: 'classify#1', outcome: 'accept', data: goodForm, actor: ann })).toBe(state.tasks['classify#1']);
  });

  it('accepts the step id in place of the task id', () => {
    const state = caseWith([task('classify#1')]);
    expect(complete(state, { taskId: 'classify', outcome: 'reject', data: goodForm, actor: ann }).id).toBe('classify#1');
  });

  it('refuses a request that is not an object', () => {
    expect(rejection(() => complete(caseWith([]), null))).toMatchObject({ code: 'REQUEST_INVALID', message: 'the request must be a mapping with its `actor`' });
  });

  it('refuses any completion once the case is closed, naming its outcome', () => {
    const state = caseWith([task('classify#1')], { status: 'closed', outcome: 'resolved' });
    expect(rejection(() => complete(state, { taskId: 'classify#1', outcome: 'accept', data: goodForm, actor: ann }))).toMatchObject({
      code: 'CASE_CLOSED',
      message: 'case C-1 is closed (outcome `resolved`); its tasks can no longer change',
    });
  });

  it('calls the outcome of a closed case without one unknown', () => {
    const state = caseWith([], { status: 'closed' });
    expect(rejection(() => complete(state, { taskId: 'x', outcome: 'y', actor: ann })).message).toBe('case C-1 is closed (outcome `unknown`); its tasks can no longer change');
  });

  it('refuses a request that does not name the actor with an id and a role', () => {
    const state = caseWith([task('classify#1')]);
    for (const actor of [undefined, null, 'ann', {}, { id: 'ann' }, { role: 'agent' }, { id: ' ', role: 'agent' }, { id: 'ann', role: '' }, { id: 7, role: 'agent' }]) {
      expect(rejection(() => complete(state, { taskId: 'classify#1', outcome: 'accept', data: goodForm, actor: actor as never }))).toMatchObject({
        code: 'REQUEST_INVALID',
        message: 'the request must name the actor: a signed actor assertion (or, on a case opened before actors were verified, `actor: { id, role }`)',
      });
    }
  });

  it('refuses a task the case does not have with TASK_UNKNOWN', () => {
    const state = caseWith([task('classify#1')]);
    expect(rejection(() => complete(state, { taskId: 'inspect', outcome: 'accept', actor: ann }))).toMatchObject({ code: 'TASK_UNKNOWN', message: 'case C-1 has no task `inspect`; open tasks: `classify#1`' });
  });

  it('refuses a task already completed, saying by whom, when and how', () => {
    const state = caseWith([task('classify#1', { status: 'completed', completedBy: 'ann', completedAt: '2026-03-02T09:15:00.000Z', outcome: 'accept' })]);
    expect(rejection(() => complete(state, { taskId: 'classify#1', outcome: 'reject', data: goodForm, actor: bob }))).toMatchObject({
      code: 'TASK_ALREADY_COMPLETED',
      message: 'task `classify#1` was already completed by ann at 2026-03-02T09:15:00.000Z with outcome `accept`',
    });
  });

  it('fills in what a completed task does not record', () => {
    const state = caseWith([task('classify#1', { status: 'completed' })]);
    expect(rejection(() => complete(state, { taskId: 'classify#1', outcome: 'accept', actor: ann })).message).toBe('task `classify#1` was already completed by someone at ? with outcome `?`');
  });

  it('refuses a cancelled task with TASK_ALREADY_COMPLETED', () => {
    const state = caseWith([task('classify#1', { status: 'cancelled' })]);
    expect(rejection(() => complete(state, { taskId: 'classify#1', outcome: 'accept', actor: ann }))).toMatchObject({
      code: 'TASK_ALREADY_COMPLETED',
      message: 'task `classify#1` was cancelled and can no longer be completed',
    });
  });

  it('says a task is already completed before looking at the role of the actor', () => {
    const state = caseWith([task('classify#1', { status: 'completed', completedBy: 'ann', completedAt: 't', outcome: 'accept' })]);
    expect(rejection(() => complete(state, { taskId: 'classify#1', outcome: 'accept', actor: { id: 'x', role: 'janitor' } })).code).toBe('TASK_ALREADY_COMPLETED');
  });

  it('refuses a role the process does not have with ROLE_UNKNOWN, listing its roles', () => {
    const state = caseWith([task('classify#1')]);
    expect(rejection(() => complete(state, { taskId: 'classify#1', outcome: 'accept', data: goodForm, actor: { id: 'joe', role: 'janitor' } }))).toMatchObject({
      code: 'ROLE_UNKNOWN',
      message: '`janitor` is not a role of process `complaint-handling`; its roles are `agent`, `supervisor`, `manager`, `technician`',
    });
  });

  it('a completion by a role the task does not name is refused with ROLE_NOT_ALLOWED', () => {
    const state = caseWith([task('classify#1')]);
    expect(rejection(() => complete(state, { taskId: 'classify#1', outcome: 'accept', data: goodForm, actor: tim }))).toMatchObject({
      code: 'ROLE_NOT_ALLOWED',
      message: 'task `classify#1` is for role `agent`; tim acts as `technician`, which may not act on it',
    });
  });

  it('a role below the task role may not act on it: acts-for goes downwards only', () => {
    const state = caseWith([task('approve#1')]);
    expect(rejection(() => complete(state, { taskId: 'approve#1', outcome: 'approved', actor: ann }))).toMatchObject({
      code: 'ROLE_NOT_ALLOWED',
      message: 'task `approve#1` is for role `supervisor`; ann acts as `agent`, which may not act on it',
    });
  });

  it('a role that acts for the task role, directly or through another role, may complete it', () => {
    expect(complete(caseWith([task('classify#1')]), { taskId: 'classify#1', outcome: 'accept', data: goodForm, actor: sue }).id).toBe('classify#1');
    expect(complete(caseWith([task('classify#1')]), { taskId: 'classify#1', outcome: 'accept', data: goodForm, actor: max }).id).toBe('classify#1');
    expect(complete(caseWith([task('approve#1')]), { taskId: 'approve#1', outcome: 'approved', actor: max }).id).toBe('approve#1');
  });

  it('a task assigned to someone else of the same role is refused with NOT_ASSIGNEE', () => {
    const state = caseWith([task('classify#1', { assignee: 'ann' })]);
    expect(rejection(() => complete(state, { taskId: 'classify#1', outcome: 'accept', data: goodForm, actor: bob }))).toMatchObject({
      code: 'NOT_ASSIGNEE',
      message: 'task `classify#1` is assigned to ann; bob may complete it only once it is reassigned to them (or as a role above `agent`)',
    });
  });

  it('the assignee, and a role above the task role, may complete an assigned task', () => {
    expect(complete(caseWith([task('classify#1', { assignee: 'ann' })]), { taskId: 'classify#1', outcome: 'accept', data: goodForm, actor: ann }).id).toBe('classify#1');
    expect(complete(caseWith([task('classify#1', { assignee: 'ann' })]), { taskId: 'classify#1', outcome: 'accept', data: goodForm, actor: sue }).id).toBe('classify#1');
  });

  it('an outcome the task does not offer is refused with OUTCOME_NOT_OFFERED, listing the offered ones', () => {
    const state = caseWith([task('classify#1')]);
    expect(rejection(() => complete(state, { taskId: 'classify#1', outcome: 'maybe', data: goodForm, actor: ann }))).toMatchObject({
      code: 'OUTCOME_NOT_OFFERED',
      message: 'task `classify#1` does not offer outcome `maybe`; choose one of `accept`, `reject`',
    });
    expect(rejection(() => complete(state, { taskId: 'classify#1', data: goodForm, actor: ann })).message).toBe('task `classify#1` does not offer outcome `undefined`; choose one of `accept`, `reject`');
  });

  it('form data that is not an object is refused with FORM_INVALID', () => {
    const state = caseWith([task('repair#1')]);
    for (const data of [null, [], 'fixed', 3]) {
      expect(rejection(() => complete(state, { taskId: 'repair#1', outcome: 'done', data: data as never, actor: tim }))).toMatchObject({
        code: 'FORM_INVALID',
        message: 'the form data of task `repair#1` must be a mapping of its fields',
      });
    }
  });

  it('form data that does not fill in the form is refused with FORM_INVALID, saying what is wrong', () => {
    const state = caseWith([task('classify#1')]);
    expect(rejection(() => complete(state, { taskId: 'classify#1', outcome: 'accept', data: {}, actor: ann }))).toMatchObject({
      code: 'FORM_INVALID',
      message: 'the form of task `classify#1` is not filled in correctly: `reason` is required',
    });
    expect(rejection(() => complete(state, { taskId: 'classify#1', outcome: 'accept', data: { reason: 5, refund: -1 }, actor: ann })).message).toBe(
      'the form of task `classify#1` is not filled in correctly: `reason` must be text, not a whole number; `refund` must be at least 0, not -1',
    );
  });

  it('a completion without data is checked against the form as an empty object', () => {
    const state = caseWith([task('classify#1')]);
    expect(rejection(() => complete(state, { taskId: 'classify#1', outcome: 'accept', actor: ann })).message).toBe('the form of task `classify#1` is not filled in correctly: `reason` is required');
  });

  it('a task without a form takes any object, or no data at all', () => {
    expect(complete(caseWith([task('repair#1')]), { taskId: 'repair#1', outcome: 'done', actor: tim }).id).toBe('repair#1');
    expect(complete(caseWith([task('repair#1')]), { taskId: 'repair#1', outcome: 'done', data: { anything: true }, actor: tim }).id).toBe('repair#1');
  });

  it('a rejection is an Error named Rejection carrying its code', () => {
    const error = rejection(() => complete(caseWith([], { status: 'closed', outcome: 'resolved' }), { taskId: 'x', outcome: 'y', actor: ann }));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('Rejection');
    expect(error.code).toBe('CASE_CLOSED');
  });
});

describe('checkClaim', () => {
  it('lets a person of the task role claim an unassigned task, or one already theirs', () => {
    expect(checkClaim(caseWith([task('classify#1')]), process, { taskId: 'classify#1', actor: ann }).id).toBe('classify#1');
    expect(checkClaim(caseWith([task('classify#1', { assignee: 'ann' })]), process, { taskId: 'classify', actor: ann }).id).toBe('classify#1');
  });

  it('refuses to claim a task assigned to someone else, even for a supervisor', () => {
    for (const actor of [bob, sue]) {
      expect(rejection(() => checkClaim(caseWith([task('classify#1', { assignee: 'ann' })]), process, { taskId: 'classify#1', actor }))).toMatchObject({
        code: 'NOT_ASSIGNEE',
        message: 'task `classify#1` is already assigned to ann; ask a supervisor to reassign it',
      });
    }
  });

  it('refuses claims on a closed case, without an actor, on unknown, completed or foreign tasks', () => {
    expect(rejection(() => checkClaim(caseWith([task('classify#1')], { status: 'closed', outcome: 'rejected' }), process, { taskId: 'classify#1', actor: ann })).code).toBe('CASE_CLOSED');
    expect(rejection(() => checkClaim(caseWith([task('classify#1')]), process, undefined as never)).code).toBe('REQUEST_INVALID');
    expect(rejection(() => checkClaim(caseWith([task('classify#1')]), process, { taskId: 'nope', actor: ann })).code).toBe('TASK_UNKNOWN');
    expect(rejection(() => checkClaim(caseWith([task('classify#1', { status: 'cancelled' })]), process, { taskId: 'classify#1', actor: ann })).code).toBe('TASK_ALREADY_COMPLETED');
    expect(rejection(() => checkClaim(caseWith([task('classify#1')]), process, { taskId: 'classify#1', actor: tim })).code).toBe('ROLE_NOT_ALLOWED');
    expect(rejection(() => checkClaim(caseWith([task('classify#1')]), process, { taskId: 'classify#1', actor: { id: 'x', role: 'janitor' } })).code).toBe('ROLE_UNKNOWN');
  });
});

describe('checkReassign', () => {
  it('lets the assignee hand the task on, and anyone of the role take on an unassigned task', () => {
    expect(checkReassign(caseWith([task('classify#1', { assignee: 'ann' })]), process, { taskId: 'classify#1', assignee: 'bob', actor: ann }).id).toBe('classify#1');
    expect(checkReassign(caseWith([task('classify#1')]), process, { taskId: 'classify#1', assignee: 'ann', actor: bob }).id).toBe('classify#1');
  });

  it('lets a role above the task role reassign a task assigned to someone else', () => {
    expect(checkReassign(caseWith([task('classify#1', { assignee: 'ann' })]), process, { taskId: 'classify#1', assignee: 'bob', actor: sue }).id).toBe('classify#1');
  });

  it('refuses a colleague of the same role reassigning a task assigned to someone else', () => {
    expect(rejection(() => checkReassign(caseWith([task('classify#1', { assignee: 'ann' })]), process, { taskId: 'classify#1', assignee: 'bob', actor: bob }))).toMatchObject({
      code: 'NOT_ASSIGNEE',
      message: 'task `classify#1` is assigned to ann; only they or a role above `agent` may hand it on',
    });
  });

  it('refuses a reassignment that names no new assignee', () => {
    for (const assignee of [undefined, '', '  ']) {
      expect(rejection(() => checkReassign(caseWith([task('classify#1')]), process, { taskId: 'classify#1', assignee: assignee as never, actor: sue }))).toMatchObject({
        code: 'REQUEST_INVALID',
        message: 'the request must name the new `assignee`',
      });
    }
  });

  it('refuses reassignments on a closed case, of completed tasks, and by roles that may not act on the task', () => {
    expect(rejection(() => checkReassign(caseWith([], { status: 'closed', outcome: 'resolved' }), process, { taskId: 'x', assignee: 'bob', actor: sue })).code).toBe('CASE_CLOSED');
    expect(rejection(() => checkReassign(caseWith([task('classify#1', { status: 'completed' })]), process, { taskId: 'classify#1', assignee: 'bob', actor: sue })).code).toBe('TASK_ALREADY_COMPLETED');
    expect(rejection(() => checkReassign(caseWith([task('approve#1')]), process, { taskId: 'approve#1', assignee: 'bob', actor: ann })).code).toBe('ROLE_NOT_ALLOWED');
  });
});

describe('checkCancel', () => {
  it('lets a role the process names under `may-cancel` cancel an open case with a reason', () => {
    expect(() => checkCancel(caseWith([]), process, { reason: 'customer withdrew', actor: sue })).not.toThrow();
  });

  it('refuses a cancellation by a role not named under `may-cancel`, naming the roles that may', () => {
    for (const actor of [ann, tim]) {
      expect(rejection(() => checkCancel(caseWith([]), process, { reason: 'customer withdrew', actor }))).toMatchObject({
        code: 'CANCEL_NOT_ALLOWED',
        message: `only \`supervisor\` may cancel a case of process \`complaint-handling\`; ${actor.id} acts as \`${actor.role}\`, so case C-1 stays open`,
      });
    }
    const twoRoles = compileProcess({ ...definition, 'may-cancel': ['supervisor', 'technician'] });
    expect(() => checkCancel(caseWith([]), twoRoles, { reason: 'customer withdrew', actor: tim })).not.toThrow();
    expect(rejection(() => checkCancel(caseWith([]), twoRoles, { reason: 'customer withdrew', actor: ann })).message).toMatch(/^only `supervisor` or `technician` may cancel/);
  });

  it('does not extend `may-cancel` through `acts-for`: a manager acting for the supervisor is not named, so may not cancel', () => {
    expect(process.roles.manager?.actsFor).toContain('supervisor');
    expect(rejection(() => checkCancel(caseWith([]), process, { reason: 'customer withdrew', actor: max })).code).toBe('CANCEL_NOT_ALLOWED');
  });

  it('lets no role cancel when the process names none (or an empty list), and says a Temporal operator can', () => {
    const { 'may-cancel': _named, ...unnamed } = definition;
    for (const other of [compileProcess(unnamed), compileProcess({ ...definition, 'may-cancel': [] })]) {
      for (const actor of [ann, sue, tim, max]) {
        expect(rejection(() => checkCancel(caseWith([]), other, { reason: 'customer withdrew', actor }))).toMatchObject({
          code: 'CANCEL_NOT_ALLOWED',
          message: `process \`complaint-handling\` version 3 names no role that may cancel its cases (\`may-cancel\`); ${actor.id} acting as \`${actor.role}\` may not, and case C-1 stays open: a Temporal operator can cancel it (\`temporal workflow cancel --workflow-id C-1\`)`,
        });
      }
    }
  });

  it('compiles `may-cancel` only where the definition names it, so earlier definitions compile as before', () => {
    const { 'may-cancel': _named, ...unnamed } = definition;
    expect(process.mayCancel).toEqual(['supervisor']);
    expect('mayCancel' in compileProcess(unnamed)).toBe(false);
  });

  it('refuses cancelling a closed case', () => {
    expect(rejection(() => checkCancel(caseWith([], { status: 'closed', outcome: 'cancelled' }), process, { reason: 'again', actor: ann }))).toMatchObject({
      code: 'CASE_CLOSED',
      message: 'case C-1 is closed (outcome `cancelled`); its tasks can no longer change',
    });
  });

  it('refuses a cancellation without an actor, or by a role the process does not have', () => {
    expect(rejection(() => checkCancel(caseWith([]), process, { reason: 'x' } as never)).code).toBe('REQUEST_INVALID');
    expect(rejection(() => checkCancel(caseWith([]), process, { reason: 'x', actor: { id: 'joe', role: 'janitor' } }))).toMatchObject({
      code: 'ROLE_UNKNOWN',
      message: '`janitor` is not a role of process `complaint-handling`; its roles are `agent`, `supervisor`, `manager`, `technician`',
    });
  });

  it('refuses a cancellation without a reason', () => {
    for (const reason of [undefined, '', '   ']) {
      expect(rejection(() => checkCancel(caseWith([]), process, { reason: reason as never, actor: sue }))).toMatchObject({ code: 'REQUEST_INVALID', message: 'a cancellation needs a `reason`' });
    }
  });
});

describe('checkCalendarUpdate', () => {
  const calendar = compiled('monday-to-friday');

  it('accepts compiled calendars for an open case whose process follows calendar updates', () => {
    expect(() => checkCalendarUpdate(caseWith([]), following, { calendars: { 'monday-to-friday': calendar } })).not.toThrow();
  });

  it('refuses calendars for a process that keeps the versions its cases opened with', () => {
    expect(rejection(() => checkCalendarUpdate(caseWith([]), process, { calendars: { 'monday-to-friday': calendar } }))).toMatchObject({
      code: 'CALENDARS_PINNED',
      message: 'process `complaint-handling` keeps the calendar versions its cases opened with (`calendar-updates: keep`); case C-1 is not changed',
    });
  });

  it('refuses calendars for a closed case', () => {
    expect(rejection(() => checkCalendarUpdate(caseWith([], { status: 'closed', outcome: 'resolved' }), following, { calendars: {} })).code).toBe('CASE_CLOSED');
  });

  it('refuses a request without a mapping of calendars', () => {
    for (const calendars of [undefined, null, [], 'monday-to-friday']) {
      expect(rejection(() => checkCalendarUpdate(caseWith([]), following, { calendars: calendars as never }))).toMatchObject({
        code: 'REQUEST_INVALID',
        message: 'the request must give `calendars`: compiled calendars by name',
      });
    }
  });

  it('refuses an entry that is not a compiled calendar of that name, version and hash', () => {
    const bad = [
      { 'mainland-china': calendar },
      { 'monday-to-friday': { ...calendar, version: 1.5 } },
      { 'monday-to-friday': { ...calendar, hash: undefined } },
      { 'monday-to-friday': null },
    ];
    for (const calendars of bad) {
      const name = Object.keys(calendars)[0];
      expect(rejection(() => checkCalendarUpdate(caseWith([]), following, { calendars: calendars as never }))).toMatchObject({
        code: 'REQUEST_INVALID',
        message: `calendar \`${name}\` is not a compiled calendar (name, version and hash)`,
      });
    }
  });
});

describe('who may decide: four eyes, approval limits, a person with several roles', () => {
  const approvals = compileProcess({
    process: 'exchange-like',
    version: 1,
    title: 'Exchange-like',
    roles: { agent: { title: 'Agent' }, manager: { title: 'Manager', 'acts-for': ['agent'] }, director: { title: 'Director', 'acts-for': ['manager'] } },
    input: { type: 'object', properties: { amount: { type: 'number' } } },
    steps: {
      eligibility: { title: 'Review eligibility', task: { role: 'agent', outcomes: ['eligible'] }, then: 'approve' },
      approve: {
        title: 'Approve',
        task: { role: 'manager', outcomes: ['approved', 'rejected'], 'not-by': ['eligibility'], approval: { amount: '${input.amount}', outcomes: ['approved'] } },
        then: { approved: 'done', rejected: 'done' },
      },
      done: { title: 'Done', end: 'done' },
    },
  });
  const base = (amount: number, tasks: CaseTask[]) =>
    fixtureCase({ process: approvals.process, version: 1, input: { amount }, tasks: Object.fromEntries(tasks.map((t) => [t.id, t])) });
  const open = (id: string, role: string, fields: Partial<CaseTask> = {}): CaseTask => ({ id, stepId: id.split('#')[0] ?? id, title: id, role, outcomes: ['approved', 'rejected'], openedAt: '2026-03-02T08:00:00.000Z', status: 'open', ...fields });
  const reviewedBy = (person: string) => open('eligibility#1', 'agent', { title: 'Review eligibility', status: 'completed', completedBy: person, outcome: 'eligible', outcomes: ['eligible'] });
  const decide = (state: CaseState, person: Acting, outcome = 'approved') => checkCompletion(state, approvals, { taskId: 'approve#1', outcome, actor: { id: person.id, role: person.roles[0] ?? '' } }, person, NOW);

  it('four eyes: whoever reviewed the application may not approve it, even holding the role', () => {
    const state = base(100, [reviewedBy('wang.fang'), open('approve#1', 'manager')]);
    const error = rejection(() => decide(state, { id: 'wang.fang', roles: ['agent', 'manager'] }));
    expect(error).toMatchObject({ code: 'SAME_PERSON_NOT_ALLOWED' });
    expect(error.message).toBe('wang.fang completed `eligibility#1` (Review eligibility) on case C-1, so they may not also complete `approve#1`: four eyes — someone else of role `manager` must decide');
    expect(decide(state, { id: 'zhao.lei', roles: ['manager'] }).role).toBe('manager');
  });

  it('an amount above the approver\'s limit goes to a role above; within it, or a rejection, is theirs', () => {
    const state = base(8000, [reviewedBy('li.na'), open('approve#1', 'manager')]);
    const error = rejection(() => decide(state, { id: 'wang.fang', roles: ['manager'], limits: { manager: 5000 } }));
    expect(error).toMatchObject({ code: 'ABOVE_APPROVAL_LIMIT', message: "task `approve#1` approves 8,000; wang.fang's approval limit as `manager` is 5,000, so a `director` must decide" });
    expect(decide(state, { id: 'wang.fang', roles: ['manager'], limits: { manager: 5000 } }, 'rejected').task.id).toBe('approve#1');
    expect(decide(base(5000, [reviewedBy('li.na'), open('approve#1', 'manager')]), { id: 'wang.fang', roles: ['manager'], limits: { manager: 5000 } }).role).toBe('manager');
    // The director decides as director, with their own limit (none: unlimited).
    expect(decide(state, { id: 'boss', roles: ['director'] }).role).toBe('director');
    expect(rejection(() => decide(state, { id: 'boss', roles: ['director'], limits: { director: 6000 } })).message).toMatch(/no role of process `exchange-like` acts for `director`: raise the limit/);
  });

  it('a person with several roles acts in the one that may act: their own first, one above for someone else\'s task', () => {
    const state = base(10, [open('eligibility#1', 'agent', { outcomes: ['eligible'], assignee: 'li.na' })]);
    const both: Acting = { id: 'wang.fang', roles: ['agent', 'manager'] };
    const completion = checkCompletion(state, approvals, { taskId: 'eligibility#1', outcome: 'eligible', actor: { id: 'x', role: 'agent' } }, both, NOW);
    expect(completion.role).toBe('manager');
    const own = checkCompletion(base(10, [open('eligibility#1', 'agent', { outcomes: ['eligible'] })]), approvals, { taskId: 'eligibility#1', outcome: 'eligible', actor: { id: 'x', role: 'agent' } }, both, NOW);
    expect(own.role).toBe('agent');
    expect(rejection(() => checkCompletion(state, approvals, { taskId: 'eligibility#1', outcome: 'eligible', actor: { id: 'x', role: 'agent' } }, { id: 'zhao.lei', roles: ['agent'] }, NOW)).code).toBe('NOT_ASSIGNEE');
    expect(rejection(() => checkCompletion(state, approvals, { taskId: 'eligibility#1', outcome: 'eligible', actor: { id: 'x', role: 'agent' } }, { id: 'z', roles: ['janitor', 'cook'] }, NOW)).message).toBe(
      'none of `janitor`, `cook` is a role of process `exchange-like`; its roles are `agent`, `manager`, `director`',
    );
  });
});
