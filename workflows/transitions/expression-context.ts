/**
 * What a definition's expressions see of a case (dsl/expressions.ts lists the variables): the
 * input, saved data, the last outcome and who completed each task, parameters, the case's own
 * fields and its time. Steps not reached yet read as `''`, so `outcomes['classify'] == 'major'`
 * is false rather than an error before classification.
 */
import type { CompiledProcess } from '../../model/compiled-process.js';
import type { ExpressionContext } from '../../dsl/expressions.js';
import type { CaseState } from '../case-state.js';

export function expressionContext(state: CaseState, process: CompiledProcess, now: number): ExpressionContext {
  const outcomes: Record<string, string> = {};
  for (const step of Object.values(process.steps)) if (step.kind === 'task' || step.kind === 'subprocess') outcomes[step.id] = '';
  Object.assign(outcomes, state.outcomes);
  const actors: Record<string, string> = {};
  for (const step of Object.values(process.steps)) if (step.kind === 'task') actors[step.id] = '';
  for (const task of Object.values(state.tasks)) if (task.status === 'completed' && task.completedBy && task.stepId in actors) actors[task.stepId] = task.completedBy;
  return {
    input: state.input,
    data: state.data,
    outcomes,
    actors,
    params: process.params,
    case: {
      id: state.caseId,
      process: state.process,
      version: state.version,
      openedAt: state.openedAt,
      // Null, not missing, while nobody owns the case: `owner: "${case.owner}"` then passes nothing.
      owner: state.owner ?? null,
      ...(state.priority ? { priority: state.priority } : {}),
      ...(state.customer ? { customer: state.customer } : {}),
    },
    now,
  };
}
