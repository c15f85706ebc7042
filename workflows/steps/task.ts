/** A task step: a person of the step's role completes it with one of its outcomes, which routes the case. */
import { condition } from '@temporalio/workflow';
import type { TaskStep } from '../../model/compiled-process.js';
import { route } from '../transitions/flow.js';
import type { StepRunner } from './runtime.js';

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
        ...(step.assignToOwner && state.owner ? { assignee: state.owner } : {}),
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
