/** A task step: a person of the step's role completes it with one of its outcomes, which routes the case. */
import { condition } from '@temporalio/workflow';
import type { TaskStep } from '../../model/compiled-process.js';
import { route } from '../transitions/flow.js';
import type { CaseRuntime, StepRunner } from './runtime.js';

/**
 * Who the task goes to: the case owner (`assign: owner`), the person `assign-to` names (the
 * dispatched technician), or nobody in particular — also when `assign-to` names no one yet
 * (the dispatch was done by hand): then anyone of the role may claim it.
 */
function assignment(step: TaskStep, runtime: CaseRuntime): { assignee?: string } {
  const { state } = runtime;
  if (step.assignToOwner) return state.owner ? { assignee: state.owner } : {};
  if (step.assignTo === undefined) return {};
  let person: unknown;
  try {
    person = runtime.evaluate(step.assignTo);
  } catch {
    return {};
  }
  return typeof person === 'string' && person.trim() !== '' ? { assignee: person } : {};
}

export const runTask: StepRunner<TaskStep> = async (step, token, resume, runtime) => {
  const { state } = runtime;
  const waiting = resume && token.wait?.kind === 'task' ? state.tasks[token.wait.taskId] : undefined;
  const task =
    waiting ??
    runtime.openTask(
      {
        stepId: step.id,
        title: step.title,
        role: step.role,
        ...(step.instructions ? { instructions: runtime.instructionsText(step.instructions) } : {}),
        outcomes: step.outcomes,
        ...assignment(step, runtime),
      },
      step.due,
    );
  token.wait = { kind: 'task', taskId: task.id };
  runtime.changed();
  // By id: a completion replaces the task object with the completed one.
  await condition(() => state.tasks[task.id]?.status !== 'open');
  const done = state.tasks[task.id] ?? task;
  const outcome = done.outcome ?? '';
  state.outcomes[step.id] = outcome;
  if (step.saveAs) state.data[step.saveAs] = done.data ?? {};
  return route(step.next, outcome);
};
