/**
 * How a case moves between steps, as pure functions: entering a step (its visit counted or its
 * bound exceeded), routing an outcome, deciding. Each returns what happens and the timeline
 * entries to record; the interpreter applies them.
 */
import type { CompiledStep, DecideStep, Transitions } from '../../model/compiled-process.js';
import { evaluateCondition, type ExpressionContext } from '../../dsl/expressions.js';
import type { Entry } from './entry.js';
import { stepFailure } from './step-failure.js';

/** Where a step leads, and what it gave (recorded when the case leaves it). */
export type StepResult = ({ type: 'next'; next: string } | { type: 'end'; outcome: string } | { type: 'branch-done' }) & { gave?: string; detail?: string };

/** The step after this one, or the end of a parallel branch when nothing follows. */
export function follow(next: string | undefined): StepResult {
  return next === undefined ? { type: 'branch-done' } : { type: 'next', next };
}

/** Where an outcome leads: its own transition, or `otherwise`. */
export function route(transitions: Transitions, outcome: string): StepResult {
  return { ...follow(transitions.byOutcome[outcome] ?? transitions.otherwise), gave: outcome };
}

export type StepEntry =
  /** The step counts one more visit. */
  | { type: 'enter'; visits: number; entry: Entry }
  /** The visit bound is exceeded: the case goes to `to` instead. */
  | { type: 'redirect'; to: string; entry: Entry };

/** Entering `step` for the `visits`+1-th time (`branch`: the parallel branch it is in). */
export function enterStep(step: CompiledStep, visitsSoFar: number, branch: string | undefined): StepEntry {
  const visits = visitsSoFar + 1;
  if (step.visits && visits > step.visits.max) {
    return { type: 'redirect', to: step.visits.then, entry: { type: 'visits-exceeded', step: step.id, detail: `visited ${step.visits.max} times; going to ${step.visits.then}` } };
  }
  return { type: 'enter', visits, entry: { type: 'step-entered', step: step.id, ...(branch ? { detail: `branch ${branch}` } : {}) } };
}

/** The first condition that holds picks the next step; none: `otherwise`. A condition that cannot be decided fails the step. */
export function decide(step: DecideStep, context: ExpressionContext): StepResult {
  for (const condition of step.conditions) {
    let holds: boolean;
    try {
      holds = evaluateCondition(condition.when, context);
    } catch (error) {
      throw stepFailure(step, `the condition \`${condition.when}\` could not be decided`, error);
    }
    if (holds) return { type: 'next', next: condition.then, detail: `because ${condition.when}` };
  }
  return { type: 'next', next: step.otherwise, detail: 'no condition held' };
}
