/**
 * The activities a scenario's case calls: stubs by default, each returning the smallest value
 * its catalog output schema allows (or what the scenario's `stubs:` say, per activity, step and
 * visit), every call logged so that notifications can be expected.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Activity, StepContext } from '../activities/index.js';
import { activityCatalog } from '../model/activity-catalog/index.js';
import type { StubSpec } from './model.js';

export interface ActivityCall {
  activity: string;
  context: StepContext;
  input: unknown;
}

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  required?: string[];
  properties?: Record<string, Schema>;
  minItems?: number;
  items?: Schema;
};

/** The smallest value of a catalog output schema: required keys only, first enum value, zero, false, empty text. */
export function defaultResult(schema: Schema | undefined, key = 'value'): unknown {
  if (!schema) return null;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((name) => [name, defaultResult(schema.properties?.[name], name)]));
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => defaultResult(schema.items, key));
    case 'string':
      return schema.format === 'date-time' ? new Date().toISOString() : schema.format === 'date' ? new Date().toISOString().slice(0, 10) : `stub-${key}`;
    case 'integer':
    case 'number':
      return schema.minimum ?? 0;
    case 'boolean':
      return false;
    default:
      return null;
  }
}

/**
 * The first stub that names this activity and, when it says, this step, visit and call (`calls`:
 * the calls so far, this one included).
 */
export function stubFor(stubs: readonly StubSpec[], activity: string, context: StepContext, calls: readonly ActivityCall[]): StubSpec | undefined {
  return stubs.find((s) => {
    if (s.activity !== activity || (s.step !== undefined && s.step !== context.stepId) || (s.visit !== undefined && s.visit !== context.visit)) return false;
    if (s.call === undefined) return true;
    const made = calls.filter((c) => c.activity === activity && c.context.caseId === context.caseId && (s.step === undefined || c.context.stepId === s.step)).length;
    return made === s.call;
  });
}

/**
 * Every activity of the catalog, logged into `calls`: a scenario's stub when one matches; else
 * the real activity when `real` has it (a `--records` run); else the default result.
 */
export function scenarioActivities(stubs: readonly StubSpec[], calls: ActivityCall[], real: Readonly<Record<string, Activity>> = {}): Record<string, Activity> {
  return Object.fromEntries(
    Object.entries(activityCatalog).map(([name, spec]) => [
      name,
      (async (context: StepContext, input: never) => {
        calls.push({ activity: name, context, input });
        const stub = stubFor(stubs, name, context, calls);
        // A refusal, like a business rule's: not retried, so the step's `on-failure` applies at once.
        if (stub?.fail !== undefined) throw ApplicationFailure.create({ type: 'StubbedFailure', message: `${name}: ${stub.fail}`, nonRetryable: true });
        if (stub && 'result' in stub) return stub.result;
        const realActivity = real[name];
        return realActivity ? realActivity(context, input) : defaultResult(spec.output as unknown as Schema);
      }) as Activity,
    ]),
  );
}
