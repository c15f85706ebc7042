/**
 * The interpreter: one deterministic workflow for every process, registered as the default
 * workflow, so a `complaint` case shows as workflow type `complaint` and a new process needs no code.
 *
 * A case carries its definition (pinned at opening), so editing the YAML never changes a
 * running case. The interpreter walks the steps with "tokens" (a root, plus one per running
 * parallel branch) whose positions and waits are plain state, so a case can continue as new.
 *
 * This file is the shell: run loop, message handlers, close, continue-as-new. Step kinds run in
 * steps/; what they change is computed by the pure transitions/ and task-rules.ts; SLA clocks,
 * effects, timeline and what operators see have modules of their own (docs/architecture.md).
 *
 * Replay safety: everything is a pure function of the history. Changes that alter the commands
 * emitted go behind `patched()` (docs/architecture.md lists them); test/replay proves it.
 */
import { allHandlersFinished, ApplicationFailure, CancellationScope, condition, continueAsNew, isCancellation, setHandler, workflowInfo } from '@temporalio/workflow';
import type { CarriedRecords } from '../model/carried-records.js';
import type { CompiledProcess, DurationSpec } from '../model/compiled-process.js';
import { activityCatalog } from '../model/activity-catalog/index.js';
import { resolveDeadline } from '../dsl/deadlines.js';
import { describeDuration } from '../dsl/durations.js';
import { evaluateMapping, evaluateTemplate, evaluateCondition, isTemplate, type ExpressionContext } from '../dsl/expressions.js';
import { verifyDefinition } from '../dsl/verify.js';
import { CaseCalendars } from './calendars.js';
import { compiledProcess, verifyOnce } from './definition-cache.js';
import { revision2, takes } from './engine.js';
import { CaseEffects, type Effect } from './case-effects.js';
import { CasePublisher, failsTheCase, publishFailure } from './case-publisher.js';
import { CaseSlas, type SlaHost } from './case-slas.js';
import { caseInputIssues } from './case-start.js';
import { currentSteps, type CaseState, type CaseTask, type Token } from './case-state.js';
import { CaseTimeline } from './case-timeline.js';
import {
  cancelCaseUpdate, caseQuery, claimTaskUpdate, completeTaskUpdate, reassignTaskUpdate, REJECTION_TYPE, updateCalendarsUpdate, waitForTasksUpdate, progressQuery,
  type Actor, type CaseArgs, type CaseProgress, type CaseResult, type RequestIdentity, type UpdateCalendarsRequest, type UpdateCalendarsResult, type WaitForTasksRequest,
} from './messages.js';
import type { ClockCalendar } from './sla-clock.js';
import { runStep, type CaseRuntime } from './steps/index.js';
import { calendarUpdate } from './transitions/calendars.js';
import { iso, type Entry } from './transitions/entry.js';
import { escalationCase } from './transitions/escalation-case.js';
import { expressionContext as expressionContextOf } from './transitions/expression-context.js';
import { enterStep, type StepResult } from './transitions/flow.js';
import { ROOT, openingState } from './transitions/opening.js';
import { followedPriority } from './transitions/priority.js';
import { stepFailure } from './transitions/step-failure.js';
import { by, cancelOpenTasks, claimTask, completeTask, openTask, reassignOpenTasks, reassignTask, type TaskSpec } from './transitions/tasks.js';
import { endorsedKeys, isSignedActor, presentedActing, rememberAssertion, type Acting } from './actor-assertion.js';
import { actingFor, checkCalendarUpdate, checkCancel, checkClaim, checkCompletion, checkReassign, checkRequestIdentity, checkWait, Rejection } from './task-rules.js';
import { caseProgress, waitReached } from './transitions/progress.js';
import { rememberRequest } from './transitions/requests.js';

/** Who cancelled a case and why (a verified person's token and directory version too). */
type Cancellation = { reason: string; actor: string } & Pick<Entry, 'tokenId' | 'directoryVersion'>;

class CaseRun implements CaseRuntime, SlaHost {
  readonly process: CompiledProcess;
  readonly state: CaseState;
  private readonly slas: CaseSlas;
  private readonly effects: CaseEffects;
  private readonly timeline: CaseTimeline;
  readonly publisher: CasePublisher;
  private readonly calendars: CaseCalendars;
  private readonly caseScope = new CancellationScope();
  private cancellation: Cancellation | undefined;
  /** True while close() waits for the side effects of the closing to be done. */
  private closing = false;
  /** The effect runner has started: what is queued gets written. */
  private recording = false;

  constructor(readonly args: CaseArgs) {
    // Checked on first execution only: the history records that it passed, and a later,
    // stricter check must not turn an old case's replay into a different path.
    if (args.state === undefined && !workflowInfo().unsafe.isReplaying) {
      const subprocesses = Object.fromEntries(Object.entries(args.subprocesses ?? {}).map(([name, pinned]) => [name, pinned.definition]));
      verifyOnce(args.pinned.definition, subprocesses, () => {
        const problems = verifyDefinition(args.pinned.definition, { activities: activityCatalog, subprocesses });
        if (problems.length === 0) return;
        const listed = problems.slice(0, 5).map((p) => `${p.path || '/'} ${p.code} ${p.message}`);
        throw ApplicationFailure.nonRetryable(
          `the worker refuses definition ${args.pinned.definition?.process ?? '?'} version ${String(args.pinned.definition?.version)}: ${listed.join('; ')}`,
          'DefinitionRejected',
        );
      });
    }
    this.calendars = new CaseCalendars(args.calendars ?? {});
    const compiled = compiledProcess(args.pinned.definition);
    this.process = { ...compiled, params: { ...compiled.params, ...(args.parameters ?? {}) } };
    this.state = args.state ?? openingState(args, this.process, Date.now());
    this.effects = new CaseEffects((effect, error) => this.record({ type: 'effect-failed', detail: `${effect.kind === 'activity' ? effect.activity : `open ${effect.process}`}: ${error}` }), revision2(args));
    this.timeline = new CaseTimeline(this.state, this.effects, args);
    this.slas = new CaseSlas(this, this.timeline);
    this.timeline.onRecorded = (entry, now) => this.slas.onEvent(entry, now);
    this.publisher = new CasePublisher(this.state, this.process, args, () => (this.calendars.pinned[this.process.calendar ?? ''] ?? Object.values(this.calendars.pinned)[0])?.timeZone);
    // Last: setHandler runs an Update that arrived with the run's first workflow task at once
    // (a completion sent as the case continued as new, a wait sent with the start), so
    // everything a handler touches must exist by then. No command comes of the order.
    this.registerHandlers();
  }

  // -------------------------------------------------------------------------------------------
  // Running

  async run(): Promise<CaseResult> {
    const resuming = this.args.state !== undefined;
    if (!resuming) {
      if (!workflowInfo().unsafe.isReplaying) {
        const issues = caseInputIssues(this.process, this.args.pinned.definition, this.args.input, this.args.parameters);
        if (issues.length > 0) throw ApplicationFailure.nonRetryable(`the case input is invalid: ${issues.map((i) => i.message).join('; ')}`, 'CaseInputInvalid');
      }
      this.record({ type: 'case-opened', ...(this.args.owner ? { actor: this.args.owner } : {}) });
    }
    this.changed();
    const root = this.state.tokens[ROOT];
    if (!root) throw ApplicationFailure.nonRetryable('the carried state has no root position', 'StateInvalid');
    const closed = () => this.state.status === 'closed';
    // Side effects and SLA timers run beside the flow; they only ever end the case by failing it.
    this.recording = true;
    const background = [
      this.effects.run(() => closed() && !this.closing, () => this.timeline.recordsHistory()),
      CancellationScope.nonCancellable(() => this.slas.runTimers(closed)),
    ].map((work) => work.then(() => new Promise<never>(() => undefined)));
    return Promise.race([this.runCase(root, resuming), this.continueAsNewWhenDue(), ...background]);
  }

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

  async runToken(token: Token, resuming: boolean): Promise<StepResult> {
    let resume = resuming;
    for (;;) {
      const step = this.process.steps[token.stepId];
      if (!step) throw ApplicationFailure.nonRetryable(`the case is at step \`${token.stepId}\`, which its definition does not have`, 'StateInvalid');
      if (!resume) {
        const entered = enterStep(step, this.state.visits[step.id] ?? 0, token.branch);
        if (entered.type === 'enter') this.state.visits[step.id] = entered.visits;
        this.record(entered.entry);
        if (entered.type === 'redirect') {
          token.stepId = entered.to;
          continue;
        }
      }
      const result = await runStep(step, token, resume, this);
      resume = false;
      delete token.wait;
      if (result.type === 'end') return result;
      this.record({ type: 'step-left', step: step.id, ...(result.gave !== undefined ? { outcome: result.gave } : {}), ...(result.detail ? { detail: result.detail } : {}) });
      if (result.type === 'branch-done') {
        token.done = true;
        return result;
      }
      token.stepId = result.next;
      const priority = followedPriority(this.state, this.process, (t) => this.evaluate(t));
      if (priority !== undefined) this.state.priority = priority;
      this.changed();
    }
  }

  openTask(spec: TaskSpec, due: DurationSpec | undefined): CaseTask {
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
    const opened = openTask(this.state, spec, dueAt, now);
    this.state.taskCounts[spec.stepId] = opened.count;
    this.state.tasks[opened.task.id] = opened.task;
    this.record(opened.entry);
    return opened.task;
  }

  private async close(outcome: string, cancelled?: Cancellation): Promise<CaseResult> {
    const now = Date.now();
    const cancelledTasks = cancelOpenTasks(this.state);
    cancelledTasks.tasks.forEach((task, i) => {
      this.state.tasks[task.id] = task;
      this.record(cancelledTasks.entries[i] as Entry);
    });
    for (const token of Object.values(this.state.tokens)) token.done = true;
    this.state.status = 'closed';
    this.state.outcome = outcome;
    this.state.closedAt = iso(now);
    if (cancelled) {
      const { reason, ...who } = cancelled;
      this.record({ type: 'case-cancelled', ...who, detail: reason, outcome });
    }
    this.slas.closeAll(now);
    this.record({ type: 'case-closed', outcome });
    this.publisher.publish();
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
      try {
        await condition(() => this.state.status === 'open' && due() && this.atSafePoint() && allHandlersFinished());
      } catch (error) {
        // A Temporal cancellation (`temporal workflow cancel`) cancels this wait too. Before the
        // patch its rejection won the race in run() and the workflow ended Canceled, without
        // closing the case (CaseStatus stayed "open", no `case-cancelled` in the audit trail);
        // now runCase() closes it as cancelled. patched() only on this path: no marker
        // in the history of any case that is never cancelled in Temporal.
        if (isCancellation(error) && takes(this.args, 'temporal-cancel-closes-case')) return new Promise<never>(() => undefined);
        throw error;
      }
      if (this.state.status !== 'open' || !this.atSafePoint()) continue;
      this.record({ type: 'continued-as-new', detail: `run ${this.state.run} ended after ${workflowInfo().historyLength} events` });
      this.state.run += 1;
      return continueAsNew<typeof caseWorkflow>({ ...this.args, state: this.state });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Messages: each validator decides with task-rules.ts, each handler applies a transition.

  private registerHandlers(): void {
    setHandler(caseQuery, () => this.state, { description: 'The case: status, current steps, open tasks, data and timeline' });
    setHandler(progressQuery, (request) => caseProgress(this.state, waitReached(this.state, { ...(request ?? {}), timeoutMs: 0 })), {
      description: 'Where the case is, as waitForTasks answers: open tasks, current steps, status; `reached` for the given wait',
    });
    setHandler(
      completeTaskUpdate,
      (request) => {
        const acting = this.accept(request);
        const completion = completeTask(this.state, this.process, request, acting, Date.now());
        this.state.tasks[completion.task.id] = completion.task;
        if (completion.owner) this.state.owner = completion.owner;
        this.record(completion.entry);
        this.changed();
        return completion.result;
      },
      { validator: (request) => this.guard(request, 'completeTask', (acting) => checkCompletion(this.state, this.process, request, acting, Date.now())), description: 'Complete an open task with one of its outcomes and its form data' },
    );
    setHandler(claimTaskUpdate, (request) => this.assign(request, claimTask(this.state, request, this.accept(request))), {
      validator: (request) => this.guard(request, 'claimTask', (acting) => checkClaim(this.state, this.process, request, acting)),
      description: 'Take an open task of your role',
    });
    setHandler(reassignTaskUpdate, (request) => this.assign(request, reassignTask(this.state, request, this.accept(request))), {
      validator: (request) => this.guard(request, 'reassignTask', (acting) => checkReassign(this.state, this.process, request, acting)),
      description: 'Hand an open task to another person',
    });
    setHandler(
      cancelCaseUpdate,
      (request) => {
        const acting = this.accept(request);
        this.cancellation = { reason: request.reason, ...by(acting) };
        this.caseScope.cancel();
        return { caseId: this.state.caseId, outcome: 'cancelled' as const };
      },
      { validator: (request) => this.guard(request, 'cancelCase', (acting) => checkCancel(this.state, this.process, request, acting)), description: 'Cancel the case, with a reason' },
    );
    setHandler(updateCalendarsUpdate, (request) => this.updateCalendars(request), {
      validator: (request) => this.check(undefined, () => checkCalendarUpdate(this.state, this.process, request)),
      description: 'Take newer versions of the business calendars the case counts with (processes with `calendar-updates: follow`)',
    });
    setHandler(waitForTasksUpdate, (request) => this.waitForTasks(request), {
      validator: (request) => this.check(undefined, () => checkWait(this.state, this.process, request)),
      description: 'Wait until the case has settled, a task is open or a task of a given step is open (at most timeoutMs); answers with the open tasks',
    });
  }

  /**
   * Changes nothing: a caller waits here instead of polling. Answered at once when what it
   * waits for already holds (no command at all); otherwise one timer bounds the wait, so a
   * caller that gives up never leaves the Update in flight for ever (it would hold back
   * continue-as-new and count against Temporal's in-flight Update limit).
   */
  private async waitForTasks(request: WaitForTasksRequest): Promise<CaseProgress> {
    const reached = () => waitReached(this.state, request);
    if (reached()) return caseProgress(this.state, true);
    const what = request.stepId !== undefined ? `a task of step ${request.stepId}` : request.until === 'task' ? 'a task' : 'the case to settle';
    try {
      return caseProgress(this.state, await condition(reached, request.timeoutMs, { summary: `a caller waits for ${what}` }));
    } catch (error) {
      // A Temporal cancellation of the whole workflow cancels the timer too: answer with where the case is.
      if (isCancellation(error)) return caseProgress(this.state, reached());
      throw error;
    }
  }

  private remember(request: RequestIdentity): void {
    this.state.requests = rememberRequest(this.state, request) ?? this.state.requests;
  }

  /**
   * What a handler does first with a person's request the validator let through: the request id
   * remembered, the assertion marked used, keys its endorsements brought trusted from now on.
   * No signature is checked here: handlers also run on replay, where the validator does not.
   */
  private accept(request: RequestIdentity & { actor: unknown }): Acting {
    this.remember(request);
    const acting = presentedActing(request.actor);
    if (this.state.actorKeys !== undefined) {
      const endorsements = isSignedActor(request.actor) ? (request.actor.endorsements ?? []) : [];
      if (endorsements.length > 0) this.state.actorKeys = [...this.state.actorKeys, ...endorsedKeys(this.state.actorKeys, endorsements)];
      this.state.assertionsUsed = rememberAssertion(this.state.assertionsUsed, acting, Date.now());
    }
    return acting;
  }

  private assign<R>(request: RequestIdentity, assignment: { task: CaseTask; entry: Entry; result: R }): R {
    this.state.tasks[assignment.task.id] = assignment.task;
    this.record(assignment.entry);
    this.changed();
    return assignment.result;
  }

  /** A person's request: who sent it is checked first (actor-assertion.ts), then what they ask. */
  private guard(request: RequestIdentity & { actor?: unknown }, update: string, check: (acting: Acting) => unknown): void {
    this.check(request, () => check(actingFor(this.state, request, update, Date.now()).acting));
  }

  /** Runs a validator's checks; a `Rejection` becomes the typed failure the client turns into an error. */
  private check(request: RequestIdentity | undefined, check: () => unknown): void {
    try {
      checkRequestIdentity(this.state, request);
      check();
    } catch (error) {
      if (error instanceof Rejection) {
        throw ApplicationFailure.create({ type: REJECTION_TYPE, message: error.message, details: [{ code: error.code }], nonRetryable: true });
      }
      throw error;
    }
  }

  /** Running SLA clocks move their deadlines to the new calendar; due times already set and started waits do not. */
  private updateCalendars(request: UpdateCalendarsRequest): UpdateCalendarsResult {
    const update = calendarUpdate(this.state.caseId, this.calendars.pinned, request);
    const now = Date.now();
    for (const { name, data, entry } of update.replacements) {
      this.slas.calendarReplaced(name, now, () => this.calendars.replace(name, data));
      this.record(entry);
    }
    this.changed();
    return update.result;
  }

  // -------------------------------------------------------------------------------------------
  // What the step runners and the SLA clocks use (CaseRuntime, SlaHost)

  record(entry: Entry): void {
    this.timeline.record(entry);
  }

  changed(): void {
    this.publisher.schedule();
  }

  expressionContext(): ExpressionContext {
    return expressionContextOf(this.state, this.process, Date.now());
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

  /** Instructions may quote case data and parameters (`${params.returnWindowDays} days`); shown as written if they cannot be filled in. */
  instructionsText(instructions: string): string {
    if (!isTemplate(instructions)) return instructions;
    try {
      return String(this.evaluate(instructions));
    } catch {
      return instructions;
    }
  }

  calendar(name: string | undefined): ClockCalendar | undefined {
    return this.calendars.get(name);
  }

  currentSteps(): string[] {
    return currentSteps(this.state);
  }

  enqueue(effect: Effect): void {
    this.effects.enqueue(effect);
  }

  carriedRecords(): CarriedRecords | undefined {
    if (!revision2(this.args)) return undefined;
    return this.effects.claimRecords();
  }

  openSideTask(spec: TaskSpec): void {
    this.openTask(spec, undefined);
    this.changed();
  }

  raisePriority(priority: string, because: string): void {
    if (this.state.priority === priority) return;
    this.state.priority = priority;
    this.state.priorityRaised = true;
    this.record({ type: 'priority-raised', detail: `${priority}: ${because}` });
    this.changed();
  }

  reassignOpenTasks(role: string, because: string): void {
    const reassigned = reassignOpenTasks(this.state, role, because);
    reassigned.tasks.forEach((task, i) => {
      this.state.tasks[task.id] = task;
      this.record(reassigned.entries[i] as Entry);
    });
    this.changed();
  }

  openEscalationCase(process: string, input: unknown, caseId: string, because: string): void {
    const opening = escalationCase(this.args, this.state, process, input, caseId, because, Date.now());
    this.record(opening.entry);
    this.effects.enqueue(opening.effect);
  }

  /**
   * A case that fails says so in its audit trail (`case-failed`, with the reason), and what it
   * queued for the records before it failed is written first: no audit row is lost on that path.
   * Cases that failed before this replay as they ran (patch `failure-keeps-records`).
   */
  async keepRecordsOfFailure(error: unknown): Promise<void> {
    // Before the effect runner starts (the input was refused), nothing was recorded.
    if (!this.recording || !failsTheCase(error) || !takes(this.args, 'failure-keeps-records')) return;
    this.record({ type: 'case-failed', detail: (error instanceof Error ? error.message : String(error)).slice(0, FAILURE_DETAIL_LENGTH) });
    await condition(() => this.effects.idle);
  }

  fail(message: string): never {
    throw ApplicationFailure.nonRetryable(message, 'StepFailed');
  }
}

/** How much of a failure's message the audit trail keeps. */
const FAILURE_DETAIL_LENGTH = 2000;

/** Runs one case of any process; the worker registers it as the default workflow. */
export async function caseWorkflow(args: CaseArgs): Promise<CaseResult> {
  let run: CaseRun | undefined;
  try {
    run = new CaseRun(args);
    return await run.run();
  } catch (error) {
    publishFailure(error, run?.publisher, args);
    await run?.keepRecordsOfFailure(error);
    throw error;
  }
}

export type { Actor };
