/** `action:` — the worker calls an activity, with retries, and goes on (or fails) when it is done. */
import type * as Source from '../../model/generated/process-definition.js';
import type { ActionStep, FailurePolicy } from '../../model/compiled-process.js';
import type { KnownActivities, ActivityInputSpec } from '../check-context.js';
import { compileElapsedMs } from '../durations.js';
import { isObject } from '../json.js';
import { didYouMean, listOf, pointer } from '../names.js';
import type { StepCheck, StepEntry, StepKindModule } from './types.js';

export const defaultActionTimeoutMs = 60_000;
/**
 * No cap on attempts by default: an outage of the database or of a service is waited out for a
 * day, retrying at most a minute apart; bad data fails at once (the activities refuse it as
 * non-retryable), so a retry never repeats what cannot succeed.
 */
export const defaultRetry = { giveUpAfterMs: 24 * 60 * 60_000, initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 60_000 };

function activityNamesOf(activities: KnownActivities): ReadonlySet<string> {
  return activities instanceof Set ? (activities as ReadonlySet<string>) : new Set(Object.keys(activities));
}

/** The input schema of `name`, when the catalog (not a bare set of names) was given. */
function activityInputOf(activities: KnownActivities, name: string): Readonly<Record<string, unknown>> | undefined {
  if (activities instanceof Set) return undefined;
  const spec = Object.prototype.hasOwnProperty.call(activities, name) ? (activities as Readonly<Record<string, ActivityInputSpec>>)[name] : undefined;
  return isObject(spec?.input) ? spec.input : undefined;
}

/**
 * The `with:` keys of an action against the activity's input schema: a key it does not take
 * (when the schema closes its properties) is usually a typo; a key it requires must be given.
 * Only the keys are checked here: values are templates whose result is known when the case runs.
 */
function checkActivityInput(check: StepCheck, entry: StepEntry, activity: string, input: Readonly<Record<string, unknown>>): void {
  const { id, path, step } = entry;
  const accepted = isObject(input.properties) ? Object.keys(input.properties) : [];
  const required = Array.isArray(input.required) ? input.required.filter((key): key is string => typeof key === 'string') : [];
  const given = isObject(step.with) ? Object.keys(step.with) : [];
  if (step.with !== undefined && !isObject(step.with)) return; // the schema reports the shape
  if (input.additionalProperties === false) {
    for (const key of given) {
      if (accepted.includes(key)) continue;
      check.report({
        path: `${path}${pointer('with', key)}`,
        at: 'key',
        code: 'ACTIVITY_INPUT_UNKNOWN',
        message: `step \`${id}\` passes \`${key}\` to activity \`${activity}\`, which does not take it${didYouMean(key, accepted) || (accepted.length ? `; it takes ${listOf(accepted, 'and')}` : '; it takes no input')}`,
      });
    }
  }
  for (const key of required) {
    if (given.includes(key)) continue;
    check.report({
      path: step.with === undefined ? `${path}/action` : `${path}/with`,
      at: step.with === undefined ? 'value' : 'key',
      code: 'ACTIVITY_INPUT_MISSING',
      message: `step \`${id}\` calls activity \`${activity}\` without \`${key}\`, which it requires: add \`${key}: ...\` under \`with\``,
    });
  }
}

export const action: StepKindModule<ActionStep, Source.ActionStep, 'action'> = {
  key: 'action',
  schema: 'actionStep',
  keys: ['action', 'with', 'save-as', 'timeout', 'retry', 'on-failure'],
  flow: 'then',

  holds: (step) => typeof step.action === 'string',
  edges: ({ step, path }) => (typeof step['on-failure'] === 'string' ? [{ target: step['on-failure'], path: `${path}/on-failure` }] : []),
  expressions: ({ step, path }) => [
    { value: step.with, path: `${path}/with`, as: 'mapping' },
    { value: step.timeout, path: `${path}/timeout`, as: 'template' },
  ],
  check(check) {
    const { entry, context } = check;
    const { id, path, step } = entry;
    const activity = typeof step.action === 'string' ? step.action : undefined;
    const known = context.activities ? activityNamesOf(context.activities) : undefined;
    if (activity && known && !known.has(activity)) {
      check.report({
        path: `${path}/action`,
        code: 'ACTIVITY_UNKNOWN',
        message: `step \`${id}\` calls activity \`${activity}\`, which the worker does not register${didYouMean(activity, known) || `; registered: ${listOf([...known].sort(), 'and')}`}`,
      });
    }
    const input = activity && context.activities ? activityInputOf(context.activities, activity) : undefined;
    if (activity && input) checkActivityInput(check, entry, activity, input);
    // Timeouts and retry intervals are counted by the worker in plain time, fixed when the definition loads.
    check.duration(step.timeout, `${path}/timeout`, 'the timeout', true);
    if (isObject(step.retry)) {
      check.duration(step.retry['initial-interval'], `${path}/retry/initial-interval`, 'the retry interval', true);
      check.duration(step.retry['max-interval'], `${path}/retry/max-interval`, 'the longest retry interval', true);
      check.duration(step.retry['give-up-after'], `${path}/retry/give-up-after`, 'how long the step retries', true);
    }
    if (isObject(step['on-failure'])) check.role(step['on-failure'].escalate, `${path}/on-failure/escalate`, 'escalates failures to role');
  },

  compile(step, { base }) {
    const failure = step['on-failure'];
    const onFailure: FailurePolicy =
      failure === undefined ? { fail: true } : typeof failure === 'string' ? { goTo: failure } : { escalate: failure.escalate, ...(failure.instructions ? { instructions: failure.instructions } : {}) };
    return {
      ...base,
      kind: 'action',
      activity: step.action,
      ...(step.with !== undefined ? { with: step.with } : {}),
      ...(step['save-as'] !== undefined ? { saveAs: step['save-as'] } : {}),
      timeoutMs: compileElapsedMs(step.timeout, defaultActionTimeoutMs),
      retry: {
        ...(step.retry?.attempts !== undefined ? { maximumAttempts: step.retry.attempts } : {}),
        giveUpAfterMs: compileElapsedMs(step.retry?.['give-up-after'], defaultRetry.giveUpAfterMs),
        initialIntervalMs: compileElapsedMs(step.retry?.['initial-interval'], defaultRetry.initialIntervalMs),
        backoffCoefficient: step.retry?.backoff ?? defaultRetry.backoffCoefficient,
        maximumIntervalMs: compileElapsedMs(step.retry?.['max-interval'], defaultRetry.maximumIntervalMs),
      },
      onFailure,
      ...(step.then !== undefined ? { next: step.then } : {}),
    };
  },

  graph: {
    mermaid: (label) => `["${label}"]`,
    dot: 'box',
    mermaidClass: 'action',
    subtitle: (step) => `action: ${step.activity}`,
    edges: (step) => [
      ...(step.next !== undefined ? [{ from: step.id, to: step.next }] : []),
      ...('goTo' in step.onFailure ? [{ from: step.id, to: step.onFailure.goTo, label: 'on failure', style: 'dotted' as const }] : []),
    ],
    endsBranch: (step) => step.next === undefined,
  },
};
