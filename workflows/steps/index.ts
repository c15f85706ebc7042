/**
 * How each step kind runs, one file per kind, in one exhaustive table: a step kind the
 * compiled model has and this table lacks does not compile.
 */
import type { CompiledStep } from '../../model/compiled-process.js';
import type { Token } from '../case-state.js';
import type { StepResult } from '../transitions/flow.js';
import { runAction } from './action.js';
import { runDecide } from './decide.js';
import { runEnd } from './end.js';
import { runParallel } from './parallel.js';
import type { CaseRuntime, StepRunner } from './runtime.js';
import { runSubprocess } from './subprocess.js';
import { runTask } from './task.js';
import { runWait } from './wait.js';

type Runners = { [K in CompiledStep['kind']]: StepRunner<Extract<CompiledStep, { kind: K }>> };

const stepRunners: Runners = {
  action: runAction,
  task: runTask,
  decide: runDecide,
  wait: runWait,
  parallel: runParallel,
  subprocess: runSubprocess,
  end: runEnd,
};

export function runStep(step: CompiledStep, token: Token, resume: boolean, runtime: CaseRuntime): Promise<StepResult> {
  return (stepRunners[step.kind] as StepRunner<CompiledStep>)(step, token, resume, runtime);
}

export type { CaseRuntime };
