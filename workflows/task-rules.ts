/**
 * Who may do what to a case's tasks. Pure functions over the case state, used by the Update
 * validators (which must decide synchronously and change nothing) and unit-tested directly.
 */
import type { CompiledProcess } from '../model/compiled-process.js';
import { MAX_FORM_BYTES, sizeIssues } from '../model/limits.js';
import { listOf } from '../dsl/names.js';
import { validateData } from '../dsl/runtime-validation.js';
import type { CaseState, CaseTask } from './case-state.js';
import { MAX_WAIT_MS, type Actor, type CancelCaseRequest, type RequestIdentity, type ClaimTaskRequest, type CompleteTaskRequest, type ReassignTaskRequest, type RejectionCode, type UpdateCalendarsRequest, type WaitForTasksRequest } from './messages.js';
import { waitStepProblem } from './transitions/progress.js';

export class Rejection extends Error {
  override readonly name = 'Rejection';
  constructor(
    readonly code: RejectionCode,
    message: string,
  ) {
    super(message);
  }
}

const list = (items: string[]) => (items.length === 0 ? 'none' : items.map((i) => `\`${i}\``).join(', '));

function checkActor(actor: unknown): asserts actor is Actor {
  const a = actor as Partial<Actor> | undefined;
  if (!a || typeof a !== 'object' || typeof a.id !== 'string' || a.id.trim() === '' || typeof a.role !== 'string' || a.role.trim() === '') {
    throw new Rejection('REQUEST_INVALID', 'the request must name the actor: `actor: { id, role }`');
  }
}

function checkOpen(state: CaseState): void {
  if (state.status === 'closed') {
    throw new Rejection('CASE_CLOSED', `case ${state.caseId} is closed (outcome \`${state.outcome ?? 'unknown'}\`); its tasks can no longer change`);
  }
}

/** Finds a task by id, or by step id when that step has exactly one open task. */
export function resolveTask(state: CaseState, taskId: unknown): CaseTask {
  if (typeof taskId !== 'string' || taskId === '') throw new Rejection('REQUEST_INVALID', 'the request must name the task: `taskId`');
  const exact = state.tasks[taskId];
  if (exact) return exact;
  // A step has at most one open task at a time (ids are unique across parallel branches), so
  // a step id names a task unambiguously.
  const open = Object.values(state.tasks).filter((t) => t.status === 'open');
  const byStep = open.find((t) => t.stepId === taskId);
  if (byStep) return byStep;
  throw new Rejection('TASK_UNKNOWN', `case ${state.caseId} has no task \`${taskId}\`; open tasks: ${list(open.map((t) => t.id))}`);
}

function checkRole(state: CaseState, process: CompiledProcess, task: CaseTask, actor: Actor): void {
  const role = process.roles[actor.role];
  if (!role) {
    throw new Rejection('ROLE_UNKNOWN', `\`${actor.role}\` is not a role of process \`${process.process}\`; its roles are ${list(Object.keys(process.roles))}`);
  }
  if (!role.actsFor.includes(task.role)) {
    throw new Rejection('ROLE_NOT_ALLOWED', `task \`${task.id}\` is for role \`${task.role}\`; ${actor.id} acts as \`${actor.role}\`, which may not act on it`);
  }
}

function checkStillOpen(task: CaseTask): void {
  if (task.status === 'completed') {
    throw new Rejection(
      'TASK_ALREADY_COMPLETED',
      `task \`${task.id}\` was already completed by ${task.completedBy ?? 'someone'} at ${task.completedAt ?? '?'} with outcome \`${task.outcome ?? '?'}\``,
    );
  }
  if (task.status === 'cancelled') throw new Rejection('TASK_ALREADY_COMPLETED', `task \`${task.id}\` was cancelled and can no longer be completed`);
}

/** The task a completion request may complete; throws a `Rejection` saying why not. */
export function checkCompletion(state: CaseState, process: CompiledProcess, request: CompleteTaskRequest): CaseTask {
  if (!request || typeof request !== 'object') throw new Rejection('REQUEST_INVALID', 'the request must be `{ taskId, outcome, data?, actor }`');
  checkOpen(state);
  checkActor(request.actor);
  const task = resolveTask(state, request.taskId);
  checkStillOpen(task);
  checkRole(state, process, task, request.actor);
  if (task.assignee && task.assignee !== request.actor.id) {
    const owner = process.roles[request.actor.role];
    // A role acting for the task's role from above (a supervisor) may complete it for the assignee.
    const actsFromAbove = owner && request.actor.role !== task.role && owner.actsFor.includes(task.role);
    if (!actsFromAbove) {
      throw new Rejection('NOT_ASSIGNEE', `task \`${task.id}\` is assigned to ${task.assignee}; ${request.actor.id} may complete it only once it is reassigned to them`);
    }
  }
  if (typeof request.outcome !== 'string' || !task.outcomes.includes(request.outcome)) {
    throw new Rejection('OUTCOME_NOT_OFFERED', `task \`${task.id}\` does not offer outcome \`${String(request.outcome)}\`; choose one of ${list(task.outcomes)}`);
  }
  if (request.data !== undefined && (typeof request.data !== 'object' || request.data === null || Array.isArray(request.data))) {
    throw new Rejection('FORM_INVALID', `the form data of task \`${task.id}\` must be a mapping of its fields`);
  }
  const tooLarge = sizeIssues(request.data ?? {}, MAX_FORM_BYTES, `the form data of task \`${task.id}\``);
  if (tooLarge.length > 0) throw new Rejection('FORM_TOO_LARGE', tooLarge.map((i) => i.message).join('; '));
  const step = process.steps[task.stepId];
  const form = step?.kind === 'task' ? step.form : undefined;
  // A form's fields go into case data (`save-as`): what the form does not declare is refused, not
  // kept, unless the form itself says what else it takes (`additionalProperties`).
  const declared = form && typeof form.properties === 'object' && form.properties !== null && form.additionalProperties === undefined ? Object.keys(form.properties) : undefined;
  const undeclared = declared ? Object.keys(request.data ?? {}).filter((key) => !declared.includes(key)) : [];
  if (declared && undeclared.length > 0) {
    throw new Rejection('FORM_INVALID', `the form of task \`${task.id}\` has no field ${list(undeclared)}; its fields are ${list(declared)}`);
  }
  if (form) {
    const issues = validateData(form, request.data ?? {});
    if (issues.length > 0) throw new Rejection('FORM_INVALID', `the form of task \`${task.id}\` is not filled in correctly: ${issues.map((i) => i.message).join('; ')}`);
  }
  return task;
}

export function checkClaim(state: CaseState, process: CompiledProcess, request: ClaimTaskRequest): CaseTask {
  checkOpen(state);
  checkActor(request?.actor);
  const task = resolveTask(state, request.taskId);
  checkStillOpen(task);
  checkRole(state, process, task, request.actor);
  if (task.assignee && task.assignee !== request.actor.id) {
    throw new Rejection('NOT_ASSIGNEE', `task \`${task.id}\` is already assigned to ${task.assignee}; ask a supervisor to reassign it`);
  }
  return task;
}

export function checkReassign(state: CaseState, process: CompiledProcess, request: ReassignTaskRequest): CaseTask {
  checkOpen(state);
  checkActor(request?.actor);
  if (typeof request.assignee !== 'string' || request.assignee.trim() === '') throw new Rejection('REQUEST_INVALID', 'the request must name the new `assignee`');
  const task = resolveTask(state, request.taskId);
  checkStillOpen(task);
  checkRole(state, process, task, request.actor);
  const canReassignOthers = request.actor.role !== task.role || task.assignee === undefined || task.assignee === request.actor.id;
  if (!canReassignOthers) {
    throw new Rejection('NOT_ASSIGNEE', `task \`${task.id}\` is assigned to ${task.assignee}; only they or a role above \`${task.role}\` may hand it on`);
  }
  return task;
}

/**
 * A cancellation ends a case for good, with its promises to the customer, so only the roles the
 * process names under `may-cancel` may ask for one, each exactly (`acts-for` is about tasks and
 * does not extend it). A process that names none leaves cancelling to Temporal operators
 * (`temporal workflow cancel`, recorded with actor `temporal`): the engine does not guess an
 * authority from role names.
 */
export function checkCancel(state: CaseState, process: CompiledProcess, request: CancelCaseRequest): void {
  checkOpen(state);
  checkActor(request?.actor);
  if (!process.roles[request.actor.role]) {
    throw new Rejection('ROLE_UNKNOWN', `\`${request.actor.role}\` is not a role of process \`${process.process}\`; its roles are ${list(Object.keys(process.roles))}`);
  }
  const mayCancel = process.mayCancel ?? [];
  if (!mayCancel.includes(request.actor.role)) {
    throw new Rejection(
      'CANCEL_NOT_ALLOWED',
      mayCancel.length === 0
        ? `process \`${process.process}\` version ${process.version} names no role that may cancel its cases (\`may-cancel\`); ${request.actor.id} acting as \`${request.actor.role}\` may not, and case ${state.caseId} stays open: a Temporal operator can cancel it (\`temporal workflow cancel --workflow-id ${state.caseId}\`)`
        : `only ${listOf(mayCancel)} may cancel a case of process \`${process.process}\`; ${request.actor.id} acts as \`${request.actor.role}\`, so case ${state.caseId} stays open`,
    );
  }
  if (typeof request.reason !== 'string' || request.reason.trim() === '') throw new Rejection('REQUEST_INVALID', 'a cancellation needs a `reason`');
}

/** Newer calendars may reach an open case whose process follows calendar updates. */
export function checkCalendarUpdate(state: CaseState, process: CompiledProcess, request: UpdateCalendarsRequest): void {
  checkOpen(state);
  if (process.calendarUpdates !== 'follow') {
    throw new Rejection('CALENDARS_PINNED', `process \`${process.process}\` keeps the calendar versions its cases opened with (\`calendar-updates: keep\`); case ${state.caseId} is not changed`);
  }
  const calendars = (request as Partial<UpdateCalendarsRequest> | undefined)?.calendars;
  if (!calendars || typeof calendars !== 'object' || Array.isArray(calendars)) throw new Rejection('REQUEST_INVALID', 'the request must give `calendars`: compiled calendars by name');
  for (const [name, data] of Object.entries(calendars)) {
    const calendar = data as { calendar?: unknown; version?: unknown; hash?: unknown } | undefined;
    if (!calendar || calendar.calendar !== name || !Number.isInteger(calendar.version) || typeof calendar.hash !== 'string') {
      throw new Rejection('REQUEST_INVALID', `calendar \`${name}\` is not a compiled calendar (name, version and hash)`);
    }
  }
}

/**
 * A wait names what it waits for and for how long. Waiting on a closed case is no mistake (it
 * answers at once with the outcome), nor is waiting for a step the case has passed (it times
 * out, or answers when the case closes); a step that never opens a task is.
 */
export function checkWait(state: CaseState, process: CompiledProcess, request: WaitForTasksRequest): void {
  if (!request || typeof request !== 'object') throw new Rejection('REQUEST_INVALID', 'the request must be `{ until?, stepId?, timeoutMs }`');
  if (!Number.isInteger(request.timeoutMs) || request.timeoutMs < 1 || request.timeoutMs > MAX_WAIT_MS) {
    throw new Rejection('REQUEST_INVALID', `a wait takes \`timeoutMs\` from 1 to ${MAX_WAIT_MS} (${MAX_WAIT_MS / 60_000} minutes), not ${JSON.stringify(request.timeoutMs)}`);
  }
  if (request.until !== undefined && request.until !== 'settled' && request.until !== 'task') {
    throw new Rejection('REQUEST_INVALID', `a wait is \`until: settled\` or \`until: task\`, not ${JSON.stringify(request.until)}`);
  }
  if (request.stepId === undefined) return;
  const problem = waitStepProblem(process, state.caseId, request.stepId);
  if (problem) throw new Rejection('STEP_OPENS_NO_TASK', problem);
}

/** A request id already used for a request with other content is refused, whatever the request. */
export function checkRequestIdentity(state: CaseState, request: RequestIdentity | undefined): void {
  const { requestId, digest } = request ?? {};
  if (typeof requestId !== 'string' || typeof digest !== 'string') return;
  const earlier = state.requests?.[requestId];
  if (earlier !== undefined && earlier !== digest) {
    throw new Rejection('REQUEST_ID_REUSED', `request id \`${requestId}\` was already used for a different request on case ${state.caseId}; a request id names one request: use a new one for a new request`);
  }
}
