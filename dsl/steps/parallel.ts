/**
 * `parallel:` — branches that run together, each a little process of its own steps; the step
 * goes on when every branch has finished. Transitions cannot cross a branch's edge.
 */
import type * as Source from '../../model/generated/process-definition.js';
import type { ParallelStep } from '../../model/compiled-process.js';
import { isObject } from '../json.js';
import type { StepKindModule } from './types.js';

export const parallel: StepKindModule<ParallelStep, Source.ParallelStep, 'parallel'> = {
  key: 'parallel',
  schema: 'parallelStep',
  keys: ['parallel'],
  flow: 'then',

  holds: (step) => isObject(step.parallel),
  edges: () => [],
  branches: (step) => (isObject(step.parallel) ? Object.entries(step.parallel) : []),
  expressions: () => [],
  check() {
    // Its branches' steps are checked as steps of their own scopes.
  },

  compile(step, { base, compileBranch }) {
    // The branch steps go into the process before the parallel step (the order the diagram lists them).
    const branches = Object.entries(step.parallel).map(([name, branch]) => {
      compileBranch(branch.steps, `${base.id}/${name}`);
      return { name, start: branch.start ?? Object.keys(branch.steps)[0] ?? '' };
    });
    return { ...base, kind: 'parallel', branches, ...(step.then !== undefined ? { next: step.then } : {}) };
  },

  graph: {
    mermaid: (label) => `[/"${label}"\\]`,
    dot: 'trapezium',
    subtitle: () => undefined,
    edges: (step) => (step.next !== undefined ? [{ from: step.id, to: step.next }] : []),
    endsBranch: (step) => step.next === undefined,
    branches: (step) => step.branches,
  },
};
