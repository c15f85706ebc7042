/**
 * Reading a definition document (the parsed YAML) without trusting it: the loader and the
 * checker both walk documents that may be malformed, so nothing here assumes a shape.
 */
import { isObject, type Json } from './json.js';
import { pointer } from './names.js';
import { kindOfStep, stepKindList, type StepKindKey } from './steps/index.js';
import type { StepEntry } from './steps/types.js';

export { isObject, type Json, type StepEntry, type StepKindKey };

/** The kind keys of a step, in the order the docs present them, with the schema of each (from dsl/steps/). */
export const stepKinds = Object.fromEntries(stepKindList.map((kind) => [kind.key, kind.schema])) as Record<StepKindKey, string>;
export const stepKindKeys = Object.keys(stepKinds) as StepKindKey[];

/** The single kind key of a step, or undefined when it has none or several. */
export function stepKindOf(step: Json): StepKindKey | undefined {
  return kindOfStep(step)?.key as StepKindKey | undefined;
}

/** Every step, top level first, then inside branches (depth first), with its pointer. */
export function* walkSteps(data: unknown, base = ''): Generator<StepEntry> {
  const steps = isObject(data) ? data.steps : undefined;
  if (!isObject(steps)) return;
  for (const [id, step] of Object.entries(steps)) {
    const path = `${base}${pointer('steps', id)}`;
    if (!isObject(step)) continue;
    yield { id, path, step, scope: base };
    // Whatever the step's kind turns out to be, branches it holds are walked: their steps are checked too.
    for (const kind of stepKindList) {
      for (const [branch, body] of kind.branches?.(step) ?? []) yield* walkSteps(body, `${path}${pointer(kind.key, branch)}`);
    }
  }
}
