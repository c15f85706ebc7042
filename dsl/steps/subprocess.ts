/** `subprocess:` — opens a case of another process and waits for it; its end outcome routes this case. */
import type * as Source from '../../model/generated/process-definition.js';
import type { SubprocessStep } from '../../model/compiled-process.js';
import { didYouMean, listOf } from '../names.js';
import { checkOutcomeRoutes, compileTransitions, transitionEdges } from './outcomes.js';
import type { StepKindModule } from './types.js';

export const subprocess: StepKindModule<SubprocessStep, Source.SubprocessStep, 'subprocess'> = {
  key: 'subprocess',
  schema: 'subprocessStep',
  keys: ['subprocess', 'with', 'save-as'],
  flow: 'then',
  namedBy: ['outcomes'],

  holds: (step) => typeof step.subprocess === 'string',
  edges: () => [],
  expressions: ({ step, path }) => [{ value: step.with, path: `${path}/with`, as: 'mapping' }],
  check(check) {
    const { entry, context } = check;
    const { id, path, step } = entry;
    const name = typeof step.subprocess === 'string' ? step.subprocess : undefined;
    const child = name ? context.processes?.get(name) : undefined;
    if (name && context.processes && !child) {
      check.report({
        path: `${path}/subprocess`,
        code: 'SUBPROCESS_UNKNOWN',
        message: `step \`${id}\` opens a case of process \`${name}\`, which no definition provides${didYouMean(name, context.processes.keys()) || `; known processes: ${listOf([...context.processes.keys()].sort(), 'and') || 'none'}`}`,
      });
    }
    if (child) checkOutcomeRoutes(check, [...child.outcomes], `process \`${name}\``);
  },

  compile: (step, { base }) => ({
    ...base,
    kind: 'subprocess',
    process: step.subprocess,
    ...(step.with !== undefined ? { with: step.with } : {}),
    ...(step['save-as'] !== undefined ? { saveAs: step['save-as'] } : {}),
    next: compileTransitions(step.then),
  }),

  graph: {
    mermaid: (label) => `[["${label}"]]`,
    dot: 'box, peripheries=2',
    subtitle: (step) => `opens ${step.process}`,
    edges: (step) => transitionEdges(step.id, step.next),
    endsBranch: (step) => step.next.otherwise === undefined,
  },
};
