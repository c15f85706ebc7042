/**
 * Reading a definition document (the parsed YAML) without trusting it: the loader and the
 * checker both walk documents that may be malformed, so nothing here assumes a shape.
 */
import { pointer } from './names.js';

/** The kind keys of a step, in the order the docs present them, with the schema of each. */
export const stepKinds = {
  action: 'actionStep',
  task: 'taskStep',
  decide: 'decisionStep',
  wait: 'waitStep',
  parallel: 'parallelStep',
  subprocess: 'subprocessStep',
  end: 'endStep',
} as const;
export type StepKindKey = keyof typeof stepKinds;
export const stepKindKeys = Object.keys(stepKinds) as StepKindKey[];

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The single kind key of a step, or undefined when it has none or several. */
export function stepKindOf(step: Json): StepKindKey | undefined {
  const kinds = stepKindKeys.filter((key) => key in step);
  return kinds.length === 1 ? kinds[0] : undefined;
}

export interface StepEntry {
  id: string;
  path: string;
  step: Json;
  /** `''` at the top level; the branch's pointer (`/steps/x/parallel/b`) inside a branch. */
  scope: string;
}

/** Every step, top level first, then inside parallel branches (depth first), with its pointer. */
export function* walkSteps(data: unknown, base = ''): Generator<StepEntry> {
  const steps = isObject(data) ? data.steps : undefined;
  if (!isObject(steps)) return;
  for (const [id, step] of Object.entries(steps)) {
    const path = `${base}${pointer('steps', id)}`;
    if (!isObject(step)) continue;
    yield { id, path, step, scope: base };
    if (isObject(step.parallel)) {
      for (const [branch, body] of Object.entries(step.parallel)) {
        yield* walkSteps(body, `${path}${pointer('parallel', branch)}`);
      }
    }
  }
}
