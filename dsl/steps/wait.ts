/** `wait:` — the case sleeps for a duration (`wait: 3 days`) or until an instant (`wait: { until: ... }`). */
import type * as Source from '../../model/generated/process-definition.js';
import type { WaitStep } from '../../model/compiled-process.js';
import { compileDuration, describeDuration } from '../durations.js';
import { isObject } from '../json.js';
import type { StepKindModule } from './types.js';

export const wait: StepKindModule<WaitStep, Source.WaitStep, 'wait'> = {
  key: 'wait',
  schema: 'waitStep',
  keys: ['wait'],
  flow: 'then',

  holds: (step) => typeof step.wait === 'string' || isObject(step.wait),
  edges: () => [],
  expressions: ({ step, path }) => [
    ...(isObject(step.wait) ? [{ value: step.wait.until, path: `${path}/wait/until`, as: 'template' as const }] : []),
    { value: step.wait, path: `${path}/wait`, as: 'template' },
  ],
  check(check) {
    const { id, path, step } = check.entry;
    if (typeof step.wait === 'string') check.duration(step.wait, `${path}/wait`, 'the wait');
    else if (isObject(step.wait)) {
      check.duration(step.wait.for, `${path}/wait/for`, 'the wait');
      // The schema allows an empty mapping (both keys are optional), but it waits for nothing.
      if (Object.keys(step.wait).length === 0) {
        check.report({ path: `${path}/wait`, code: 'SCHEMA_REQUIRED', message: `step \`${id}\`: \`wait\` needs \`for: <duration>\` or \`until: <time>\`` });
      }
    }
  },

  compile(step, { base }) {
    const body = typeof step.wait === 'string' ? { for: step.wait } : step.wait;
    const waitFor = compileDuration(body.for);
    return {
      ...base,
      kind: 'wait',
      ...(waitFor ? { for: waitFor } : {}),
      ...(body.until !== undefined ? { until: body.until } : {}),
      ...(step.then !== undefined ? { next: step.then } : {}),
    };
  },

  graph: {
    mermaid: (label) => `{{"${label}"}}`,
    dot: 'hexagon',
    subtitle: (step) => (step.for ? `wait ${describeDuration(step.for)}` : `until ${step.until ?? ''}`),
    edges: (step) => (step.next !== undefined ? [{ from: step.id, to: step.next }] : []),
    endsBranch: (step) => step.next === undefined,
  },
};
