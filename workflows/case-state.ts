import type { ClockEventType, SlaClockState } from './sla-clock.js';

/**
 * The state of a running case: plain data, so it can be queried, carried across
 * continue-as-new, and shown to services by `getCase`.
 */

export type CaseStatus = 'open' | 'closed';

/** What a position in the process is waiting for (absent while it computes). */
export type TokenWait =
  | { kind: 'task'; taskId: string }
  | { kind: 'timer'; until: number }
  | { kind: 'branches'; children: string[] }
  | { kind: 'activity'; activity: string; attempt?: number }
  | { kind: 'subprocess'; caseId: string };

/** A position in the process: the root, or one branch of a parallel step. */
export interface Token {
  id: string;
  stepId: string;
  parent?: string;
  branch?: string;
  done: boolean;
  wait?: TokenWait;
}

export interface CaseTask {
  /** `<step id>#<n>`: n counts the times the step has opened a task, so loops give new ids. */
  id: string;
  stepId: string;
  title: string;
  role: string;
  instructions?: string;
  outcomes: string[];
  assignee?: string;
  openedAt: string;
  dueAt?: string;
  status: 'open' | 'completed' | 'cancelled';
  completedAt?: string;
  completedBy?: string;
  outcome?: string;
  /** The form data submitted with the outcome. */
  data?: Record<string, unknown>;
  /** Tasks opened by the engine itself (a failed action escalated to a role). */
  escalation?: { stepId: string; activity: string; error: string };
}

export type TimelineType =
  | 'case-opened'
  | 'step-entered'
  | 'step-left'
  | 'task-opened'
  | 'task-completed'
  | 'task-claimed'
  | 'task-reassigned'
  | 'task-cancelled'
  | 'action-completed'
  | 'action-failed'
  | 'escalated'
  | 'timer-started'
  | 'timer-fired'
  | 'subprocess-opened'
  | 'subprocess-closed'
  | 'visits-exceeded'
  | 'continued-as-new'
  | 'case-cancelled'
  | 'case-closed'
  | 'case-failed'
  | 'priority-raised'
  | 'calendar-updated'
  | 'effect-failed'
  | `sla-${ClockEventType}`;

export interface TimelineEntry {
  at: string;
  type: TimelineType;
  step?: string;
  /** The SLA clock an `sla-*` entry is about. */
  clock?: string;
  task?: string;
  actor?: string;
  /** For a verified actor: the token their assertion names and the directory version it read their roles at. */
  tokenId?: string;
  directoryVersion?: number;
  outcome?: string;
  detail?: string;
}

export interface CaseState {
  caseId: string;
  process: string;
  version: number;
  hash: string;
  title: string;
  summary?: string;
  status: CaseStatus;
  outcome?: string;
  owner?: string;
  priority?: string;
  /** The parameter values this case runs with: the defaults, and what it was opened with over them. */
  parameters?: Record<string, unknown>;
  /** Set once an SLA escalation raised the priority: from then on it no longer follows `case.priority`. */
  priorityRaised?: boolean;
  customer?: string;
  openedAt: string;
  closedAt?: string;
  input: unknown;
  data: Record<string, unknown>;
  /** The last outcome of each task and subprocess step. */
  outcomes: Record<string, string>;
  visits: Record<string, number>;
  tokens: Record<string, Token>;
  tasks: Record<string, CaseTask>;
  /** Counts tasks opened per step, for task ids. */
  taskCounts: Record<string, number>;
  timeline: TimelineEntry[];
  /** How many timeline entries were dropped to keep the state small (the audit trail keeps all). */
  timelineDropped: number;
  parent?: { caseId: string; stepId: string };
  /** The SLA clocks of the case, by id. */
  slas: Record<string, SlaClockState>;
  /** Runs of this case so far (continue-as-new starts a new run). */
  run: number;
  /** The public keys whose actor assertions the case accepts (absent: opened before actors were verified). */
  actorKeys?: { kid: string; key: string }[];
  /** Actor assertions used on this case, with their expiry (ms): each is good for one request. */
  assertionsUsed?: Record<string, number>;
  /** The digests of the latest requests done, by request id (REQUESTS_REMEMBERED of them), so that an id is not reused for another request. */
  requests?: Record<string, string>;
}

/** How many request ids a case remembers (Temporal allows 2,000 Updates a run). */
export const REQUESTS_REMEMBERED = 2000;

/** Timeline entries kept in the workflow; older ones live in the audit trail only. */
export const TIMELINE_LIMIT = 500;

export function openTasks(state: CaseState): CaseTask[] {
  return Object.values(state.tasks).filter((task) => task.status === 'open');
}

/** The step ids where the case is now: the leaves of its token tree. */
export function currentSteps(state: CaseState): string[] {
  const running = Object.values(state.tokens).filter((token) => !token.done);
  const waitingOnBranches = new Set(running.filter((t) => t.wait?.kind === 'branches').map((t) => t.id));
  return [...new Set(running.filter((t) => !waitingOnBranches.has(t.id)).map((t) => t.stepId))].sort();
}
