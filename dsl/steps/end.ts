/** `end:` — closes the case with an outcome; only at the top level (a branch finishes by leaving out `then`). */
import type * as Source from '../../model/generated/process-definition.js';
import type { EndStep } from '../../model/compiled-process.js';
import type { StepKindModule } from './types.js';

export const end: StepKindModule<EndStep, Source.EndStep, 'end'> = {
  key: 'end',
  schema: 'endStep',
  keys: ['end'],
  flow: 'ends',

  holds: (step) => typeof step.end === 'string',
  edges: () => [],
  expressions: () => [],
  check() {
    // An end step inside a branch is the checker's (it knows the scope).
  },

  compile: (step, { base }) => ({ ...base, kind: 'end', outcome: step.end }),

  graph: {
    mermaid: (label) => `(["${label}"])`,
    dot: 'oval, style=filled, fillcolor="#e9f7ec"',
    mermaidClass: 'finish',
    subtitle: (step) => `outcome: ${step.outcome}`,
    edges: () => [],
    endsBranch: () => false,
  },
};
