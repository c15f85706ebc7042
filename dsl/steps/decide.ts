/** `decide:` — conditions tried in order; the first that holds picks the next step, else `otherwise`. */
import type * as Source from '../../model/generated/process-definition.js';
import type { DecideStep } from '../../model/compiled-process.js';
import { isObject } from '../json.js';
import { pointer } from '../names.js';
import type { StepEdge, StepKindModule } from './types.js';

export const decide: StepKindModule<DecideStep, Source.DecisionStep, 'decide'> = {
  key: 'decide',
  schema: 'decisionStep',
  keys: ['decide', 'otherwise'],
  flow: 'routes',

  holds: (step) => Array.isArray(step.decide),
  edges({ step, path }) {
    const edges: StepEdge[] = [];
    if (typeof step.otherwise === 'string') edges.push({ target: step.otherwise, path: `${path}/otherwise` });
    if (Array.isArray(step.decide)) {
      step.decide.forEach((condition, i) => {
        if (isObject(condition) && typeof condition.then === 'string') edges.push({ target: condition.then, path: `${path}${pointer('decide', i, 'then')}` });
      });
    }
    return edges;
  },
  expressions: ({ step, path }) =>
    Array.isArray(step.decide) ? step.decide.map((condition, i) => ({ value: isObject(condition) ? condition.when : undefined, path: `${path}${pointer('decide', i, 'when')}`, as: 'condition' as const })) : [],
  check() {
    // Its targets and conditions are checked with every step's (edges, expressions).
  },

  compile: (step, { base }) => ({ ...base, kind: 'decide', conditions: step.decide.map((c) => ({ when: c.when, then: c.then })), otherwise: step.otherwise }),

  graph: {
    mermaid: (label) => `{"${label}"}`,
    dot: 'diamond',
    subtitle: () => undefined,
    edges: (step) => [...step.conditions.map((condition) => ({ from: step.id, to: condition.then, label: condition.when })), { from: step.id, to: step.otherwise, label: 'otherwise' }],
    endsBranch: () => false,
  },
};
