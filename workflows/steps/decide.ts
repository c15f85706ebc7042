/** A decision step: the first condition that holds over the case data picks the next step. */
import type { DecideStep } from '../../model/compiled-process.js';
import { decide } from '../transitions/flow.js';
import type { StepRunner } from './runtime.js';

export const runDecide: StepRunner<DecideStep> = (step, _token, _resume, runtime) => Promise.resolve(decide(step, runtime.expressionContext()));
