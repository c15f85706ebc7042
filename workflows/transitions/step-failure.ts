import { ApplicationFailure } from '@temporalio/common';
import type { CompiledStep } from '../../model/compiled-process.js';

/**
 * The failure of a case whose definition cannot go on at a step (an expression fails, a
 * deadline cannot be read): non-retryable, since running the same step again gives the same.
 */
export function stepFailure(step: CompiledStep, what: string, error: unknown): ApplicationFailure {
  const reason = error instanceof Error ? error.message : String(error);
  return ApplicationFailure.nonRetryable(`step \`${step.id}\` (${step.title}): ${what}: ${reason}`, 'StepFailed');
}
