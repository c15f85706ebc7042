/**
 * What travels between services and a running case: the workflow's arguments and result, the
 * Updates people use to act on tasks, and the query that reads a case. Defined once here and
 * imported by both the workflow and the client, so the two cannot drift.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CaseState, CaseStatus, CaseTask } from './case-state.js';
import type { CalendarData, PinnedDefinition } from '../model/pinned.js';
import type { SignedActor, TrustedKey } from './actor-assertion.js';

/**
 * The person acting as a caller named them, before actors were verified: what cases opened
 * before then still accept (and what old histories hold). A case with trusted keys accepts
 * only a `SignedActor` (workflows/actor-assertion.ts), which the client makes.
 */
export interface Actor {
  id: string;
  /** The role the person acts in (`agent`, `manager`...); checked against the task's role. */
  role: string;
  name?: string;
}

/** What a request names as its actor: a signed actor assertion (or, for an old case, a claim). */
export type RequestActor = SignedActor | Actor;

export type { CalendarData, PinnedDefinition, SignedActor, TrustedKey };

export interface CaseArgs {
  caseId: string;
  /** The definition this case runs, for its whole life: later edits of the YAML never reach it. */
  pinned: PinnedDefinition;
  /** Definitions of the processes this case may open as subprocesses, pinned with it. */
  subprocesses?: Record<string, PinnedDefinition>;
  /** The business calendars the case counts working time with, pinned with it. */
  calendars?: Record<string, CalendarData>;
  input: unknown;
  /** Values for the process parameters, over their defaults (checked like the input). */
  parameters?: Record<string, unknown>;
  /** The service agent who received the case and owns it to the end (first-contact responsibility). */
  owner?: string;
  /**
   * The public keys whose actor assertions this case accepts (rotation: newer keys arrive
   * endorsed by these). Absent in cases opened before actors were verified.
   */
  actorKeys?: TrustedKey[];
  /** Set when a case is opened by another case's subprocess step. */
  parent?: { caseId: string; stepId: string };
  /** Operational knobs; none changes what the case does. */
  options?: {
    /** Continue as new once history reaches this many events (Temporal's own suggestion always counts). */
    continueAsNewAfterEvents?: number;
  };
  /** Present only when the case continues as new: where it was, to carry on from there. */
  state?: CaseState;
  /**
   * The interpreter revision the case was opened under (workflows/engine.ts); absent in cases
   * opened before revision 2, which take each change through its patch marker.
   */
  engine?: number;
}

export interface CaseResult {
  caseId: string;
  process: string;
  outcome: string;
  data: Record<string, unknown>;
  closedAt: string;
}

/**
 * What the client adds to every Update so that one request id means one request: the caller's
 * request id and a digest of the request's content. Temporal answers a repeated Update id with
 * the first result; the case refuses the same request id with another content (REQUEST_ID_REUSED).
 */
export interface RequestIdentity {
  requestId?: string;
  /** SHA-256 of the request's canonical JSON without these two fields, computed by the client. */
  digest?: string;
}

export interface CompleteTaskRequest extends RequestIdentity {
  /** The task id (`classify#1`), or the step id when that step has exactly one open task. */
  taskId: string;
  outcome: string;
  /** What the form asks for; validated against the task's form schema. */
  data?: Record<string, unknown>;
  actor: RequestActor;
}

export interface CompleteTaskResult {
  caseId: string;
  taskId: string;
  stepId: string;
  outcome: string;
  completedBy: string;
  completedAt: string;
}

/**
 * What a caller waits for, so that no service has to poll:
 * - `settled` (default): the case has nothing left to compute — every position waits on a
 *   person's task, a timer, a subprocess or branches, or the case is closed;
 * - `task`: some task is open, or the case is closed;
 * - `stepId`: a task of that step is open, or the case is closed.
 */
export interface WaitForTasksRequest {
  until?: 'settled' | 'task';
  /** A step whose task to wait for (a task step, an action that escalates to a role, or `sla:<clock>`). */
  stepId?: string;
  /** How long the case waits at most, in milliseconds (at most `MAX_WAIT_MS`); then it answers with where it is. */
  timeoutMs: number;
}

/** Where a case is, as a waiting caller gets it back. */
export interface CaseProgress {
  caseId: string;
  status: CaseStatus;
  outcome?: string;
  currentSteps: string[];
  /** The tasks open now, in the order they were opened. */
  openTasks: CaseTask[];
  /** The case has nothing left to compute (see `WaitForTasksRequest`). */
  settled: boolean;
  /** What was waited for happened; false when the wait timed out. */
  reached: boolean;
}

/** The longest a case keeps a caller waiting: 10 minutes (an in-flight Update holds back continue-as-new). */
export const MAX_WAIT_MS = 600_000;

export interface ClaimTaskRequest extends RequestIdentity {
  taskId: string;
  actor: RequestActor;
}

export interface ReassignTaskRequest extends RequestIdentity {
  taskId: string;
  /** The person who gets the task. */
  assignee: string;
  actor: RequestActor;
  reason?: string;
}

export interface TaskAssignmentResult {
  caseId: string;
  taskId: string;
  assignee: string;
}

export interface CancelCaseRequest extends RequestIdentity {
  reason: string;
  actor: RequestActor;
}

/** Newer versions of business calendars, for cases whose process follows calendar updates. */
export interface UpdateCalendarsRequest {
  calendars: Record<string, CalendarData>;
}

export interface UpdateCalendarsResult {
  caseId: string;
  /** Calendars the case now counts with, by name: the version it had and the one it has. */
  updated: { calendar: string; from: number; to: number }[];
  /** Calendars of the request the case did not take, and why. */
  kept: { calendar: string; reason: string }[];
}

export const completeTaskUpdate = defineUpdate<CompleteTaskResult, [CompleteTaskRequest]>('completeTask');
export const claimTaskUpdate = defineUpdate<TaskAssignmentResult, [ClaimTaskRequest]>('claimTask');
export const reassignTaskUpdate = defineUpdate<TaskAssignmentResult, [ReassignTaskRequest]>('reassignTask');
export const cancelCaseUpdate = defineUpdate<{ caseId: string; outcome: 'cancelled' }, [CancelCaseRequest]>('cancelCase');
export const updateCalendarsUpdate = defineUpdate<UpdateCalendarsResult, [UpdateCalendarsRequest]>('updateCalendars');
export const waitForTasksUpdate = defineUpdate<CaseProgress, [WaitForTasksRequest]>('waitForTasks');
export const caseQuery = defineQuery<CaseState>('case');
/** Where the case is, as `waitForTasks` would answer, without waiting (a query writes no history). */
export const progressQuery = defineQuery<CaseProgress, [Omit<WaitForTasksRequest, 'timeoutMs'>]>('progress');

/** The failure type of a rejected Update; `details[0]` is `{ code }` with one of `RejectionCode`. */
export const REJECTION_TYPE = 'AftercareRequestRejected';

export type { RejectionCode } from './rejection.js';
