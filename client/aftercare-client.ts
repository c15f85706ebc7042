/**
 * The typed API services use to open cases, act on tasks and read cases. Every call either
 * does what it says or throws an error that says why, synchronously: bad input never opens a
 * case, and a refused task completion changes nothing.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  Client,
  Connection,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WithStartWorkflowOperation,
  type WorkflowExecutionDescription,
  type WorkflowExecutionInfo,
  type WorkflowHandle,
} from '@temporalio/client';
import type { Payload, PayloadCodec, UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure } from '@temporalio/common';
import { canonicalJson } from '../dsl/json.js';
import { DefinitionRegistry } from '../dsl/load/registry.js';
import type { CaseState, CaseTask } from '../workflows/case-state.js';
import {
  cancelCaseUpdate,
  caseQuery,
  claimTaskUpdate,
  completeTaskUpdate,
  updateCalendarsUpdate,
  reassignTaskUpdate,
  REJECTION_TYPE,
  MAX_WAIT_MS,
  progressQuery,
  waitForTasksUpdate,
  type CaseProgress,
  type CaseResult,
  type CompleteTaskResult,
  type RejectionCode,
  type TaskAssignmentResult,
  type UpdateCalendarsResult,
  type WaitForTasksRequest,
} from '../workflows/messages.js';
import { waitStepProblem } from '../workflows/transitions/progress.js';
import { requestDigest, type SignedActor, type TrustedKey } from '../workflows/actor-assertion.js';
import type { ActAs, ActorIssuer } from './acting.js';
import { caseInputIssues, caseStart, type CaseStart } from '../workflows/case-start.js';
import {
  AssigneesKey,
  CaseIdKey,
  CaseOutcomeKey,
  CaseOwnerKey,
  CaseStatusKey,
  CurrentStepsKey,
  CustomerIdKey,
  DefinitionVersionKey,
  NextDueAtKey,
  PriorityKey,
  ProcessKey,
  SlaDeadlineKey,
  SlaStateKey,
  WaitingOnRolesKey,
} from '../workflows/search-attributes.js';
import { ActorRefusedError, CaseConflictError, CaseFailedError, CaseInputInvalidError, CaseNotFoundError, CaseRetryRefusedError, CaseWaitError, InvalidCaseIdError, RequestRejectedError } from './errors.js';
import { EncryptionCodec, parseCodecKeys } from './payload-codec.js';
import { retryPointOf } from './retry-point.js';

export const DEFAULT_TASK_QUEUE = 'aftercare';

/** How long a wait lasts when the caller does not say: 30 s. */
export const DEFAULT_WAIT_MS = 30_000;

/**
 * What a caller waits for instead of polling:
 * - `'settled'`: the case has nothing left to compute — every position waits on a person's task,
 *   a timer, a subprocess or branches — or it closed;
 * - `'task'`: some task is open (the case reached its first person), or the case closed;
 * - `{ task: stepId }`: a task of that step is open; the case closing first is a `CaseWaitError`.
 */
export type WaitFor = 'settled' | 'task' | { task: string };

export interface WaitOptions {
  /** How long to wait, in milliseconds (default 30 s, at most 10 minutes); then `CaseWaitError` (WAIT_TIMED_OUT). */
  timeoutMs?: number;
}

const caseIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/**
 * The start of a new case as `openCase` sends it: the process's pinned definition, its
 * subprocesses and calendars, and what the caller gave (left out when not given). The one place
 * that says it, for the client and for anything that must start cases exactly as it does (the
 * benchmark).
 */
export function pinnedCaseStart(
  pin: ReturnType<DefinitionRegistry['pin']>,
  caseId: string,
  input: unknown,
  options: Pick<OpenCaseOptions, 'owner' | 'parameters' | 'continueAsNewAfterEvents'>,
  actorKeys: TrustedKey[],
): CaseStart {
  const { pinned, subprocesses, calendars, loaded } = pin;
  return caseStart({
    process: loaded.compiled,
    pinned,
    caseId,
    input,
    ...(Object.keys(subprocesses).length > 0 ? { subprocesses } : {}),
    ...(Object.keys(calendars).length > 0 ? { calendars } : {}),
    ...(options.parameters && Object.keys(options.parameters).length > 0 ? { parameters: options.parameters } : {}),
    ...(options.owner ? { owner: options.owner } : {}),
    ...(options.continueAsNewAfterEvents ? { options: { continueAsNewAfterEvents: options.continueAsNewAfterEvents } } : {}),
    actorKeys,
    now: Date.now(),
  });
}

export interface OpenCaseOptions {
  /** The business id of the case; the same id never opens a second case. Generated when omitted. */
  caseId?: string;
  /** The service agent who received the case and owns it to the end. */
  owner?: string;
  /** Values for process parameters (the numbers the manual leaves open), over their defaults. */
  parameters?: Record<string, unknown>;
  /** Operational: continue as new after this many history events (tests use it). */
  continueAsNewAfterEvents?: number;
  /**
   * Wait for the new case to get this far before returning (its first action may still be
   * running when it opens): the answer's `progress` has the open tasks. One request to
   * Temporal (Update-with-Start); an existing case (an idempotent retry) is waited for too.
   */
  waitFor?: WaitFor;
  /** How long `waitFor` waits, in milliseconds (default 30 s, at most 10 minutes). */
  timeoutMs?: number;
}

export interface OpenedCase {
  caseId: string;
  process: string;
  version: number;
  definitionHash: string;
  runId: string;
  /** False when the case already existed with the same process and input (an idempotent retry). */
  created: boolean;
  summary: string;
  /** With `waitFor`: where the case got to, with its open tasks. */
  progress?: CaseProgress;
}

export interface TaskCompleted extends CompleteTaskResult {
  /** Where the case went after the completion: the tasks open now, or its outcome. Absent with `waitFor: false`, and when the case failed on its next step. */
  progress?: CaseProgress;
}

export interface TaskCompletion {
  outcome: string;
  data?: Record<string, unknown>;
  /** The person completing it: their token (and, optionally, the role they act in). */
  actor: ActAs;
  /** Retrying with the same request id returns the first result instead of acting twice. */
  requestId?: string;
  /**
   * What to wait for after the completion before returning (default `'settled'`: until the
   * next task is open, a wait started or the case closed). `false`: return at once. By
   * default a wait that times out returns `progress` with `settled: false`; a `waitFor` given
   * explicitly throws `CaseWaitError` instead (the completion stands).
   */
  waitFor?: WaitFor | false;
  /** How long `waitFor` waits, in milliseconds (default 30 s, at most 10 minutes). */
  timeoutMs?: number;
}

export interface CaseView extends CaseState {
  /** Temporal's view of the workflow: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED... */
  workflowStatus: string;
  runId: string;
  /** Why the case failed (when `workflowStatus` is FAILED): the message and the failure type (ActionFailed, StepFailed...). */
  failure?: { message: string; type?: string };
}

export interface RetryOptions {
  /** Why the case is retried (what was fixed); recorded in the new run's history with the reset. */
  reason?: string;
  /**
   * The reset's request id (default: one per failed run). Temporal does not refuse a second
   * reset of the same failed run by it (seen on server 1.32); what stops a second retry is that
   * the case's newest run is then no longer the failed one (CASE_NOT_FAILED).
   */
  requestId?: string;
}

export interface RetriedCase {
  caseId: string;
  /** The run that failed; it stays in the history of the case as a failed run. */
  failedRunId: string;
  /** The run that goes on from before the failed step. */
  runId: string;
  /** The event of the failed run the case was reset to (a WorkflowTaskCompleted). */
  resetEventId: number;
  /** The step that runs again, when an action failed. */
  stepId?: string;
  /** The failure the case is retried from. */
  failure: string;
}

/** ResetReapplyType.RESET_REAPPLY_TYPE_ALL_ELIGIBLE (temporal.api.enums.v1): requests after the reset point are applied again. */
const REAPPLY_ALL_ELIGIBLE = 3;

export interface CaseFilter {
  process?: string;
  /** `failed`: cases whose workflow failed (a step that could not go on); docs/operators.md says how to recover one. */
  status?: 'open' | 'closed' | 'failed';
  /** Cases with an open task for this role. */
  role?: string;
  customer?: string;
  step?: string;
  owner?: string;
  assignee?: string;
  /** Extra visibility query, ANDed with the rest. */
  query?: string;
  limit?: number;
}

export interface CaseSummary {
  caseId: string;
  process: string;
  version: number | undefined;
  status: string | undefined;
  outcome: string | undefined;
  currentSteps: string[];
  waitingOnRoles: string[];
  assignees: string[];
  priority: string | undefined;
  customer: string | undefined;
  owner: string | undefined;
  nextDueAt: string | undefined;
  slaState: string | undefined;
  slaDeadline: string | undefined;
  workflowStatus: string;
  /** The run listed (a case's runs: one per continue-as-new and per retry). */
  runId: string;
  openedAt: string;
  closedAt: string | undefined;
}

export interface ConnectOptions {
  address: string;
  namespace?: string;
  taskQueue?: string;
  definitionsDir: string;
  /** The codec that encrypts case data in Temporal (client/payload-codec.ts): the same keys as the worker's. */
  payloadCodec?: PayloadCodec;
  /**
   * The worker's keys instead of a codec: `id:base64key,...` as in AFTERCARE_CODEC_KEYS, or the
   * text of a key file (`npm start` writes `.data/codec-keys`). Ignored when `payloadCodec` is given.
   */
  codecKeys?: string;
  /** Acting for people: identity verification, the staff directory and the actor keys (`actingFromEnv` builds it). */
  acting?: ActorIssuer;
  /** Without `acting`: the public actor keys cases opened by this client trust (a service that opens cases and never acts). */
  trustedKeys?: TrustedKey[];
}

/** What a client is made with besides Temporal and the definitions. */
export interface ClientOptions {
  taskQueue?: string;
  acting?: ActorIssuer;
  trustedKeys?: TrustedKey[];
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export class AftercareClient {
  readonly taskQueue: string;
  private readonly acting: ActorIssuer | undefined;
  private readonly trustedKeys: TrustedKey[] | undefined;
  /** The process of each case acted on: a case never changes process. */
  private readonly processes = new Map<string, string>();

  constructor(
    readonly temporal: Client,
    readonly registry: DefinitionRegistry,
    options: ClientOptions = {},
  ) {
    this.taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
    this.acting = options.acting;
    this.trustedKeys = options.trustedKeys ?? options.acting?.trustedKeys();
  }

  /** Connects to Temporal and loads the definitions (throws if any is invalid). */
  static async connect(options: ConnectOptions): Promise<AftercareClient> {
    const registry = await DefinitionRegistry.load([options.definitionsDir]);
    const connection = await Connection.connect({ address: options.address });
    const payloadCodec = options.payloadCodec ?? (options.codecKeys !== undefined ? new EncryptionCodec(parseCodecKeys(options.codecKeys, 'codecKeys')) : undefined);
    const temporal = new Client({ connection, namespace: options.namespace ?? 'default', ...(payloadCodec ? { dataConverter: { payloadCodecs: [payloadCodec] } } : {}) });
    return new AftercareClient(temporal, registry, {
      ...(options.taskQueue ? { taskQueue: options.taskQueue } : {}),
      ...(options.acting ? { acting: options.acting } : {}),
      ...(options.trustedKeys ? { trustedKeys: options.trustedKeys } : {}),
    });
  }

  async close(): Promise<void> {
    await this.temporal.connection.close();
  }

  /**
   * Opens a case of `process` with `input`. Idempotent: opening the same case id again with the
   * same process and input returns the existing case (`created: false`); with a different one it
   * throws `CaseConflictError`. Invalid input throws `CaseInputInvalidError` and opens nothing.
   */
  async openCase(process: string, input: unknown, options: OpenCaseOptions = {}): Promise<OpenedCase> {
    const pin = this.registry.pin(process);
    const { loaded } = pin;
    const caseId = options.caseId ?? `${process}-${randomUUID().slice(0, 8)}`;
    if (!caseIdPattern.test(caseId)) throw new InvalidCaseIdError(caseId);
    // A case trusts the actor keys it opens with; a case without them would take any caller's word for who acts.
    const actorKeys = this.trustedKeys;
    if (!actorKeys || actorKeys.length === 0) {
      throw new ActorRefusedError('ACTING_NOT_CONFIGURED', `case ${caseId} was not opened: this client has no actor keys, so nobody could be verified acting on the case (configure AFTERCARE_ACTOR_KEYS_FILE, or pass \`acting\` or \`trustedKeys\`)`);
    }
    const issues = caseInputIssues(loaded.compiled, loaded.definition, input, options.parameters);
    if (issues.length > 0) throw new CaseInputInvalidError(process, caseId, issues);
    const inputHash = createHash('sha256').update(canonicalJson({ input: input ?? null, parameters: options.parameters ?? {} })).digest('hex');
    const start = pinnedCaseStart(pin, caseId, input, options, actorKeys);
    const wait = options.waitFor !== undefined ? this.waitRequest(process, caseId, options.waitFor, options.timeoutMs) : undefined;
    const workflowOptions = {
      workflowId: caseId,
      taskQueue: this.taskQueue,
      args: [start.args],
      typedSearchAttributes: start.searchAttributes,
      // The process and the input's hash let a second openCase with the same id tell "the same case" from a conflict.
      memo: { ...start.memo, process, inputHash },
      // Rendered as markdown by the Web UI: what the caller wrote must stay text.
      staticSummary: start.staticSummary,
      staticDetails: start.details,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
    } as const;
    const opened = { caseId, process, version: loaded.compiled.version, definitionHash: loaded.hash, created: true, summary: start.summary };
    try {
      if (!wait) {
        const handle = await this.temporal.workflow.start(process, workflowOptions);
        return { ...opened, runId: handle.firstExecutionRunId };
      }
      // Update-with-Start: the case opens and the wait is delivered with its first workflow
      // task, in one request; the answer comes when the case got there (or the wait timed out).
      const startWorkflowOperation = new WithStartWorkflowOperation(process, workflowOptions);
      const update = await this.temporal.workflow.startUpdateWithStart(waitForTasksUpdate, { args: [wait.request], startWorkflowOperation, waitForStage: 'ACCEPTED' });
      const runId = update.workflowRunId ?? '';
      let progress: CaseProgress;
      try {
        progress = await update.result();
      } catch (error) {
        // The case opened; only the wait failed (the case closed or failed at once): answer as a wait on it would.
        progress = await this.closedProgress(caseId, error);
      }
      return { ...opened, runId, progress: this.waited(caseId, wait, progress, undefined, 'opened') };
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      const existing = await this.temporal.workflow.getHandle(caseId).describe();
      const memo = existing.memo ?? {};
      if (existing.type !== process || memo.inputHash !== inputHash) {
        throw new CaseConflictError(
          caseId,
          existing.type !== process
            ? `case id ${caseId} is already used by a ${existing.type} case; choose another id`
            : `case ${caseId} was already opened with different input; a case id opens one case only`,
        );
      }
      return {
        caseId,
        process,
        version: Number(memo.definitionVersion),
        definitionHash: String(memo.definitionHash),
        runId: existing.runId,
        created: false,
        summary: start.summary,
        ...(wait ? { progress: await this.waitOn(caseId, wait, undefined, 'already open') } : {}),
      };
    }
  }

  /**
   * Waits, without polling, until the case has got this far, and returns where it is: its open
   * tasks, current steps, status and outcome. Throws `CaseWaitError` when the wait times out
   * (WAIT_TIMED_OUT) or, waiting for a step's task, when the case closes first (CASE_CLOSED);
   * a step whose task the process never opens is refused before waiting (STEP_OPENS_NO_TASK).
   * Waiting changes nothing in the case.
   */
  async waitFor(caseId: string, waitFor: WaitFor = 'settled', options: WaitOptions = {}): Promise<CaseProgress> {
    // The case checks the step itself (STEP_OPENS_NO_TASK): nothing to protect by asking first.
    return this.waitOn(caseId, this.waitRequest(undefined, caseId, waitFor, options.timeoutMs));
  }

  /** Waits until a task of `stepId` is open (see `waitFor`) and returns that task. */
  async waitForTask(caseId: string, stepId: string, options: WaitOptions = {}): Promise<CaseTask> {
    const progress = await this.waitFor(caseId, { task: stepId }, options);
    const task = progress.openTasks.find((t) => t.stepId === stepId);
    if (!task) throw new Error(`case ${caseId} answered the wait for step ${stepId} without a task of it`);
    return task;
  }

  private async processOf(caseId: string): Promise<string> {
    const known = this.processes.get(caseId);
    if (known) return known;
    try {
      const process = (await this.handle(caseId).describe()).type;
      this.processes.set(caseId, process);
      return process;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new CaseNotFoundError(caseId);
      throw error;
    }
  }

  /**
   * The Update's request for a wait. With the process known, a step that opens no task is
   * refused here, before a case is opened or a task completed.
   */
  private waitRequest(process: string | undefined, caseId: string, waitFor: WaitFor, timeoutMs = DEFAULT_WAIT_MS): PendingWait {
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_WAIT_MS) {
      throw new RangeError(`a wait lasts from 1 ms to ${MAX_WAIT_MS / 60_000} minutes, not ${String(timeoutMs)} ms`);
    }
    if (typeof waitFor === 'object') {
      const problem = process !== undefined && this.registry.has(process) ? waitStepProblem(this.registry.get(process).compiled, caseId, waitFor.task) : undefined;
      if (problem) throw new RequestRejectedError(caseId, 'STEP_OPENS_NO_TASK', problem);
      return { waitFor, timeoutMs, request: { stepId: waitFor.task, timeoutMs } };
    }
    return { waitFor, timeoutMs, request: { until: waitFor, timeoutMs } };
  }

  /** Sends the wait to a running case; a case already closed answers from Temporal's record of it. */
  private async waitOn(caseId: string, wait: PendingWait, completed?: CompleteTaskResult, opened?: 'already open'): Promise<CaseProgress> {
    let progress: CaseProgress | undefined;
    try {
      // Most often the case is already there (the completion's own workflow task moved it on
      // to the next task): a query answers that without a single event in the case's history.
      // The Update only when the case still has to get there.
      const { timeoutMs: _timeout, ...what } = wait.request;
      const now = await this.handle(caseId).query(progressQuery, what).catch(() => undefined);
      progress = now?.reached ? now : await this.update(caseId, waitForTasksUpdate, wait.request, undefined);
    } catch (error) {
      progress = await this.closedProgress(caseId, error);
    }
    return this.waited(caseId, wait, progress, completed, opened);
  }

  /** The progress of a case that could not take a wait because it is closed; other errors are thrown. */
  private async closedProgress(caseId: string, error: unknown): Promise<CaseProgress> {
    const description = await this.handle(caseId).describe().catch(() => undefined);
    if (!description || description.status.name === 'RUNNING') throw error;
    if (description.status.name === 'FAILED') {
      const failure = await this.failureOf(caseId, description.runId);
      throw new CaseFailedError(caseId, failure?.message ?? 'the case failed', failure?.type);
    }
    if (description.status.name !== 'COMPLETED') throw error instanceof RequestRejectedError ? error : new RequestRejectedError(caseId, 'CASE_CLOSED', `case ${caseId} is closed (${description.status.name})`);
    const outcome = description.typedSearchAttributes.get(CaseOutcomeKey);
    return { caseId, status: 'closed', ...(outcome ? { outcome } : {}), currentSteps: [], openTasks: [], settled: true, reached: true };
  }

  /** The answer of a wait, or the `CaseWaitError` that says why it did not see what it waited for. */
  private waited(caseId: string, wait: PendingWait, progress: CaseProgress, completed?: CompleteTaskResult, opened?: 'opened' | 'already open'): CaseProgress {
    const what = typeof wait.waitFor === 'object' ? `a task of step \`${wait.waitFor.task}\`` : wait.waitFor === 'task' ? 'an open task' : 'the case to settle';
    const done = completed
      ? `task \`${completed.taskId}\` was completed with outcome \`${completed.outcome}\`, but `
      : opened === 'opened'
        ? 'the case was opened, but '
        : opened === 'already open'
          ? 'the case was already open, and '
          : '';
    if (!progress.reached) {
      const tasks = progress.openTasks.map((t) => `\`${t.id}\``).join(', ') || 'none';
      throw new CaseWaitError(
        caseId,
        'WAIT_TIMED_OUT',
        `${done}waited ${seconds(wait.timeoutMs)} for ${what} in vain: the case is at ${progress.currentSteps.map((s) => `\`${s}\``).join(', ') || 'no step'}${progress.settled ? '' : ' (still working)'}, open tasks: ${tasks}`,
        progress,
        completed,
      );
    }
    if (typeof wait.waitFor === 'object' && progress.status === 'closed') {
      throw new CaseWaitError(caseId, 'CASE_CLOSED', `${done}the case closed with outcome \`${progress.outcome ?? 'unknown'}\` before ${what} opened`, progress, completed);
    }
    return progress;
  }

  private handle(caseId: string): WorkflowHandle {
    return this.temporal.workflow.getHandle(caseId);
  }

  /**
   * Sends an Update, retrying with the same update id when the server aborted it because the
   * workflow task carrying it failed (for instance a completion rejected as UnhandledCommand
   * when new events arrived): the retry is answered once, thanks to the update id.
   */
  private async update<Ret, Arg extends object>(caseId: string, definition: UpdateDefinition<Ret, [Arg]>, request: Omit<Arg, 'actor'>, requestId: string | undefined, actAs?: ActAs): Promise<Ret> {
    // One request id means one request: the digest goes with it (the case refuses the same id
    // with another content, REQUEST_ID_REUSED) and into the Update id, so that only a true
    // repeat of the request is answered by Temporal with the first result. The digest leaves
    // the actor out: a retry carries a new assertion for the same request.
    const digest = requestDigest(request);
    const updateId = requestId ? `${requestId}:${digest.slice(0, 16)}` : randomUUID();
    const identity = { requestId: requestId ?? updateId, digest };
    const actor = actAs !== undefined ? await this.signedActor(caseId, definition.name, identity, actAs) : undefined;
    const args = [{ ...request, ...(actor ? { actor } : {}), ...identity }] as unknown as [Arg];
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.handle(caseId).executeUpdate(definition, { args, updateId });
      } catch (error) {
        if (attempt < 5 && isAbortedByWorkflowTaskFailure(error)) {
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
          continue;
        }
        return this.rejected(caseId, error);
      }
    }
  }

  /** The actor assertion for one request: the person's token verified, their roles read from the directory. */
  private async signedActor(caseId: string, update: string, identity: { requestId: string; digest: string }, actAs: ActAs): Promise<SignedActor> {
    if (!this.acting) {
      throw new ActorRefusedError('ACTING_NOT_CONFIGURED', 'this client cannot act for people: it was made without identity verification, a staff directory and actor keys (`acting`)');
    }
    const process = await this.processOf(caseId);
    const processRoles = this.registry.has(process) ? Object.keys(this.registry.get(process).compiled.roles) : undefined;
    return this.acting.issue(actAs, { process, ...(processRoles ? { processRoles } : {}), caseId, update, ...identity });
  }

  /** Turns Temporal's failures of an Update into the client's errors. */
  private async rejected(caseId: string, error: unknown): Promise<never> {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === REJECTION_TYPE) {
      const code = ((error.cause.details?.[0] as { code?: RejectionCode } | undefined)?.code ?? 'REQUEST_INVALID') as RejectionCode;
      throw new RequestRejectedError(caseId, code, error.cause.message);
    }
    if (error instanceof WorkflowNotFoundError) {
      const closed = await this.handle(caseId).describe().then(
        (d) => d,
        () => undefined,
      );
      if (!closed) throw new CaseNotFoundError(caseId);
      throw new RequestRejectedError(caseId, 'CASE_CLOSED', `case ${caseId} is closed (${closed.status.name}); its tasks can no longer change`);
    }
    throw error;
  }

  /**
   * Completes a task with an outcome and form data, as `actor`, and returns where the case went
   * (`progress`: the tasks open now), waiting until it settled (see `TaskCompletion.waitFor`).
   * Rejections throw `RequestRejectedError`, and nothing changed.
   */
  async completeTask(caseId: string, taskId: string, completion: TaskCompletion): Promise<TaskCompleted> {
    const request = { taskId, outcome: completion.outcome, ...(completion.data ? { data: completion.data } : {}) };
    const waitFor = completion.waitFor === false ? undefined : (completion.waitFor ?? 'settled');
    // A step to wait for is checked before the completion, so that a wrong one completes nothing.
    const process = typeof waitFor === 'object' ? await this.processOf(caseId) : undefined;
    const wait = waitFor !== undefined ? this.waitRequest(process, caseId, waitFor, completion.timeoutMs) : undefined;
    const completed = await this.update(caseId, completeTaskUpdate, request, completion.requestId, completion.actor);
    if (!wait) return completed;
    try {
      return { ...completed, progress: await this.waitOn(caseId, wait, completed) };
    } catch (error) {
      // The default wait is a courtesy: the completion stands whatever the wait sees. Timed
      // out, say where the case is; the case failed on its next step, say nothing more here
      // (getCase and result() tell why).
      if (completion.waitFor === undefined && error instanceof CaseWaitError && error.code === 'WAIT_TIMED_OUT') return { ...completed, progress: error.progress };
      if (completion.waitFor === undefined && error instanceof CaseFailedError) return completed;
      throw error;
    }
  }

  /** Takes an open task of the person's role. */
  claimTask(caseId: string, taskId: string, actor: ActAs, requestId?: string): Promise<TaskAssignmentResult> {
    return this.update(caseId, claimTaskUpdate, { taskId }, requestId, actor);
  }

  /** Hands a task to another person within the role. */
  reassignTask(caseId: string, taskId: string, assignee: string, actor: ActAs, options: { reason?: string; requestId?: string } = {}): Promise<TaskAssignmentResult> {
    return this.update(caseId, reassignTaskUpdate, { taskId, assignee, ...(options.reason ? { reason: options.reason } : {}) }, options.requestId, actor);
  }

  /** Cancels an open case with a reason; it closes with outcome `cancelled`. */
  cancelCase(caseId: string, reason: string, actor: ActAs, requestId?: string): Promise<{ caseId: string; outcome: 'cancelled' }> {
    return this.update(caseId, cancelCaseUpdate, { reason }, requestId, actor);
  }

  /**
   * Gives the open cases of processes with `calendar-updates: follow` the newest versions of
   * their calendars in this client's definitions (after a calendar file was updated, e.g. with
   * next year's official holidays). Cases of `keep` processes are not touched. A case compares
   * versions itself, so pushing twice changes nothing more (and says so).
   */
  async pushCalendars(): Promise<{ caseId: string; process: string; result?: UpdateCalendarsResult; error?: string }[]> {
    const outcomes: { caseId: string; process: string; result?: UpdateCalendarsResult; error?: string }[] = [];
    for (const process of this.registry.processes()) {
      const loaded = this.registry.get(process);
      if (loaded.compiled.calendarUpdates !== 'follow') continue;
      const { calendars } = this.registry.pin(process);
      if (Object.keys(calendars).length === 0) continue;
      for (const summary of await this.listCases({ process, status: 'open', limit: 10_000 })) {
        try {
          outcomes.push({ caseId: summary.caseId, process, result: await this.update(summary.caseId, updateCalendarsUpdate, { calendars }, undefined) });
        } catch (error) {
          outcomes.push({ caseId: summary.caseId, process, error: (error as Error).message });
        }
      }
    }
    return outcomes;
  }

  /** The case: status, current steps, open tasks (role, due time), case data and timeline. */
  async getCase(caseId: string): Promise<CaseView> {
    const handle = this.handle(caseId);
    for (let attempt = 1; ; attempt++) {
      try {
        // A query answers in milliseconds when a worker is up; the deadline turns a lost one
        // (seen right after a continue-as-new) into one retry instead of a hang.
        const [state, description] = await this.temporal.connection.withDeadline(Date.now() + 5000, () => Promise.all([handle.query(caseQuery), handle.describe()]));
        const failure = description.status.name === 'FAILED' ? await this.failureOf(caseId, description.runId) : undefined;
        return { ...state, workflowStatus: description.status.name, runId: description.runId, ...(failure ? { failure } : {}) };
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) throw new CaseNotFoundError(caseId);
        if (attempt < 3 && isDeadlineExceeded(error)) continue;
        if (isDeadlineExceeded(error)) throw new Error(`case ${caseId} did not answer within 5 s (is a worker running on task queue ${this.taskQueue}?)`);
        throw error;
      }
    }
  }

  /** Why a failed run failed: the failure of its close event. */
  private async failureOf(caseId: string, runId: string): Promise<{ message: string; type?: string } | undefined> {
    try {
      await this.temporal.workflow.getHandle(caseId, runId, { followRuns: false }).result();
      return undefined;
    } catch (error) {
      if (!(error instanceof WorkflowFailedError)) return undefined;
      const cause = error.cause;
      const type = cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
      return { message: cause?.message ?? error.message, ...(type ? { type } : {}) };
    }
  }

  /**
   * Runs the step a failed case failed at again, once its cause is fixed: Temporal resets the
   * case's failed run to the workflow task that scheduled the failed activity (for other
   * failures, to the task that failed the case), and the case goes on as the same case id in a
   * new run. Requests people made after that point (task completions, claims, cancellations)
   * are applied again and checked again. Records already written are not written twice: every
   * activity writes once per step visit, and the audit trail once per timeline entry.
   * Refusals throw `CaseRetryRefusedError` (CASE_NOT_FOUND, CASE_NOT_FAILED, CASE_NOT_RESETTABLE).
   */
  async retryCase(caseId: string, options: RetryOptions = {}): Promise<RetriedCase> {
    let description: WorkflowExecutionDescription;
    try {
      description = await this.handle(caseId).describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new CaseRetryRefusedError(caseId, 'CASE_NOT_FOUND', `there is no case ${caseId}`);
      throw error;
    }
    const failedRunId = description.runId;
    const status = description.status.name;
    if (status === 'RUNNING') throw new CaseRetryRefusedError(caseId, 'CASE_NOT_FAILED', `case ${caseId} is still running (run ${failedRunId}); only a failed case can be retried`);
    if (status === 'COMPLETED') {
      const outcome = description.typedSearchAttributes.get(CaseOutcomeKey);
      throw new CaseRetryRefusedError(caseId, 'CASE_NOT_FAILED', `case ${caseId} closed normally${outcome ? ` with outcome ${outcome}` : ''}; only a failed case can be retried`);
    }
    if (status !== 'FAILED') {
      throw new CaseRetryRefusedError(caseId, 'CASE_NOT_FAILED', `case ${caseId} did not fail: its workflow is ${status.toLowerCase().replace(/_/g, ' ')}; only a failed case can be retried (docs/operators.md: temporal workflow reset)`);
    }
    const converter = this.temporal.options.loadedDataConverter;
    const read = async (payload: Payload) => {
      let decoded = payload;
      for (const codec of [...converter.payloadCodecs].reverse()) [decoded] = (await codec.decode([decoded])) as [Payload];
      return converter.payloadConverter.fromPayload(decoded);
    };
    const point = await retryPointOf(await this.temporal.workflow.getHandle(caseId, failedRunId).fetchHistory(), read);
    if (!point) throw new CaseRetryRefusedError(caseId, 'CASE_NOT_RESETTABLE', `case ${caseId} failed before any workflow task completed; there is no point to retry it from`);
    type ResetRequest = Parameters<Client['workflowService']['resetWorkflowExecution']>[0];
    const request: ResetRequest = {
      namespace: this.temporal.options.namespace,
      workflowExecution: { workflowId: caseId, runId: failedRunId },
      reason: `aftercare case retry: ${options.reason ?? 'the cause of the failure was fixed'}`,
      // int64 on the wire; protobufjs takes a number for it.
      workflowTaskFinishEventId: point.eventId as unknown as ResetRequest['workflowTaskFinishEventId'],
      requestId: options.requestId ?? `aftercare-retry:${failedRunId}`,
      resetReapplyType: REAPPLY_ALL_ELIGIBLE,
      identity: 'aftercare case retry',
    };
    let runId: string;
    try {
      runId = (await this.temporal.workflowService.resetWorkflowExecution(request)).runId ?? '';
    } catch (error) {
      const details = (error as { details?: string }).details ?? (error as Error).message;
      throw new CaseRetryRefusedError(caseId, 'CASE_NOT_RESETTABLE', `Temporal could not reset case ${caseId} to event ${point.eventId}: ${details}`);
    }
    return { caseId, failedRunId, runId, resetEventId: point.eventId, ...(point.stepId ? { stepId: point.stepId } : {}), failure: point.failure };
  }

  /** Waits for the case to close and returns its outcome and data; a failed case throws `CaseFailedError`. */
  async result(caseId: string): Promise<CaseResult> {
    try {
      return (await this.handle(caseId).result()) as CaseResult;
    } catch (error) {
      if (error instanceof WorkflowFailedError) {
        const cause = error.cause;
        throw new CaseFailedError(caseId, cause?.message ?? error.message, cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined);
      }
      if (error instanceof WorkflowNotFoundError) throw new CaseNotFoundError(caseId);
      throw error;
    }
  }

  /** The visibility query for a filter (shown by `aftercare case list --explain`). */
  static queryFor(filter: CaseFilter): string {
    const clauses = ['CaseId IS NOT NULL'];
    if (filter.process) clauses.push(`Process = ${quote(filter.process)}`);
    if (filter.status) clauses.push(`CaseStatus = ${quote(filter.status)}`);
    if (filter.role) clauses.push(`WaitingOnRoles = ${quote(filter.role)}`);
    if (filter.customer) clauses.push(`CustomerId = ${quote(filter.customer)}`);
    if (filter.step) clauses.push(`CurrentSteps = ${quote(filter.step)}`);
    if (filter.owner) clauses.push(`CaseOwner = ${quote(filter.owner)}`);
    if (filter.assignee) clauses.push(`Assignees = ${quote(filter.assignee)}`);
    if (filter.query) clauses.push(`(${filter.query})`);
    // No ORDER BY: SQL visibility stores (the dev server's SQLite, PostgreSQL) refuse it and
    // already list the newest cases first.
    return clauses.join(' AND ');
  }

  /** Lists cases through Temporal visibility (eventually consistent: a second or so behind). */
  async listCases(filter: CaseFilter = {}): Promise<CaseSummary[]> {
    const limit = filter.limit ?? 100;
    const summaries: CaseSummary[] = [];
    const query = AftercareClient.queryFor(filter);
    try {
      for await (const info of this.temporal.workflow.list({ query, pageSize: Math.min(limit, 1000) })) {
        summaries.push(summarise(info));
        if (summaries.length >= limit) break;
      }
    } catch (error) {
      const cause = (error as { cause?: { details?: string; message?: string } }).cause;
      throw new Error(`listing cases failed for query \`${query}\`: ${cause?.details ?? cause?.message ?? (error as Error).message}`);
    }
    if (filter.status === 'failed') return this.withoutRetried(summaries);
    return summaries;
  }

  /**
   * A failed run stays in visibility after `retryCase` (the case goes on in a new run): only
   * the runs that are still their case's latest are failed cases.
   */
  private async withoutRetried(summaries: CaseSummary[]): Promise<CaseSummary[]> {
    const latest = await Promise.all(summaries.map((summary) => this.handle(summary.caseId).describe().then((d) => d.runId, () => summary.runId)));
    return summaries.filter((summary, i) => latest[i] === summary.runId);
  }
}

interface PendingWait {
  waitFor: WaitFor;
  timeoutMs: number;
  request: WaitForTasksRequest;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function isDeadlineExceeded(error: unknown): boolean {
  const code = (error as { code?: number; cause?: { code?: number } })?.code ?? (error as { cause?: { code?: number } })?.cause?.code;
  return code === 4 || /DEADLINE_EXCEEDED|deadline exceeded/i.test(String((error as Error)?.message ?? ''));
}

function isAbortedByWorkflowTaskFailure(error: unknown): boolean {
  const details = (error as { cause?: { details?: unknown } })?.cause?.details;
  return typeof details === 'string' && details.includes('unexpected workflow task failure');
}

function summarise(info: WorkflowExecutionInfo): CaseSummary {
  const sa = info.typedSearchAttributes;
  const date = (value: Date | undefined) => value?.toISOString();
  return {
    caseId: sa.get(CaseIdKey) ?? info.workflowId,
    process: sa.get(ProcessKey) ?? info.type,
    version: sa.get(DefinitionVersionKey),
    status: sa.get(CaseStatusKey),
    outcome: sa.get(CaseOutcomeKey),
    currentSteps: sa.get(CurrentStepsKey) ?? [],
    waitingOnRoles: sa.get(WaitingOnRolesKey) ?? [],
    assignees: sa.get(AssigneesKey) ?? [],
    priority: sa.get(PriorityKey),
    customer: sa.get(CustomerIdKey),
    owner: sa.get(CaseOwnerKey),
    nextDueAt: date(sa.get(NextDueAtKey)),
    slaState: sa.get(SlaStateKey),
    slaDeadline: date(sa.get(SlaDeadlineKey)),
    workflowStatus: info.status.name,
    runId: info.runId,
    openedAt: info.startTime.toISOString(),
    closedAt: date(info.closeTime),
  };
}
