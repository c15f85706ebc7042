/** A wait step: a durable timer for a duration (calendar-aware) or until an instant from case data. */
import { sleep } from '@temporalio/workflow';
import type { WaitStep } from '../../model/compiled-process.js';
import { resolveDeadline, resolveInstant } from '../../dsl/deadlines.js';
import { iso } from '../transitions/entry.js';
import { follow } from '../transitions/flow.js';
import { stepFailure } from '../transitions/step-failure.js';
import type { StepRunner } from './runtime.js';

export const runWait: StepRunner<WaitStep> = async (step, token, resume, runtime) => {
  let until: number;
  if (resume && token.wait?.kind === 'timer') until = token.wait.until;
  else {
    const now = Date.now();
    const evaluate = (t: string) => runtime.evaluate(t);
    try {
      until = step.for ? resolveDeadline(step.for, now, evaluate, runtime.calendar(runtime.process.calendar)) : resolveInstant(step.until ?? '', evaluate);
    } catch (error) {
      throw stepFailure(step, 'the end of the wait could not be computed', error);
    }
    runtime.record({ type: 'timer-started', step: step.id, detail: `until ${iso(until)}` });
  }
  token.wait = { kind: 'timer', until };
  runtime.changed();
  const remaining = until - Date.now();
  if (remaining > 0) await sleep(remaining, { summary: `${step.title} (until ${iso(until)})` });
  runtime.record({ type: 'timer-fired', step: step.id });
  return follow(step.next);
};
