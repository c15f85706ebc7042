/** An end step: the case closes with the step's outcome. */
import type { EndStep } from '../../model/compiled-process.js';
import type { StepRunner } from './runtime.js';

export const runEnd: StepRunner<EndStep> = (step) => Promise.resolve({ type: 'end', outcome: step.outcome });
