/**
 * What happens to a case's tasks, as pure functions: a task opened, completed, claimed, handed
 * on, reassigned by an escalation, cancelled at the close. Each returns the new or changed
 * tasks and the timeline entries to record, changing nothing it is given; the interpreter
 * writes them into the case. The Update validators (task-rules.ts) have already said the
 * request may be done.
 */
import type { CompiledProcess } from '../../model/compiled-process.js';
import type { CaseState, CaseTask } from '../case-state.js';
import type { ClaimTaskRequest, CompleteTaskRequest, CompleteTaskResult, ReassignTaskRequest, TaskAssignmentResult } from '../messages.js';
import { resolveTask } from '../task-rules.js';
import { iso, type Entry } from './entry.js';
import type { Acting } from '../actor-assertion.js';

/** What a task is about: everything but what the case gives it when it opens. */
export type TaskSpec = Omit<CaseTask, 'id' | 'openedAt' | 'status'>;

/** The outcomes of a task opened because an automated step failed. */
export const ESCALATION_OUTCOMES = ['retry', 'handled-manually'];

export interface OpenedTask {
  task: CaseTask;
  /** How many tasks the step has opened now (task ids count them). */
  count: number;
  entry: Entry;
}

export function openTask(state: CaseState, spec: TaskSpec, dueAt: string | undefined, now: number): OpenedTask {
  const count = (state.taskCounts[spec.stepId] ?? 0) + 1;
  const task: CaseTask = { ...spec, id: `${spec.stepId}#${count}`, openedAt: iso(now), status: 'open', ...(dueAt ? { dueAt } : {}) };
  const entry: Entry = { type: 'task-opened', step: spec.stepId, task: task.id, detail: `for ${spec.role}${task.assignee ? ` (assigned to ${task.assignee})` : ''}${dueAt ? `, due ${dueAt}` : ''}` };
  return { task, count, entry };
}

/** The task a failed action becomes for `role`: retry it, or say it was handled by hand. */
export function failedActionTask(step: { id: string; title: string; activity: string }, role: string, instructions: string | undefined, error: string): TaskSpec {
  return {
    stepId: step.id,
    title: `Sort out: ${step.title} failed`,
    role,
    instructions: instructions ?? `The automated step "${step.title}" failed: ${error}. Retry it once the cause is fixed, or do it by hand and mark it handled.`,
    outcomes: ESCALATION_OUTCOMES,
    escalation: { stepId: step.id, activity: step.activity, error },
  };
}

/** Who did it, as the audit trail keeps it: the person, and for a verified one their token and directory version. */
export function by(acting: Acting): { actor: string } & Pick<Entry, 'tokenId' | 'directoryVersion'> {
  return {
    actor: acting.id,
    ...(acting.tokenId !== undefined ? { tokenId: acting.tokenId } : {}),
    ...(acting.directoryVersion !== undefined ? { directoryVersion: acting.directoryVersion } : {}),
  };
}

export interface Completion {
  task: CaseTask;
  /** The case's new owner: a step that assigns to the owner makes whoever completes it the owner of an unowned case. */
  owner?: string;
  entry: Entry;
  result: CompleteTaskResult;
}

export function completeTask(state: CaseState, process: CompiledProcess, request: CompleteTaskRequest, acting: Acting, now: number): Completion {
  const open = resolveTask(state, request.taskId);
  const at = iso(now);
  const task: CaseTask = { ...open, status: 'completed', outcome: request.outcome, completedAt: at, completedBy: acting.id, data: request.data ?? {} };
  const step = process.steps[task.stepId];
  const takesOwnership = !state.owner && step?.kind === 'task' && step.assignToOwner;
  return {
    task,
    ...(takesOwnership ? { owner: acting.id } : {}),
    entry: { type: 'task-completed', step: task.stepId, task: task.id, ...by(acting), outcome: request.outcome },
    result: { caseId: state.caseId, taskId: task.id, stepId: task.stepId, outcome: request.outcome, completedBy: acting.id, completedAt: at },
  };
}

export interface Assignment {
  task: CaseTask;
  entry: Entry;
  result: TaskAssignmentResult;
}

export function claimTask(state: CaseState, request: ClaimTaskRequest, acting: Acting): Assignment {
  const task = { ...resolveTask(state, request.taskId), assignee: acting.id };
  return {
    task,
    entry: { type: 'task-claimed', step: task.stepId, task: task.id, ...by(acting) },
    result: { caseId: state.caseId, taskId: task.id, assignee: acting.id },
  };
}

export function reassignTask(state: CaseState, request: ReassignTaskRequest, acting: Acting): Assignment {
  const before = resolveTask(state, request.taskId);
  const task = { ...before, assignee: request.assignee };
  return {
    task,
    entry: {
      type: 'task-reassigned',
      step: task.stepId,
      task: task.id,
      ...by(acting),
      detail: `${before.assignee ?? 'nobody'} → ${request.assignee}${request.reason ? `: ${request.reason}` : ''}`,
    },
    result: { caseId: state.caseId, taskId: task.id, assignee: request.assignee },
  };
}

/** An escalation hands every open task of another role to `role`, unassigned. */
export function reassignOpenTasks(state: CaseState, role: string, because: string): { tasks: CaseTask[]; entries: Entry[] } {
  const tasks: CaseTask[] = [];
  const entries: Entry[] = [];
  for (const open of Object.values(state.tasks)) {
    if (open.status !== 'open' || open.role === role) continue;
    const from = `${open.role}${open.assignee ? ` (${open.assignee})` : ''}`;
    const { assignee: _dropped, ...task } = { ...open, role };
    tasks.push(task);
    entries.push({ type: 'task-reassigned', step: task.stepId, task: task.id, detail: `${from} → role ${role}: ${because}` });
  }
  return { tasks, entries };
}

/** The case closes: its open tasks are cancelled. */
export function cancelOpenTasks(state: CaseState): { tasks: CaseTask[]; entries: Entry[] } {
  const tasks = Object.values(state.tasks)
    .filter((task) => task.status === 'open')
    .map((task): CaseTask => ({ ...task, status: 'cancelled' }));
  return { tasks, entries: tasks.map((task) => ({ type: 'task-cancelled', step: task.stepId, task: task.id })) };
}
