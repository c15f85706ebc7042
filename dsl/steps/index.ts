/**
 * The step kinds: one module each, and this table, which the checker, the compiler and the
 * diagram dispatch through. Keyed by compiled kind and typed so that a kind without a row
 * does not compile. A new kind: its module, its row here, its `$defs` entry in the schema and
 * its case in the interpreter (workflows/).
 *
 * The rows are in the order the docs present the kinds; the loader lists them in that order
 * ("give it one of `action`, `task`, ...").
 */
import type { CompiledStep, StepKind } from '../../model/compiled-process.js';
import type * as Source from '../../model/generated/process-definition.js';
import type { Json } from '../json.js';
import { action } from './action.js';
import { decide } from './decide.js';
import { end } from './end.js';
import { parallel } from './parallel.js';
import { subprocess } from './subprocess.js';
import { task } from './task.js';
import type { StepKindModule } from './types.js';
import { wait } from './wait.js';

export type { StepKindModule } from './types.js';

export const stepKindModules = {
  action,
  task,
  decide,
  wait,
  parallel,
  subprocess,
  end,
} satisfies { [K in StepKind]: StepKindModule<Extract<CompiledStep, { kind: K }>, Source.Step> };

/** The YAML key of each kind (the same word as its compiled kind). */
export type StepKindKey = (typeof stepKindModules)[StepKind]['key'];

/** Every kind, in the table's order. */
export const stepKindList: readonly StepKindModule[] = Object.values(stepKindModules);

/** The module of a step whose YAML has exactly one kind key; undefined when it has none or several. */
export function kindOfStep(step: Json): StepKindModule | undefined {
  const kinds = stepKindList.filter((kind) => kind.key in step);
  return kinds.length === 1 ? kinds[0] : undefined;
}

/** The module that compiled `step`. */
export function kindOfCompiled(step: CompiledStep): StepKindModule {
  return stepKindModules[step.kind] as StepKindModule;
}
