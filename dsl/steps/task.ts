/** `task:` — a person in a role does something and picks an outcome, which routes the case. */
import type * as Source from '../../model/generated/process-definition.js';
import type { TaskStep } from '../../model/compiled-process.js';
import { compileDuration, describeDuration } from '../durations.js';
import { isObject, type Json } from '../json.js';
import { checkOutcomeRoutes, compileTransitions, transitionEdges } from './outcomes.js';
import type { StepKindModule } from './types.js';

/** The outcomes a task step offers. */
function taskOutcomes(step: Json): string[] {
  const task = isObject(step.task) ? step.task : undefined;
  return Array.isArray(task?.outcomes) ? task.outcomes.filter((o): o is string => typeof o === 'string') : [];
}

export const task: StepKindModule<TaskStep, Source.TaskStep, 'task'> = {
  key: 'task',
  schema: 'taskStep',
  keys: ['task'],
  flow: 'then',
  missingThenHint: ' or a mapping from its outcomes to steps',
  namedBy: ['outcomes', 'actors'],

  holds: (step) => isObject(step.task),
  edges: () => [],
  expressions: ({ step, path }) => (isObject(step.task) ? [
    { value: step.task.due, path: `${path}/task/due`, as: 'template' },
    { value: step.task.instructions, path: `${path}/task/instructions`, as: 'template' },
  ] : []),
  check(check) {
    const { entry, context } = check;
    const { path, step } = entry;
    if (!isObject(step.task)) return;
    const body = step.task;
    check.role(body.role, `${path}/task/role`, 'is a task for role');
    check.duration(body.due, `${path}/task/due`, 'the due time');
    if (isObject(body.form) && context.checkJsonSchema) context.checkJsonSchema(body.form, `${path}/task/form`).forEach((problem) => check.report(problem));
    checkOutcomeRoutes(check, taskOutcomes(step), 'the task');
  },

  compile(step, { base }) {
    const body = step.task;
    const due = compileDuration(body.due);
    return {
      ...base,
      kind: 'task',
      role: body.role,
      assignToOwner: body.assign === 'owner',
      ...(body.instructions !== undefined ? { instructions: body.instructions } : {}),
      outcomes: [...body.outcomes],
      ...(body.form !== undefined ? { form: body.form } : {}),
      ...(due ? { due } : {}),
      ...(body['save-as'] !== undefined ? { saveAs: body['save-as'] } : {}),
      next: compileTransitions(step.then),
    };
  },

  graph: {
    mermaid: (label) => `("${label}")`,
    dot: 'box, style="rounded,filled", fillcolor="#e8f1ff"',
    mermaidClass: 'task',
    subtitle: (step) => `${step.role}${step.due ? ` · due ${describeDuration(step.due)}` : ''}`,
    edges: (step) => transitionEdges(step.id, step.next),
    // An outcome with no route finishes the branch.
    endsBranch: (step) => step.next.otherwise === undefined && step.outcomes.some((o) => !(o in step.next.byOutcome)),
  },
};
