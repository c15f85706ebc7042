/**
 * Whether a case has got where a waiting caller wants it (`waitForTasks`): pure functions of
 * the case state, so the Update handler's condition and the unit tests decide alike.
 */
import type { CompiledProcess } from '../../model/compiled-process.js';
import { currentSteps, openTasks, type CaseState } from '../case-state.js';
import type { CaseProgress, WaitForTasksRequest } from '../messages.js';

/**
 * Nothing left to compute: the case is closed, or every running position waits on a person's
 * open task, a timer, a subprocess or its branches. A position running an action, or one whose
 * task was just completed and has not moved on yet, is not settled.
 */
export function hasSettled(state: CaseState): boolean {
  if (state.status === 'closed') return true;
  return Object.values(state.tokens).every((token) => {
    if (token.done) return true;
    const wait = token.wait;
    if (!wait) return false;
    switch (wait.kind) {
      case 'task':
        return state.tasks[wait.taskId]?.status === 'open';
      case 'timer':
      case 'branches':
      case 'subprocess':
        return true;
      case 'activity':
        return false;
    }
  });
}

/** What the request waits for has happened (a closed case ends every wait). */
export function waitReached(state: CaseState, request: WaitForTasksRequest): boolean {
  if (state.status === 'closed') return true;
  if (request.stepId !== undefined) return openTasks(state).some((task) => task.stepId === request.stepId);
  if (request.until === 'task') return openTasks(state).length > 0;
  return hasSettled(state);
}

/** The answer to a waiting caller. */
export function caseProgress(state: CaseState, reached: boolean): CaseProgress {
  return {
    caseId: state.caseId,
    status: state.status,
    ...(state.outcome !== undefined ? { outcome: state.outcome } : {}),
    currentSteps: state.status === 'closed' ? [] : currentSteps(state),
    openTasks: openTasks(state),
    settled: hasSettled(state),
    reached,
  };
}

/**
 * The step ids whose tasks a case of `process` can open: its task steps, its actions that
 * escalate a failure to a role, and `sla:<clock>` for SLA rungs that open a task.
 */
export function taskStepIds(process: CompiledProcess): string[] {
  const steps = Object.values(process.steps)
    .filter((step) => step.kind === 'task' || (step.kind === 'action' && 'escalate' in step.onFailure))
    .map((step) => step.id);
  const clocks = process.slas.filter((sla) => sla.escalations.some((rung) => rung.task)).map((sla) => `sla:${sla.id}`);
  return [...steps, ...clocks];
}

/** Why a case of `process` cannot wait for a task of `stepId`, or undefined when it can. */
export function waitStepProblem(process: CompiledProcess, caseId: string, stepId: unknown): string | undefined {
  const steps = taskStepIds(process);
  if (typeof stepId === 'string' && steps.includes(stepId)) return undefined;
  const what = typeof stepId === 'string' && process.steps[stepId] ? `step \`${stepId}\` of process \`${process.process}\` opens no task` : `process \`${process.process}\` has no step ${JSON.stringify(stepId)}`;
  return `${what}, so case ${caseId} cannot wait for its task; the steps with tasks are ${steps.length === 0 ? 'none' : steps.map((s) => `\`${s}\``).join(', ')}`;
}
