/**
 * Routing by outcome, shared by the kinds whose step ends with an outcome (tasks and
 * subprocesses): `then:` is one step or a mapping from outcomes to steps, with `otherwise`.
 */
import type * as Source from '../../model/generated/process-definition.js';
import type { Transitions } from '../../model/compiled-process.js';
import { isObject } from '../json.js';
import { closest, didYouMean, listOf, pointer } from '../names.js';
import type { GraphEdge, StepCheck } from './types.js';

/** `then:` as the interpreter reads it. */
export function compileTransitions(then: Source.TaskStep['then']): Transitions {
  if (then === undefined) return { byOutcome: {} };
  if (typeof then === 'string') return { byOutcome: {}, otherwise: then };
  const { otherwise, ...byOutcome } = then as Record<string, string>;
  return otherwise === undefined ? { byOutcome } : { byOutcome, otherwise };
}

/** One line per target, labelled with the outcomes that lead there; `otherwise` labelled only beside others. */
export function transitionEdges(from: string, transitions: Transitions): GraphEdge[] {
  const edges: GraphEdge[] = [];
  const byTarget = new Map<string, string[]>();
  for (const [outcome, target] of Object.entries(transitions.byOutcome)) byTarget.set(target, [...(byTarget.get(target) ?? []), outcome]);
  for (const [target, outcomes] of byTarget) edges.push({ from, to: target, label: outcomes.join(' / ') });
  if (transitions.otherwise) {
    const routed = Object.keys(transitions.byOutcome).length > 0;
    edges.push({ from, to: transitions.otherwise, ...(routed ? { label: 'otherwise' } : {}) });
  }
  return edges;
}

/** Every outcome `source` gives has a route, and every route is an outcome it gives. */
export function checkOutcomeRoutes(check: StepCheck, outcomes: string[], source: string): void {
  const { id, path, step } = check.entry;
  if (!isObject(step.then) || outcomes.length === 0) return;
  const routed = Object.keys(step.then);
  const meant = new Set<string>(); // outcomes a misspelt route nearly names: reported once, as the typo
  for (const outcome of routed) {
    if (outcome !== 'otherwise' && !outcomes.includes(outcome)) {
      const nearest = closest(outcome, outcomes);
      if (nearest) meant.add(nearest);
      check.report({
        path: `${path}${pointer('then', outcome)}`,
        at: 'key',
        code: 'OUTCOME_UNKNOWN',
        message: `step \`${id}\` routes outcome \`${outcome}\`, which ${source} never gives${didYouMean(outcome, outcomes) || `; its outcomes are ${listOf(outcomes, 'and')}`}`,
      });
    }
  }
  if (!routed.includes('otherwise')) {
    for (const outcome of outcomes) {
      if (!routed.includes(outcome) && !meant.has(outcome)) {
        check.report({
          path: `${path}/then`,
          code: 'OUTCOME_NO_TRANSITION',
          message: `step \`${id}\`: outcome \`${outcome}\` has nowhere to go; add \`${outcome}: <step>\` or \`otherwise: <step>\` under \`then\``,
        });
      }
    }
  } else if (routed.length === 1) {
    check.report({
      path: `${path}/then`,
      code: 'OUTCOME_DUPLICATE_ROUTE',
      message: `step \`${id}\` sends every outcome through \`otherwise\`; write \`then: ${String(step.then.otherwise)}\` instead`,
    });
  }
}
