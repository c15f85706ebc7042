/**
 * Who may do what to a case's tasks. Pure functions over the case state, used by the Update
 * validators (which must decide synchronously and change nothing) and unit-tested directly.
 */
import type { CompiledProcess } from '../model/compiled-process.js';
import { MAX_FORM_BYTES, sizeIssues } from '../model/limits.js';
import { listOf } from '../dsl/names.js';
import { validateData } from '../dsl/runtime-validation.js';
import type { CaseState, CaseTask } from './case-state.js';
import { evaluateTemplate } from '../dsl/expressions.js';
import { presentedActing, verifyActor, type Acting, type TrustedKey } from './actor-assertion.js';
import { expressionContext } from './transitions/expression-context.js';
import { MAX_WAIT_MS, type CancelCaseRequest, type RequestIdentity, type ClaimTaskRequest, type CompleteTaskRequest, type ReassignTaskRequest, type UpdateCalendarsRequest, type WaitForTasksRequest } from './messages.js';
import { waitStepProblem } from './transitions/progress.js';
import { Rejection } from './rejection.js';

export { Rejection };

const list = (items: string[]) => (items.length === 0 ? 'none' : items.map((i) => `\`${i}\``).join(', '));

/**
 * The person a request comes from. A case with trusted keys accepts only a signed actor
 * assertion made for this very request (actor-assertion.ts); a case opened before actors were
 * verified has none and takes the caller's `{ id, role }`, as it did then.
 */
export function actingFor(state: CaseState, request: unknown, update: string, now: number): { acting: Acting; newKeys: TrustedKey[] } {
  if (!request || typeof request !== 'object') throw new Rejection('REQUEST_INVALID', 'the request must be a mapping with its `actor`');
  const { actor } = request as { actor?: unknown };
  if (state.actorKeys === undefined) return { acting: presentedActing(actor), newKeys: [] };
  return verifyActor(actor, { trust: state.actorKeys, caseId: state.caseId, update, request: request as Record<string, unknown>, used: state.assertionsUsed ?? {}, now });
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

/** The roles of the process among the person's; none is ROLE_UNKNOWN. */
function declaredRoles(process: CompiledProcess, acting: Acting): string[] {
  const declared = acting.roles.filter((role) => process.roles[role] !== undefined);
  if (declared.length === 0) {
    const held = acting.roles.length === 1 ? `\`${acting.roles[0]}\` is not a role` : `none of ${list(acting.roles)} is a role`;
    throw new Rejection('ROLE_UNKNOWN', `${held} of process \`${process.process}\`; its roles are ${list(Object.keys(process.roles))}`);
  }
  return declared;
}

/**
 * The role a person acts in on a task: one of theirs that acts for the task's role (its own
 * first); when the task is someone else's, a role above it first, which may act for them.
 */
function roleOn(process: CompiledProcess, task: CaseTask, acting: Acting): string {
  const declared = declaredRoles(process, acting);
  const acts = declared.filter((role) => process.roles[role]!.actsFor.includes(task.role));
  if (acts.length === 0) {
    throw new Rejection('ROLE_NOT_ALLOWED', `task \`${task.id}\` is for role \`${task.role}\`; ${acting.id} acts as ${list(declared)}, which may not act on it`);
  }
  const above = acts.filter((role) => role !== task.role);
  if (task.assignee !== undefined && task.assignee !== acting.id && above.length > 0) return above[0]!;
  return acts.includes(task.role) ? task.role : acts[0]!;
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

/** The task a completion request may complete and the role the person completes it in; throws a `Rejection` saying why not. */
export function checkCompletion(state: CaseState, process: CompiledProcess, request: CompleteTaskRequest, acting: Acting, now: number): { task: CaseTask; role: string } {
  if (!request || typeof request !== 'object') throw new Rejection('REQUEST_INVALID', 'the request must be `{ taskId, outcome, data?, actor }`');
  checkOpen(state);
  const task = resolveTask(state, request.taskId);
  checkStillOpen(task);
  const role = roleOn(process, task, acting);
  if (task.assignee && task.assignee !== acting.id && role === task.role) {
    throw new Rejection('NOT_ASSIGNEE', `task \`${task.id}\` is assigned to ${task.assignee}; ${acting.id} may complete it only once it is reassigned to them (or as a role above \`${task.role}\`)`);
  }
  if (typeof request.outcome !== 'string' || !task.outcomes.includes(request.outcome)) {
    throw new Rejection('OUTCOME_NOT_OFFERED', `task \`${task.id}\` does not offer outcome \`${String(request.outcome)}\`; choose one of ${list(task.outcomes)}`);
  }
  const step = process.steps[task.stepId];
  if (step?.kind === 'task') {
    checkFourEyes(state, step.notBy ?? [], task, acting);
    if (step.approval && (step.approval.outcomes ?? task.outcomes).includes(request.outcome)) checkApprovalLimit(state, process, step.approval.amount, task, acting, role, now);
  }
  checkForm(process, task, request.data);
  return { task, role };
}

/** Four eyes: whoever completed one of `notBy`'s steps on this case may not complete `task`. */
function checkFourEyes(state: CaseState, notBy: readonly string[], task: CaseTask, acting: Acting): void {
  const earlier = Object.values(state.tasks).find((t) => t.status === 'completed' && t.completedBy === acting.id && notBy.includes(t.stepId));
  if (earlier) {
    throw new Rejection(
      'SAME_PERSON_NOT_ALLOWED',
      `${acting.id} completed \`${earlier.id}\` (${earlier.title}) on case ${state.caseId}, so they may not also complete \`${task.id}\`: four eyes — someone else of role \`${task.role}\` must decide`,
    );
  }
}

/** A decision that approves an amount above the person's approval limit in their role goes to a role above. */
function checkApprovalLimit(state: CaseState, process: CompiledProcess, template: string, task: CaseTask, acting: Acting, role: string, now: number): void {
  const limit = acting.limits?.[role];
  if (typeof limit !== 'number') return;
  let amount: unknown;
  try {
    amount = evaluateTemplate(template, expressionContext(state, process, now));
  } catch (error) {
    amount = `not known (${(error as Error).message})`;
  }
  if (typeof amount === 'number' && amount <= limit) return;
  const above = Object.entries(process.roles)
    .filter(([name, r]) => name !== role && r.actsFor.includes(role))
    .map(([name]) => name);
  throw new Rejection(
    'ABOVE_APPROVAL_LIMIT',
    `task \`${task.id}\` approves ${typeof amount === 'number' ? amount.toLocaleString('en-US') : `an amount ${String(amount)}`}; ${acting.id}'s approval limit as \`${role}\` is ${limit.toLocaleString('en-US')}, so ${
      above.length > 0 ? `a ${list(above)} must decide` : `no role of process \`${process.process}\` acts for \`${role}\`: raise the limit in the staff directory (\`aftercare staff grant\`)`
    }`,
  );
}

function checkForm(process: CompiledProcess, task: CaseTask, data: unknown): void {
  if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) {
    throw new Rejection('FORM_INVALID', `the form data of task \`${task.id}\` must be a mapping of its fields`);
  }
  const filled = (data ?? {}) as Record<string, unknown>;
  const tooLarge = sizeIssues(filled, MAX_FORM_BYTES, `the form data of task \`${task.id}\``);
  if (tooLarge.length > 0) throw new Rejection('FORM_TOO_LARGE', tooLarge.map((i) => i.message).join('; '));
  const step = process.steps[task.stepId];
  const form = step?.kind === 'task' ? step.form : undefined;
  // A form's fields go into case data (`save-as`): what the form does not declare is refused, not
  // kept, unless the form itself says what else it takes (`additionalProperties`).
  const declared = form && typeof form.properties === 'object' && form.properties !== null && form.additionalProperties === undefined ? Object.keys(form.properties) : undefined;
  const undeclared = declared ? Object.keys(filled).filter((key) => !declared.includes(key)) : [];
  if (declared && undeclared.length > 0) {
    throw new Rejection('FORM_INVALID', `the form of task \`${task.id}\` has no field ${list(undeclared)}; its fields are ${list(declared)}`);
  }
  if (form) {
    const issues = validateData(form, filled);
    if (issues.length > 0) throw new Rejection('FORM_INVALID', `the form of task \`${task.id}\` is not filled in correctly: ${issues.map((i) => i.message).join('; ')}`);
  }
}

export function checkClaim(state: CaseState, process: CompiledProcess, request: ClaimTaskRequest, acting: Acting): CaseTask {
  checkOpen(state);
  const task = resolveTask(state, request?.taskId);
  checkStillOpen(task);
  roleOn(process, task, acting);
  if (task.assignee && task.assignee !== acting.id) {
    throw new Rejection('NOT_ASSIGNEE', `task \`${task.id}\` is already assigned to ${task.assignee}; ask a supervisor to reassign it`);
  }
  return task;
}

export function checkReassign(state: CaseState, process: CompiledProcess, request: ReassignTaskRequest, acting: Acting): CaseTask {
  checkOpen(state);
  if (typeof request?.assignee !== 'string' || request.assignee.trim() === '') throw new Rejection('REQUEST_INVALID', 'the request must name the new `assignee`');
  const task = resolveTask(state, request.taskId);
  checkStillOpen(task);
  const role = roleOn(process, task, acting);
  const canReassignOthers = role !== task.role || task.assignee === undefined || task.assignee === acting.id;
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
export function checkCancel(state: CaseState, process: CompiledProcess, request: CancelCaseRequest, acting: Acting): void {
  checkOpen(state);
  const declared = declaredRoles(process, acting);
  const mayCancel = process.mayCancel ?? [];
  if (!declared.some((role) => mayCancel.includes(role))) {
    throw new Rejection(
      'CANCEL_NOT_ALLOWED',
      mayCancel.length === 0
        ? `process \`${process.process}\` version ${process.version} names no role that may cancel its cases (\`may-cancel\`); ${acting.id} acting as ${list(declared)} may not, and case ${state.caseId} stays open: a Temporal operator can cancel it (\`temporal workflow cancel --workflow-id ${state.caseId}\`)`
        : `only ${listOf(mayCancel)} may cancel a case of process \`${process.process}\`; ${acting.id} acts as ${list(declared)}, so case ${state.caseId} stays open`,
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
