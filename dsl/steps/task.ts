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

/** `not-by` names task steps of this process, not this step itself. */
function checkNotBy(check: Parameters<StepKindModule<TaskStep, Source.TaskStep, 'task'>['check']>[0], notBy: unknown): void {
  if (!Array.isArray(notBy)) return;
  const { entry, taskSteps } = check;
  for (const [i, stepId] of notBy.entries()) {
    if (typeof stepId !== 'string') continue;
    const at = `${entry.path}/task/not-by/${i}`;
    if (stepId === entry.id) {
      check.report({ path: at, code: 'TASK_RULE_INVALID', message: `step \`${entry.id}\` names itself under \`not-by\`; name the steps whose completer may not complete this one` });
    } else if (!taskSteps.includes(stepId)) {
      check.report({ path: at, code: 'TASK_RULE_INVALID', message: `step \`${entry.id}\`: \`not-by\` names \`${stepId}\`, which is not a task step of this process${taskSteps.length > 0 ? `; task steps: ${taskSteps.map((s) => `\`${s}\``).join(', ')}` : ''}` });
    }
  }
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
    { value: step.task['assign-to'], path: `${path}/task/assign-to`, as: 'template' },
    { value: isObject(step.task.approval) ? step.task.approval.amount : undefined, path: `${path}/task/approval/amount`, as: 'template' },
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
    if (body.assign !== undefined && body['assign-to'] !== undefined) {
      check.report({ path: `${path}/task/assign-to`, code: 'TASK_RULE_INVALID', message: `step \`${entry.id}\` gives its task both to the case owner (\`assign: owner\`) and to \`assign-to\`; keep one` });
    }
    checkNotBy(check, body['not-by']);
    const approving = isObject(body.approval) && Array.isArray(body.approval.outcomes) ? body.approval.outcomes : [];
    for (const [i, outcome] of approving.entries()) {
      if (typeof outcome === 'string' && !taskOutcomes(step).includes(outcome)) {
        check.report({ path: `${path}/task/approval/outcomes/${i}`, code: 'OUTCOME_UNKNOWN', message: `step \`${entry.id}\`: \`approval\` names outcome \`${outcome}\`, which the task does not offer (${taskOutcomes(step).map((o) => `\`${o}\``).join(', ')})` });
      }
    }
  },

  compile(step, { base }) {
    const body = step.task;
    const due = compileDuration(body.due);
    return {
      ...base,
      kind: 'task',
      role: body.role,
      assignToOwner: body.assign === 'owner',
      ...(body['assign-to'] !== undefined ? { assignTo: body['assign-to'] } : {}),
      ...(body['not-by'] !== undefined ? { notBy: [...body['not-by']] } : {}),
      ...(body.approval !== undefined ? { approval: { amount: body.approval.amount, ...(body.approval.outcomes ? { outcomes: [...body.approval.outcomes] } : {}) } } : {}),
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
