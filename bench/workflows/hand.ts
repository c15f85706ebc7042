/**
 * What every hand-written workflow of the benchmark shares: what a good engineer writing one
 * Temporal workflow per process by hand would write once and reuse. Tasks people complete
 * through the same `completeTask` Update as the interpreter's, checked by the same rules
 * (the actor's signed assertion with workflows/actor-assertion.ts, the task open, the role
 * allowed to act, the assignee, the outcome offered, the form filled in right), the same
 * `progress` query the bench's driver reads, the same activities with the same step context,
 * SLA clocks as one cancellable timer per rung on the case's working-day calendar, and search
 * attributes upserted only where a human wait begins or ends and at the close.
 *
 * What it does not do is Aftercare's own: no audit trail (`record-case-history`), no timeline,
 * no live details, no definition to carry, check or compile.
 */
import { ApplicationFailure, CancellationScope, allHandlersFinished, condition, isCancellation, proxyActivities, setHandler, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { StepContext } from '../../model/activity-catalog/index.js';
import type { CompiledCalendar } from '../../model/compiled-calendar.js';
import { BusinessCalendar } from '../../dsl/calendar/working-time.js';
import { validateData } from '../../dsl/runtime-validation.js';
import { MAX_FORM_BYTES, sizeIssues } from '../../model/limits.js';
import { rememberAssertion, verifyActor, presentedActing, type TrustedKey } from '../../workflows/actor-assertion.js';
import { completeTaskUpdate, progressQuery, REJECTION_TYPE, type CaseProgress, type CompleteTaskRequest, type CompleteTaskResult } from '../../workflows/messages.js';
import type { CaseTask } from '../../workflows/case-state.js';
import { Rejection } from '../../workflows/rejection.js';
import { AssigneesKey, CaseOutcomeKey, CaseStatusKey, CurrentStepsKey, NextDueAtKey, WaitingOnRolesKey } from '../../workflows/search-attributes.js';

/** What a hand-written case is started with: no definition, only what the case itself needs. */
export interface HandArgs {
  caseId: string;
  input: unknown;
  parameters?: Record<string, unknown>;
  owner?: string;
  /** The keys whose actor assertions the case accepts, as the interpreter's cases have them. */
  actorKeys: TrustedKey[];
  /** The working-day calendar its SLA clocks count with, kept by the case as the interpreter's cases keep theirs. */
  calendar?: CompiledCalendar;
}

export interface HandResult {
  caseId: string;
  process: string;
  outcome: string;
  closedAt: string;
}

/** A task as the process writes it: who, which outcomes, the form, when it is due. */
export interface TaskSpec {
  stepId: string;
  title: string;
  role: string;
  outcomes: string[];
  assignee?: string;
  form?: { type: 'object'; required?: string[]; properties: Record<string, unknown> };
  dueInMs?: number;
}

export interface Done {
  outcome: string;
  data: Record<string, unknown>;
  by: string;
}

/** The activities' default options, as the interpreter gives an action step without its own. */
const acts = proxyActivities<Record<string, (context: StepContext, input: unknown) => Promise<unknown>>>({
  startToCloseTimeout: '60s',
  scheduleToCloseTimeout: '24h',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '60s' },
});

const list = (items: string[]) => items.map((i) => `\`${i}\``).join(', ') || 'none';

/** One case of a hand-written process. */
export class HandCase {
  private readonly tasks: Record<string, CaseTask> = {};
  private readonly counts: Record<string, number> = {};
  /** Each task's form, for the validator. */
  private readonly forms = new Map<string, TaskSpec['form']>();
  private used: Record<string, number> | undefined = {};
  private status: 'open' | 'closed' = 'open';
  private outcome: string | undefined;
  readonly calendar: BusinessCalendar | undefined;

  constructor(
    readonly process: string,
    readonly version: number,
    readonly args: HandArgs,
    /** Each role of the process with the roles it acts for (itself first). */
    private readonly actsFor: Record<string, string[]>,
  ) {
    this.calendar = args.calendar ? new BusinessCalendar(args.calendar) : undefined;
    setHandler(completeTaskUpdate, (request) => this.complete(request), { validator: (request) => this.check(request) });
    setHandler(progressQuery, (request) => this.progress(request?.stepId));
  }

  get caseId(): string {
    return this.args.caseId;
  }

  /** Runs an activity of step `stepId` with the step context the interpreter gives it. */
  act<T = unknown>(activity: string, stepId: string, input: unknown, visit = 1): Promise<T> {
    const context: StepContext = { caseId: this.caseId, process: this.process, version: this.version, stepId, visit, idempotencyKey: `${this.caseId}:${stepId}:${visit}` };
    return acts[activity]!(context, input) as Promise<T>;
  }

  /**
   * Opens a task and waits until a person completes it. The wait's beginning is published; its
   * end is published with `then`, the step the case goes on to, when that is not another task
   * (which publishes its own beginning in the same workflow task).
   */
  async task(spec: TaskSpec, then?: string): Promise<Done> {
    const count = (this.counts[spec.stepId] ?? 0) + 1;
    this.counts[spec.stepId] = count;
    const now = Date.now();
    const id = `${spec.stepId}#${count}`;
    const dueAt = spec.dueInMs !== undefined ? new Date(now + spec.dueInMs).toISOString() : undefined;
    const task: CaseTask = {
      id,
      stepId: spec.stepId,
      title: spec.title,
      role: spec.role,
      outcomes: spec.outcomes,
      status: 'open',
      openedAt: new Date(now).toISOString(),
      ...(spec.assignee ? { assignee: spec.assignee } : {}),
      ...(dueAt ? { dueAt } : {}),
    };
    this.tasks[id] = task;
    this.forms.set(id, spec.form);
    upsertSearchAttributes([
      { key: CurrentStepsKey, value: [spec.stepId] },
      { key: WaitingOnRolesKey, value: [spec.role] },
      { key: AssigneesKey, value: spec.assignee ? [spec.assignee] : null },
      { key: NextDueAtKey, value: dueAt ? new Date(dueAt) : null },
    ] as SearchAttributeUpdatePair[]);
    await condition(() => this.tasks[id]?.status !== 'open');
    const done = this.tasks[id]!;
    if (then !== undefined) {
      upsertSearchAttributes([
        { key: CurrentStepsKey, value: [then] },
        { key: WaitingOnRolesKey, value: null },
        { key: AssigneesKey, value: null },
        { key: NextDueAtKey, value: null },
      ] as SearchAttributeUpdatePair[]);
    }
    return { outcome: done.outcome ?? '', data: done.data ?? {}, by: done.completedBy ?? '' };
  }

  /**
   * An SLA clock: a timer for each rung (warnings, the breach) in turn, each rung's action
   * when its timer fires; `stop()` cancels the pending timer. Instants are absolute (a rung
   * on working time is computed on the calendar when the clock starts).
   */
  clock(rungs: { at: number; reached?: () => Promise<void> }[]): { stop(): void } {
    const scope = new CancellationScope();
    const running = scope.run(async () => {
      for (const rung of rungs) {
        const wait = rung.at - Date.now();
        if (wait > 0) await sleep(wait);
        await rung.reached?.();
      }
    });
    running.catch((error: unknown) => {
      if (!isCancellation(error)) throw error;
    });
    return { stop: () => scope.cancel() };
  }

  /** An SLA rung's notification, as the interpreter sends it (step `sla:<clock>`). */
  notify(clock: string, what: string, role: string, subject: string, body: string): Promise<unknown> {
    const context: StepContext = { caseId: this.caseId, process: this.process, version: this.version, stepId: `sla:${clock}`, visit: 1, idempotencyKey: `${this.caseId}:sla:${clock}:1:${what}` };
    return acts.notify!(context, { recipient: { role }, channel: 'internal', subject: `${subject} · case ${this.caseId}`, body });
  }

  /** The instants at `fractions` of a working-time budget from `from` to `deadline` on the case's calendar. */
  businessInstants(from: number, deadline: number, fractions: number[]): number[] {
    const calendar = this.requireCalendar();
    const budget = calendar.businessMillisBetween(from, deadline);
    return fractions.map((f) => (f >= 1 ? deadline : calendar.addBusinessHours(from, (budget * f) / 3_600_000)));
  }

  requireCalendar(): BusinessCalendar {
    if (!this.calendar) throw ApplicationFailure.nonRetryable(`case ${this.caseId} has no calendar`, 'StateInvalid');
    return this.calendar;
  }

  /** A branch the benchmark does not take, so nobody wrote it by hand. */
  notWritten(what: string): never {
    throw ApplicationFailure.nonRetryable(`the hand-written ${this.process} workflow of the benchmark has no ${what}`, 'NotWrittenByHand');
  }

  async close(outcome: string): Promise<HandResult> {
    this.status = 'closed';
    this.outcome = outcome;
    upsertSearchAttributes([
      { key: CaseStatusKey, value: 'closed' },
      { key: CaseOutcomeKey, value: outcome },
      { key: CurrentStepsKey, value: null },
      { key: WaitingOnRolesKey, value: null },
      { key: AssigneesKey, value: null },
      { key: NextDueAtKey, value: null },
    ] as SearchAttributeUpdatePair[]);
    await condition(allHandlersFinished);
    return { caseId: this.caseId, process: this.process, outcome, closedAt: new Date().toISOString() };
  }

  // ---------------------------------------------------------------------------------------
  // The completeTask Update and the progress query

  /** The validator: who sent it, then whether they may complete that task with that outcome and data. */
  private check(request: CompleteTaskRequest): void {
    try {
      if (!request || typeof request !== 'object') throw new Rejection('REQUEST_INVALID', 'the request must be `{ taskId, outcome, data?, actor }`');
      const { acting } = verifyActor(request.actor, { trust: this.args.actorKeys, caseId: this.caseId, update: 'completeTask', request: request as unknown as Record<string, unknown>, used: this.used ?? {}, now: Date.now() });
      if (this.status === 'closed') throw new Rejection('CASE_CLOSED', `case ${this.caseId} is closed (outcome \`${this.outcome}\`)`);
      const task = this.taskOf(request.taskId);
      if (task.status !== 'open') throw new Rejection('TASK_ALREADY_COMPLETED', `task \`${task.id}\` was already completed by ${task.completedBy ?? 'someone'}`);
      const roles = acting.roles.filter((role) => this.actsFor[role]?.includes(task.role));
      if (roles.length === 0) throw new Rejection('ROLE_NOT_ALLOWED', `task \`${task.id}\` is for role \`${task.role}\`; ${acting.id} acts as ${list(acting.roles)}`);
      if (task.assignee && task.assignee !== acting.id && roles.every((role) => role === task.role)) {
        throw new Rejection('NOT_ASSIGNEE', `task \`${task.id}\` is assigned to ${task.assignee}`);
      }
      if (!task.outcomes.includes(request.outcome)) throw new Rejection('OUTCOME_NOT_OFFERED', `task \`${task.id}\` does not offer outcome \`${String(request.outcome)}\`; choose one of ${list(task.outcomes)}`);
      this.checkForm(task, request.data);
    } catch (error) {
      if (error instanceof Rejection) throw ApplicationFailure.create({ type: REJECTION_TYPE, message: error.message, details: [{ code: error.code }], nonRetryable: true });
      throw error;
    }
  }

  private checkForm(task: CaseTask, data: unknown): void {
    if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) throw new Rejection('FORM_INVALID', `the form data of task \`${task.id}\` must be a mapping of its fields`);
    const filled = (data ?? {}) as Record<string, unknown>;
    const tooLarge = sizeIssues(filled, MAX_FORM_BYTES, `the form data of task \`${task.id}\``);
    if (tooLarge.length > 0) throw new Rejection('FORM_TOO_LARGE', tooLarge.map((i) => i.message).join('; '));
    const form = this.forms.get(task.id);
    if (!form) return;
    const undeclared = Object.keys(filled).filter((key) => !(key in form.properties));
    if (undeclared.length > 0) throw new Rejection('FORM_INVALID', `the form of task \`${task.id}\` has no field ${list(undeclared)}`);
    const issues = validateData(form, filled);
    if (issues.length > 0) throw new Rejection('FORM_INVALID', `the form of task \`${task.id}\` is not filled in correctly: ${issues.map((i) => i.message).join('; ')}`);
  }

  private taskOf(taskId: unknown): CaseTask {
    if (typeof taskId !== 'string' || taskId === '') throw new Rejection('REQUEST_INVALID', 'the request must name the task: `taskId`');
    const task = this.tasks[taskId] ?? Object.values(this.tasks).find((t) => t.status === 'open' && t.stepId === taskId);
    if (!task) throw new Rejection('TASK_UNKNOWN', `case ${this.caseId} has no task \`${taskId}\``);
    return task;
  }

  /** The handler: no signature checked (handlers also run on replay); the assertion remembered as used. */
  private complete(request: CompleteTaskRequest): CompleteTaskResult {
    const acting = presentedActing(request.actor);
    const now = Date.now();
    this.used = rememberAssertion(this.used, acting, now);
    const task = this.taskOf(request.taskId);
    const completedAt = new Date(now).toISOString();
    this.tasks[task.id] = { ...task, status: 'completed', outcome: request.outcome, data: request.data ?? {}, completedBy: acting.id, completedAt };
    return { caseId: this.caseId, taskId: task.id, stepId: task.stepId, outcome: request.outcome, completedBy: acting.id, completedAt };
  }

  private progress(stepId: string | undefined): CaseProgress {
    const open = Object.values(this.tasks).filter((t) => t.status === 'open');
    const closed = this.status === 'closed';
    return {
      caseId: this.caseId,
      status: this.status,
      ...(this.outcome ? { outcome: this.outcome } : {}),
      currentSteps: open.map((t) => t.stepId),
      openTasks: open,
      settled: closed || open.length > 0,
      reached: closed || (stepId === undefined ? open.length > 0 : open.some((t) => t.stepId === stepId)),
    };
  }
}
