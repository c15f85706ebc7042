/**
 * The interpreter: one deterministic workflow that runs any process definition. The worker
 * registers it as the default workflow, so a case of `complaint` shows as workflow type
 * `complaint` and a new YAML process needs no code.
 *
 * A case carries its definition (pinned at opening), so editing the YAML or deploying a new
 * version never changes a running case. The interpreter walks the steps with "tokens" (a
 * root, plus one per running parallel branch); every token's position and what it waits for
 * is plain state, so the case can continue as new and pick up where it was.
 *
 * Replay safety: everything here is a pure function of the history (Date.now() and timers
 * come from the workflow sandbox). Changes that alter the commands emitted must be guarded
 * with `patched()`; the replay tests over test/histories prove old cases still replay.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowFailure,
  condition,
  continueAsNew,
  executeChild,
  isCancellation,
  patched,
  scheduleActivity,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { StepContext } from '../model/activity-catalog/index.js';
import { activityCatalog } from '../model/activity-catalog/index.js';
import { compileProcess } from '../dsl/compile.js';
import { resolveDeadline, resolveInstant } from '../dsl/deadlines.js';
import { describeDuration, type DurationSpec } from '../dsl/durations.js';
import { evaluateCondition, evaluateMapping, evaluateTemplate, isTemplate, type ExpressionContext } from '../dsl/expressions.js';
import type { ActionStep, CompiledProcess, CompiledStep, DecisionStep, ParallelStep, SubprocessStep, TaskStep, Transitions, WaitStep } from '../model/compiled-process.js';
import { checkParameterValues } from '../dsl/parameters.js';
import { validateData } from '../dsl/runtime-validation.js';
import { verifyDefinition } from '../dsl/verify.js';
import { businessCalendar } from './calendars.js';
import { CaseEffects, type Effect } from './case-effects.js';
import { CaseSlas, type SlaHost } from './case-slas.js';
import { currentSteps, TIMELINE_LIMIT, type CaseState, type CaseTask, type TimelineEntry, type Token } from './case-state.js';
import {
  cancelCaseUpdate,
  caseQuery,
  claimTaskUpdate,
  completeTaskUpdate,
  reassignTaskUpdate,
  REJECTION_TYPE,
  updateCalendarsUpdate,
  type Actor,
  type CaseArgs,
  type CaseResult,
  type CompleteTaskRequest,
  type CompleteTaskResult,
  type UpdateCalendarsRequest,
  type UpdateCalendarsResult,
} from './messages.js';
import { caseDetails, initialSearchAttributes, presentCase, searchAttributeValues } from './presentation.js';
import { caseSearchAttributes } from './search-attributes.js';
import { newClock, type ClockCalendar } from './sla-clock.js';
import { checkCalendarUpdate, checkCancel, checkClaim, checkCompletion, checkReassign, Rejection, resolveTask } from './task-rules.js';

/** Where a step leads, and what it gave (recorded when the case leaves it). */
type StepResult = ({ type: 'next'; next: string } | { type: 'end'; outcome: string } | { type: 'branch-done' }) & { gave?: string; detail?: string };

const ROOT = 'root';
const ESCALATION_OUTCOMES = ['retry', 'handled-manually'];

/** Raised inside the case when the definition cannot go on (an expression fails, a deadline cannot be read). */
function stepFailure(step: CompiledStep, what: string, error: unknown): ApplicationFailure {
  const reason = error instanceof Error ? error.message : String(error);
  return ApplicationFailure.nonRetryable(`step \`${step.id}\` (${step.title}): ${what}: ${reason}`, 'StepFailed');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function describeFailure(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** Timeline entries that go to the audit trail in PostgreSQL (the workflow's timeline is bounded). */
const AUDITED: ReadonlySet<string> = new Set(['calendar-updated', 'case-opened', 'task-completed', 'task-claimed', 'task-reassigned', 'escalated', 'priority-raised', 'visits-exceeded', 'case-cancelled', 'case-closed']);

class CaseInterpreter implements SlaHost {
  readonly process: CompiledProcess;
  readonly state: CaseState;
  private readonly slas: CaseSlas;
  private readonly effects: CaseEffects;
  private readonly calendars = new Map<string, ClockCalendar>();
  /** What was last upserted per search attribute (JSON), so only changes are sent. */
  private readonly published = new Map<string, string>();
  private publishPending = false;
  private historyOn: boolean | undefined;
  private readonly caseScope = new CancellationScope();
  private cancellation: { reason: string; actor: string } | undefined;

  constructor(private readonly args: CaseArgs) {
    const fresh = args.state === undefined;
    // Checked on first execution only: the history records that it passed, and a later,
    // stricter check must not turn an old case's replay into a different path.
    if (fresh && !workflowInfo().unsafe.isReplaying) {
      const problems = verifyDefinition(args.pinned.definition, { activities: activityCatalog, subprocesses: this.pinnedSubprocessDefinitions() });
      if (problems.length > 0) {
        throw ApplicationFailure.nonRetryable(
          `the worker refuses definition ${args.pinned.definition?.process ?? '?'} version ${String(args.pinned.definition?.version)}: ${problems
            .slice(0, 5)
            .map((p) => `${p.path || '/'} ${p.code} ${p.message}`)
            .join('; ')}`,
          'DefinitionRejected',
        );
      }
    }
    const compiled = compileProcess(args.pinned.definition);
    this.process = { ...compiled, params: { ...compiled.params, ...(args.parameters ?? {}) } };
    this.state = args.state ?? this.freshState();
    this.slas = new CaseSlas(this);
    this.effects = new CaseEffects((effect, error) => this.record({ type: 'effect-failed', detail: `${effect.kind === 'activity' ? effect.activity : `open ${effect.process}`}: ${error}` }));
    this.registerHandlers();
    for (const key of caseSearchAttributes) {
      const value = workflowInfo().typedSearchAttributes.get(key as never);
      this.published.set(key.name, JSON.stringify(value instanceof Date ? value : value ?? null));
    }
  }

  private pinnedSubprocessDefinitions(): Record<string, unknown> {
    return Object.fromEntries(Object.entries(this.args.subprocesses ?? {}).map(([name, pinned]) => [name, pinned.definition]));
  }

  private freshState(): CaseState {
    const now = Date.now();
    const presentation = presentCase(this.process, this.args.caseId, this.args.input, now);
    return {
      caseId: this.args.caseId,
      process: this.process.process,
      version: this.process.version,
      hash: this.args.pinned.hash,
      title: this.process.title,
      summary: presentation.summary,
      status: 'open',
      ...(this.args.owner ? { owner: this.args.owner } : {}),
      ...(presentation.priority ? { priority: presentation.priority } : {}),
      ...(presentation.customer ? { customer: presentation.customer } : {}),
      openedAt: iso(now),
      parameters: this.process.params,
      input: this.args.input,
      data: {},
      outcomes: {},
      visits: {},
      tokens: { [ROOT]: { id: ROOT, stepId: this.process.start, done: false } },
      tasks: {},
      taskCounts: {},
      timeline: [],
      timelineDropped: 0,
      ...(this.args.parent ? { parent: this.args.parent } : {}),
      slas: Object.fromEntries(this.process.slas.map((sla) => [sla.id, newClock(sla)])),
      run: 1,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Running

  async run(): Promise<CaseResult> {
    const resuming = this.args.state !== undefined;
    if (!resuming) {
      if (!workflowInfo().unsafe.isReplaying) {
        const issues = [
          ...(this.process.input ? validateData(this.process.input, this.args.input) : []),
          ...checkParameterValues(this.args.pinned.definition.parameters, this.args.parameters ?? {}),
        ];
        if (issues.length > 0) {
          throw ApplicationFailure.nonRetryable(`the case input is invalid: ${issues.map((i) => i.message).join('; ')}`, 'CaseInputInvalid');
        }
      }
      this.record({ type: 'case-opened', ...(this.args.owner ? { actor: this.args.owner } : {}) });
    }
    this.schedulePublish();
    const root = this.state.tokens[ROOT];
    if (!root) throw ApplicationFailure.nonRetryable('the carried state has no root position', 'StateInvalid');
    const closed = () => this.state.status === 'closed';
    // Side effects and SLA timers run beside the flow; they only ever end the case by failing it.
    const background = [
      this.effects.run(() => closed() && !this.closing, () => this.recordsHistory()),
      CancellationScope.nonCancellable(() => this.slas.runTimers(closed)),
    ].map((work) => work.then(() => new Promise<never>(() => undefined)));
    return Promise.race([this.runCase(root, resuming), this.continueAsNewWhenDue(), ...background]);
  }

  /** True while close() waits for the side effects of the closing to be done. */
  private closing = false;

  private async runCase(root: Token, resuming: boolean): Promise<CaseResult> {
    try {
      const result = await this.caseScope.run(() => this.runToken(root, resuming));
      return await this.close(result.type === 'end' ? result.outcome : 'completed');
    } catch (error) {
      if (isCancellation(error)) {
        return CancellationScope.nonCancellable(() => this.close('cancelled', this.cancellation ?? { reason: 'cancelled in Temporal', actor: 'temporal' }));
      }
      throw error;
    }
  }

  private async runToken(token: Token, resuming: boolean): Promise<StepResult> {
    let resume = resuming;
    for (;;) {
      const step = this.process.steps[token.stepId];
      if (!step) throw ApplicationFailure.nonRetryable(`the case is at step \`${token.stepId}\`, which its definition does not have`, 'StateInvalid');
      if (!resume) {
        const redirect = this.enter(step, token);
        if (redirect !== undefined) {
          token.stepId = redirect;
          continue;
        }
      }
      const result = await this.execute(step, token, resume);
      resume = false;
      delete token.wait;
      if (result.type === 'end') return result;
      this.record({ type: 'step-left', step: step.id, ...(result.gave !== undefined ? { outcome: result.gave } : {}), ...(result.detail ? { detail: result.detail } : {}) });
      if (result.type === 'branch-done') {
        token.done = true;
        return result;
      }
      token.stepId = result.next;
      this.refreshPriority();
      this.schedulePublish();
    }
  }

  /**
   * A priority written over case data (`case.priority: "${outcomes['classify'] == ...}"`)
   * follows the data as steps complete, unless an SLA escalation has raised it.
   */
  private refreshPriority(): void {
    const template = this.process.presentation.priority;
    if (!template || this.state.priorityRaised) return;
    let priority: string;
    try {
      priority = String(this.evaluate(template));
    } catch {
      return;
    }
    if (priority !== '' && priority !== this.state.priority) this.state.priority = priority;
  }

  /** Counts the visit; returns where to go instead when the step's visit bound is exceeded. */
  private enter(step: CompiledStep, token: Token): string | undefined {
    const visits = (this.state.visits[step.id] ?? 0) + 1;
    if (step.visits && visits > step.visits.max) {
      this.record({ type: 'visits-exceeded', step: step.id, detail: `visited ${step.visits.max} times; going to ${step.visits.then}` });
      return step.visits.then;
    }
    this.state.visits[step.id] = visits;
    this.record({ type: 'step-entered', step: step.id, ...(token.branch ? { detail: `branch ${token.branch}` } : {}) });
    return undefined;
  }

  private execute(step: CompiledStep, token: Token, resume: boolean): Promise<StepResult> {
    switch (step.kind) {
      case 'action':
        return this.runAction(step, token);
      case 'task':
        return this.runTask(step, token, resume);
      case 'decision':
        return Promise.resolve(this.decide(step));
      case 'wait':
        return this.runWait(step, token, resume);
      case 'parallel':
        return this.runParallel(step, token, resume);
      case 'subprocess':
        return this.runSubprocess(step, token);
      case 'end':
        return Promise.resolve({ type: 'end', outcome: step.outcome });
    }
  }

  private follow(next: string | undefined): StepResult {
    return next === undefined ? { type: 'branch-done' } : { type: 'next', next };
  }

  private route(transitions: Transitions, outcome: string): StepResult {
    return { ...this.follow(transitions.byOutcome[outcome] ?? transitions.otherwise), gave: outcome };
  }

  // --- action ----------------------------------------------------------------------------------

  private async runAction(step: ActionStep, token: Token): Promise<StepResult> {
    const visit = this.state.visits[step.id] ?? 1;
    const context: StepContext = {
      caseId: this.state.caseId,
      process: this.state.process,
      version: this.state.version,
      stepId: step.id,
      visit,
      idempotencyKey: `${this.state.caseId}:${step.id}:${visit}`,
    };
    for (;;) {
      let input: unknown;
      try {
        input = evaluateMapping(step.with ?? {}, this.expressionContext());
      } catch (error) {
        throw stepFailure(step, 'its `with` could not be computed', error);
      }
      token.wait = { kind: 'activity', activity: step.activity };
      this.schedulePublish();
      try {
        const result = await scheduleActivity<unknown>(step.activity, [context, input], {
          startToCloseTimeout: step.timeoutMs,
          retry: {
            maximumAttempts: step.retry.maximumAttempts,
            initialInterval: step.retry.initialIntervalMs,
            backoffCoefficient: step.retry.backoffCoefficient,
            maximumInterval: step.retry.maximumIntervalMs,
          },
          summary: step.title,
        });
        if (step.saveAs) this.state.data[step.saveAs] = result ?? null;
        this.record({ type: 'action-completed', step: step.id });
        return this.follow(step.next);
      } catch (error) {
        if (isCancellation(error)) throw error;
        const message = describeFailure(error);
        this.record({ type: 'action-failed', step: step.id, detail: `${step.activity}: ${message}` });
        const policy = step.onFailure;
        if ('goTo' in policy) return { type: 'next', next: policy.goTo };
        if ('escalate' in policy) {
          const outcome = await this.escalate(step, token, policy.escalate, policy.instructions, message);
          if (outcome === 'retry') continue;
          return this.follow(step.next);
        }
        throw ApplicationFailure.nonRetryable(
          `step \`${step.id}\` (${step.title}) failed: activity \`${step.activity}\` gave up after ${step.retry.maximumAttempts} attempts: ${message}`,
          'ActionFailed',
        );
      }
    }
  }

  /** A failed action becomes a task for a role: retry it, or say it was handled by hand. */
  private async escalate(step: ActionStep, token: Token, role: string, instructions: string | undefined, error: string): Promise<string> {
    const task = this.openTask(
      {
        stepId: step.id,
        title: `Sort out: ${step.title} failed`,
        role,
        instructions: instructions ?? `The automated step "${step.title}" failed: ${error}. Retry it once the cause is fixed, or do it by hand and mark it handled.`,
        outcomes: ESCALATION_OUTCOMES,
        escalation: { stepId: step.id, activity: step.activity, error },
      },
      undefined,
    );
    this.record({ type: 'escalated', step: step.id, task: task.id, detail: `to ${role}: ${error}` });
    token.wait = { kind: 'task', taskId: task.id };
    this.schedulePublish();
    await condition(() => task.status !== 'open');
    return task.outcome ?? 'retry';
  }

  // --- task ------------------------------------------------------------------------------------

  private async runTask(step: TaskStep, token: Token, resume: boolean): Promise<StepResult> {
    const waiting = resume && token.wait?.kind === 'task' ? this.state.tasks[token.wait.taskId] : undefined;
    const task =
      waiting ??
      this.openTask(
        {
          stepId: step.id,
          title: step.title,
          role: step.role,
          ...(step.instructions ? { instructions: this.instructionsText(step.instructions) } : {}),
          outcomes: step.outcomes,
          ...(step.assignToOwner && this.state.owner ? { assignee: this.state.owner } : {}),
        },
        step.due,
      );
    token.wait = { kind: 'task', taskId: task.id };
    this.schedulePublish();
    await condition(() => task.status !== 'open');
    const outcome = task.outcome ?? '';
    this.state.outcomes[step.id] = outcome;
    if (step.saveAs) this.state.data[step.saveAs] = task.data ?? {};
    return this.route(step.next, outcome);
  }

  private openTask(spec: Omit<CaseTask, 'id' | 'openedAt' | 'status'>, due: DurationSpec | undefined): CaseTask {
    const count = (this.state.taskCounts[spec.stepId] ?? 0) + 1;
    this.state.taskCounts[spec.stepId] = count;
    const now = Date.now();
    const step = this.process.steps[spec.stepId];
    let dueAt: string | undefined;
    if (due && step) {
      try {
        dueAt = iso(resolveDeadline(due, now, (t) => this.evaluate(t), this.calendar(this.process.calendar)));
      } catch (error) {
        throw stepFailure(step, `its due time \`${describeDuration(due)}\` could not be computed`, error);
      }
    }
    const task: CaseTask = { ...spec, id: `${spec.stepId}#${count}`, openedAt: iso(now), status: 'open', ...(dueAt ? { dueAt } : {}) };
    this.state.tasks[task.id] = task;
    this.record({ type: 'task-opened', step: spec.stepId, task: task.id, detail: `for ${spec.role}${task.assignee ? ` (assigned to ${task.assignee})` : ''}${dueAt ? `, due ${dueAt}` : ''}` });
    return task;
  }

  // --- decision --------------------------------------------------------------------------------

  private decide(step: DecisionStep): StepResult {
    const context = this.expressionContext();
    for (const condition of step.conditions) {
      let holds: boolean;
      try {
        holds = evaluateCondition(condition.when, context);
      } catch (error) {
        throw stepFailure(step, `the condition \`${condition.when}\` could not be decided`, error);
      }
      if (holds) return { type: 'next', next: condition.then, detail: `because ${condition.when}` };
    }
    return { type: 'next', next: step.otherwise, detail: 'no condition held' };
  }

  // --- wait ------------------------------------------------------------------------------------

  private async runWait(step: WaitStep, token: Token, resume: boolean): Promise<StepResult> {
    let until: number;
    if (resume && token.wait?.kind === 'timer') until = token.wait.until;
    else {
      const now = Date.now();
      const evaluate = (t: string) => this.evaluate(t);
      try {
        until = step.for ? resolveDeadline(step.for, now, evaluate, this.calendar(this.process.calendar)) : resolveInstant(step.until ?? '', evaluate);
      } catch (error) {
        throw stepFailure(step, 'the end of the wait could not be computed', error);
      }
      this.record({ type: 'timer-started', step: step.id, detail: `until ${iso(until)}` });
    }
    token.wait = { kind: 'timer', until };
    this.schedulePublish();
    const remaining = until - Date.now();
    if (remaining > 0) await sleep(remaining, { summary: `${step.title} (until ${iso(until)})` });
    this.record({ type: 'timer-fired', step: step.id });
    return this.follow(step.next);
  }

  // --- parallel --------------------------------------------------------------------------------

  private async runParallel(step: ParallelStep, token: Token, resume: boolean): Promise<StepResult> {
    let children: Token[];
    if (resume && token.wait?.kind === 'branches') {
      children = token.wait.children.map((id) => this.state.tokens[id]).filter((t): t is Token => t !== undefined);
    } else {
      const visit = this.state.visits[step.id] ?? 1;
      children = step.branches.map((branch) => {
        const child: Token = { id: `${token.id}/${step.id}.${visit}/${branch.name}`, stepId: branch.start, parent: token.id, branch: branch.name, done: false };
        this.state.tokens[child.id] = child;
        return child;
      });
      token.wait = { kind: 'branches', children: children.map((c) => c.id) };
    }
    this.schedulePublish();
    await Promise.all(children.filter((c) => !c.done).map((c) => this.runToken(c, resume)));
    for (const child of children) delete this.state.tokens[child.id];
    return { ...this.follow(step.next), detail: 'all branches finished' };
  }

  // --- subprocess ------------------------------------------------------------------------------

  private async runSubprocess(step: SubprocessStep, token: Token): Promise<StepResult> {
    const pinned = this.args.subprocesses?.[step.process];
    if (!pinned) throw ApplicationFailure.nonRetryable(`step \`${step.id}\` opens process \`${step.process}\`, which was not pinned with this case`, 'StepFailed');
    const visit = this.state.visits[step.id] ?? 1;
    const childId = `${this.state.caseId}.${step.id}${visit > 1 ? `.${visit}` : ''}`;
    let input: unknown;
    try {
      input = evaluateMapping(step.with ?? {}, this.expressionContext());
    } catch (error) {
      throw stepFailure(step, 'its `with` could not be computed', error);
    }
    const child = compileProcess(pinned.definition);
    const presentation = presentCase(child, childId, input, Date.now());
    token.wait = { kind: 'subprocess', caseId: childId };
    this.record({ type: 'subprocess-opened', step: step.id, detail: `${step.process} case ${childId}` });
    this.schedulePublish();
    let result: CaseResult;
    try {
      result = await executeChild<(args: CaseArgs) => Promise<CaseResult>>(step.process, {
        workflowId: childId,
        args: [
          {
            caseId: childId,
            pinned,
            ...(this.args.subprocesses ? { subprocesses: this.args.subprocesses } : {}),
            ...(this.args.calendars ? { calendars: this.args.calendars } : {}),
            input,
            ...(this.state.owner ? { owner: this.state.owner } : {}),
            parent: { caseId: this.state.caseId, stepId: step.id },
            ...(this.args.options ? { options: this.args.options } : {}),
          },
        ],
        staticSummary: presentation.summary,
        typedSearchAttributes: initialSearchAttributes(child, childId, presentation, this.state.owner),
        memo: { definitionHash: pinned.hash, definitionVersion: child.version, parentCaseId: this.state.caseId },
      });
    } catch (error) {
      if (isCancellation(error)) throw error;
      const reason = error instanceof ChildWorkflowFailure && error.cause ? error.cause.message : describeFailure(error);
      throw ApplicationFailure.nonRetryable(`step \`${step.id}\`: subprocess case ${childId} (${step.process}) failed: ${reason}`, 'SubprocessFailed');
    }
    this.state.outcomes[step.id] = result.outcome;
    if (step.saveAs) this.state.data[step.saveAs] = { caseId: childId, outcome: result.outcome, data: result.data };
    this.record({ type: 'subprocess-closed', step: step.id, outcome: result.outcome, detail: `case ${childId}` });
    return this.route(step.next, result.outcome);
  }

  // --- closing ---------------------------------------------------------------------------------

  private async close(outcome: string, cancelled?: { reason: string; actor: string }): Promise<CaseResult> {
    const now = Date.now();
    for (const task of Object.values(this.state.tasks)) {
      if (task.status === 'open') {
        task.status = 'cancelled';
        this.record({ type: 'task-cancelled', step: task.stepId, task: task.id });
      }
    }
    for (const token of Object.values(this.state.tokens)) token.done = true;
    this.state.status = 'closed';
    this.state.outcome = outcome;
    this.state.closedAt = iso(now);
    if (cancelled) this.record({ type: 'case-cancelled', actor: cancelled.actor, detail: cancelled.reason, outcome });
    this.slas.closeAll(now);
    this.record({ type: 'case-closed', outcome });
    this.publish();
    // The records of the closing (SLA events) are written before the case ends, and in-flight
    // Updates (the one that cancelled, for instance) return first.
    this.closing = true;
    await condition(() => this.effects.idle);
    this.closing = false;
    await condition(allHandlersFinished);
    return { caseId: this.state.caseId, process: this.state.process, outcome, data: this.state.data, closedAt: this.state.closedAt };
  }

  // -------------------------------------------------------------------------------------------
  // Continue-as-new

  /** Safe to hand over to a new run: every position waits on a person, a timer or its branches. */
  private atSafePoint(): boolean {
    if (!this.effects.idle) return false;
    return Object.values(this.state.tokens).every((token) => {
      if (token.done) return true;
      const wait = token.wait;
      if (!wait) return false;
      if (wait.kind === 'timer' || wait.kind === 'branches') return true;
      if (wait.kind === 'task') return this.state.tasks[wait.taskId]?.status === 'open';
      return false;
    });
  }

  private async continueAsNewWhenDue(): Promise<never> {
    const threshold = this.args.options?.continueAsNewAfterEvents;
    const due = () => {
      const info = workflowInfo();
      return info.continueAsNewSuggested || (threshold !== undefined && info.historyLength >= threshold);
    };
    for (;;) {
      await condition(() => this.state.status === 'open' && due() && this.atSafePoint() && allHandlersFinished());
      if (this.state.status !== 'open' || !this.atSafePoint()) continue;
      this.record({ type: 'continued-as-new', detail: `run ${this.state.run} ended after ${workflowInfo().historyLength} events` });
      this.state.run += 1;
      return continueAsNew<typeof caseWorkflow>({ ...this.args, state: this.state });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Messages

  private registerHandlers(): void {
    setHandler(caseQuery, () => this.state, { description: 'The case: status, current steps, open tasks, data and timeline' });
    setHandler(completeTaskUpdate, (request) => this.completeTask(request), {
      validator: (request) => this.guard(() => checkCompletion(this.state, this.process, request)),
      description: 'Complete an open task with one of its outcomes and its form data',
    });
    setHandler(
      claimTaskUpdate,
      (request) => {
        const task = resolveTask(this.state, request.taskId);
        task.assignee = request.actor.id;
        this.record({ type: 'task-claimed', step: task.stepId, task: task.id, actor: request.actor.id });
        this.schedulePublish();
        return { caseId: this.state.caseId, taskId: task.id, assignee: request.actor.id };
      },
      { validator: (request) => this.guard(() => checkClaim(this.state, this.process, request)), description: 'Take an open task of your role' },
    );
    setHandler(
      reassignTaskUpdate,
      (request) => {
        const task = resolveTask(this.state, request.taskId);
        const from = task.assignee;
        task.assignee = request.assignee;
        this.record({
          type: 'task-reassigned',
          step: task.stepId,
          task: task.id,
          actor: request.actor.id,
          detail: `${from ?? 'nobody'} → ${request.assignee}${request.reason ? `: ${request.reason}` : ''}`,
        });
        this.schedulePublish();
        return { caseId: this.state.caseId, taskId: task.id, assignee: request.assignee };
      },
      { validator: (request) => this.guard(() => checkReassign(this.state, this.process, request)), description: 'Hand an open task to another person' },
    );
    setHandler(
      cancelCaseUpdate,
      (request) => {
        this.cancellation = { reason: request.reason, actor: request.actor.id };
        this.caseScope.cancel();
        return { caseId: this.state.caseId, outcome: 'cancelled' as const };
      },
      { validator: (request) => this.guard(() => checkCancel(this.state, this.process, request)), description: 'Cancel the case, with a reason' },
    );
    setHandler(updateCalendarsUpdate, (request) => this.updateCalendars(request), {
      validator: (request) => this.guard(() => checkCalendarUpdate(this.state, this.process, request)),
      description: 'Take newer versions of the business calendars the case counts with (processes with `calendar-updates: follow`)',
    });
  }

  /** Runs a validator check; a `Rejection` becomes the typed failure the client turns into an error. */
  private guard(check: () => unknown): void {
    try {
      check();
    } catch (error) {
      if (error instanceof Rejection) {
        throw ApplicationFailure.create({ type: REJECTION_TYPE, message: error.message, details: [{ code: error.code }], nonRetryable: true });
      }
      throw error;
    }
  }

  /**
   * Newer calendar versions replace pinned ones; older, equal or unused ones are kept out.
   * Running SLA clocks move their deadlines; due times already set and started waits do not.
   */
  private updateCalendars(request: UpdateCalendarsRequest): UpdateCalendarsResult {
    const pinned = this.args.calendars ?? {};
    const result: UpdateCalendarsResult = { caseId: this.state.caseId, updated: [], kept: [] };
    const now = Date.now();
    for (const [name, data] of Object.entries(request.calendars)) {
      const current = pinned[name];
      if (!current) result.kept.push({ calendar: name, reason: 'the case does not count with this calendar' });
      else if (current.hash === data.hash) result.kept.push({ calendar: name, reason: `version ${current.version} is the one the case has` });
      else if (data.version <= current.version) result.kept.push({ calendar: name, reason: `version ${data.version} is not newer than the case's version ${current.version}` });
      else {
        this.slas.calendarReplaced(name, now, () => {
          pinned[name] = data;
          this.calendars.delete(name);
        });
        this.record({ type: 'calendar-updated', detail: `${name} version ${current.version} → ${data.version}` });
        result.updated.push({ calendar: name, from: current.version, to: data.version });
      }
    }
    this.schedulePublish();
    return result;
  }

  private completeTask(request: CompleteTaskRequest): CompleteTaskResult {
    const task = resolveTask(this.state, request.taskId);
    const now = iso(Date.now());
    task.status = 'completed';
    task.outcome = request.outcome;
    task.completedAt = now;
    task.completedBy = request.actor.id;
    task.data = request.data ?? {};
    const step = this.process.steps[task.stepId];
    if (!this.state.owner && step?.kind === 'task' && step.assignToOwner) this.state.owner = request.actor.id;
    this.record({ type: 'task-completed', step: task.stepId, task: task.id, actor: request.actor.id, outcome: request.outcome });
    this.schedulePublish();
    return { caseId: this.state.caseId, taskId: task.id, stepId: task.stepId, outcome: request.outcome, completedBy: request.actor.id, completedAt: now };
  }

  // -------------------------------------------------------------------------------------------
  // Helpers

  private expressionContext(): ExpressionContext {
    const outcomes: Record<string, string> = {};
    for (const step of Object.values(this.process.steps)) if (step.kind === 'task' || step.kind === 'subprocess') outcomes[step.id] = '';
    Object.assign(outcomes, this.state.outcomes);
    const actors: Record<string, string> = {};
    for (const step of Object.values(this.process.steps)) if (step.kind === 'task') actors[step.id] = '';
    for (const task of Object.values(this.state.tasks)) if (task.status === 'completed' && task.completedBy && task.stepId in actors) actors[task.stepId] = task.completedBy;
    return {
      input: this.state.input,
      data: this.state.data,
      outcomes,
      actors,
      params: this.process.params,
      case: {
        id: this.state.caseId,
        process: this.state.process,
        version: this.state.version,
        openedAt: this.state.openedAt,
        // Null, not missing, while nobody owns the case: `owner: "${case.owner}"` then passes nothing.
        owner: this.state.owner ?? null,
        ...(this.state.priority ? { priority: this.state.priority } : {}),
        ...(this.state.customer ? { customer: this.state.customer } : {}),
      },
      now: Date.now(),
    };
  }

  record(entry: Omit<TimelineEntry, 'at'>): void {
    const now = Date.now();
    const recorded: TimelineEntry = { at: iso(now), ...entry };
    this.state.timeline.push(recorded);
    if (AUDITED.has(entry.type)) this.audit(recorded, this.state.timelineDropped + this.state.timeline.length - 1);
    if (this.state.timeline.length > TIMELINE_LIMIT) {
      const drop = this.state.timeline.length - TIMELINE_LIMIT;
      this.state.timeline.splice(0, drop);
      this.state.timelineDropped += drop;
    }
    this.slas?.onEvent(entry, now);
  }

  /**
   * What the case writes to the records beside its flow — the audit trail of people's actions
   * and lifecycle (`case_events`; the workflow's timeline is bounded, the audit trail is not)
   * and its SLA clock events (`sla_events`) — goes in one `record-case-history` activity per
   * workflow task. Cases started before this replay as they ran: no audit trail, one activity
   * per SLA event (patch `records-history`).
   */
  recordsHistory(): boolean {
    this.historyOn ??= patched('records-history');
    return this.historyOn;
  }

  appendHistory(part: { entries?: unknown[]; slaEvents?: unknown[] }, key: string): void {
    const caseId = this.args.caseId;
    const { process, version } = this.process;
    const fresh = { entries: [...(part.entries ?? [])], slaEvents: [...(part.slaEvents ?? [])] };
    this.effects.enqueueBatched(
      { kind: 'activity', activity: 'record-case-history', context: { caseId, process, version, stepId: 'history', visit: 0, idempotencyKey: key }, input: fresh, summary: 'Record the case history' },
      (queued) => {
        const input = queued.input as { entries: unknown[]; slaEvents: unknown[] };
        input.entries.push(...fresh.entries);
        input.slaEvents.push(...fresh.slaEvents);
      },
    );
  }

  private audit(entry: TimelineEntry, seq: number): void {
    if (!this.recordsHistory()) return;
    this.appendHistory({ entries: [{ seq, ...entry }] }, `${this.args.caseId}:history:${seq}`);
  }

  // --- what the SLA clocks and effects need (SlaHost) --------------------------------------

  calendar(name: string | undefined): ClockCalendar | undefined {
    if (!name) return undefined;
    let calendar = this.calendars.get(name);
    if (!calendar) {
      const data = this.args.calendars?.[name];
      if (!data) throw ApplicationFailure.nonRetryable(`calendar \`${name}\` was not pinned with this case`, 'StateInvalid');
      calendar = businessCalendar(data);
      this.calendars.set(name, calendar);
    }
    return calendar;
  }

  /** Instructions may quote case data and parameters (`${params.returnWindowDays} days`); shown as written if they cannot be filled in. */
  private instructionsText(instructions: string): string {
    if (!isTemplate(instructions)) return instructions;
    try {
      return String(this.evaluate(instructions));
    } catch {
      return instructions;
    }
  }

  evaluate(template: string): unknown {
    return evaluateTemplate(template, this.expressionContext());
  }

  evaluateMapping(mapping: unknown): unknown {
    return evaluateMapping(mapping, this.expressionContext());
  }

  holds(conditionText: string): boolean {
    return evaluateCondition(conditionText, this.expressionContext());
  }

  currentSteps(): string[] {
    return currentSteps(this.state);
  }

  enqueue(effect: Effect): void {
    this.effects.enqueue(effect);
  }


  openSideTask(spec: Omit<CaseTask, 'id' | 'openedAt' | 'status'>): CaseTask {
    const task = this.openTask(spec, undefined);
    this.schedulePublish();
    return task;
  }

  raisePriority(priority: string, because: string): void {
    if (this.state.priority === priority) return;
    this.state.priority = priority;
    this.state.priorityRaised = true;
    this.record({ type: 'priority-raised', detail: `${priority}: ${because}` });
    this.schedulePublish();
  }

  reassignOpenTasks(role: string, because: string): void {
    for (const task of Object.values(this.state.tasks)) {
      if (task.status !== 'open' || task.role === role) continue;
      const from = `${task.role}${task.assignee ? ` (${task.assignee})` : ''}`;
      task.role = role;
      delete task.assignee;
      this.record({ type: 'task-reassigned', step: task.stepId, task: task.id, detail: `${from} → role ${role}: ${because}` });
    }
    this.schedulePublish();
  }

  openEscalationCase(process: string, input: unknown, caseId: string, because: string): void {
    const pinned = this.args.subprocesses?.[process];
    if (!pinned) throw ApplicationFailure.nonRetryable(`${because} opens process \`${process}\`, which was not pinned with this case`, 'StepFailed');
    const child = compileProcess(pinned.definition);
    const presentation = presentCase(child, caseId, input, Date.now());
    this.record({ type: 'subprocess-opened', detail: `${process} case ${caseId}: ${because}` });
    this.effects.enqueue({
      kind: 'child',
      process,
      workflowId: caseId,
      args: { caseId, pinned, ...(this.args.subprocesses ? { subprocesses: this.args.subprocesses } : {}), ...(this.args.calendars ? { calendars: this.args.calendars } : {}), input, ...(this.state.owner ? { owner: this.state.owner } : {}), parent: { caseId: this.state.caseId, stepId: 'sla' } },
      summary: presentation.summary,
      searchAttributes: initialSearchAttributes(child, caseId, presentation, this.state.owner),
      memo: { definitionHash: pinned.hash, definitionVersion: child.version, parentCaseId: this.state.caseId },
    });
  }

  changed(): void {
    this.schedulePublish();
  }

  fail(message: string): never {
    throw ApplicationFailure.nonRetryable(message, 'StepFailed');
  }

  /** Publishes once per activation, however many things changed in it. */
  private schedulePublish(): void {
    if (this.publishPending) return;
    this.publishPending = true;
    void Promise.resolve().then(() => {
      this.publishPending = false;
      this.publish();
    });
  }

  private publish(): void {
    const changed: SearchAttributeUpdatePair[] = [];
    for (const [name, { pair, value }] of searchAttributeValues(this.state)) {
      const json = JSON.stringify(value);
      if (this.published.get(name) !== json) {
        changed.push(pair);
        this.published.set(name, json);
      }
    }
    if (changed.length > 0) upsertSearchAttributes(changed);
    setCurrentDetails(caseDetails(this.state, this.process));
  }
}

/** Runs one case of any process; the worker registers it as the default workflow. */
export async function caseWorkflow(args: CaseArgs): Promise<CaseResult> {
  return new CaseInterpreter(args).run();
}

export type { Actor };
