/**
 * An action step: one activity, retried as the step says; a failure goes where `on-failure`
 * says (another step, a person's task to retry or mark handled, or the end of the case).
 */
import { ActivityFailure, ApplicationFailure, condition, isCancellation, scheduleActivity } from '@temporalio/workflow';
import type { StepContext } from '../../model/activity-catalog/index.js';
import type { ActionStep } from '../../model/compiled-process.js';
import type { Token } from '../case-state.js';
import { takes } from '../engine.js';
import { describeMs } from '../../dsl/durations.js';
import { evaluateMapping } from '../../dsl/expressions.js';
import { follow } from '../transitions/flow.js';
import { recordInputOnce } from '../transitions/record-input.js';
import { stepFailure } from '../transitions/step-failure.js';
import { failedActionTask } from '../transitions/tasks.js';
import type { CaseRuntime, StepRunner } from './runtime.js';

/** The activity's failure, its causes included: a time-out says what the last attempt met. */
function describeFailure(error: unknown): string {
  const messages: string[] = [];
  for (let cause = error instanceof ActivityFailure ? error.cause : error; cause !== undefined && messages.length < 4; cause = cause instanceof Error ? cause.cause : undefined) {
    messages.push(cause instanceof Error ? cause.message : String(cause));
  }
  return messages.filter((m) => m !== '').join(': ');
}

/** Why the activity stopped being retried, in the words of the step's retry policy. */
function howItEnded(step: ActionStep, error: unknown): string {
  const retryState = error instanceof ActivityFailure ? error.retryState : undefined;
  if (retryState === 'TIMEOUT') return `gave up after ${describeMs(step.retry.giveUpAfterMs)} of retrying`;
  if (retryState === 'MAXIMUM_ATTEMPTS_REACHED' && step.retry.maximumAttempts !== undefined) return `gave up after ${step.retry.maximumAttempts} attempts`;
  return 'failed for a reason a retry cannot fix';
}

export const runAction: StepRunner<ActionStep> = async (step, token, _resume, runtime) => {
  const { state } = runtime;
  const visit = state.visits[step.id] ?? 1;
  const context: StepContext = { caseId: state.caseId, process: state.process, version: state.version, stepId: step.id, visit, idempotencyKey: `${state.caseId}:${step.id}:${visit}` };
  for (;;) {
    let input: unknown;
    try {
      input = evaluateMapping(step.with ?? {}, runtime.expressionContext());
    } catch (error) {
      throw stepFailure(step, 'its `with` could not be computed', error);
    }
    // The case input once, not twice (`details: "${input}"` beside parts of it); cases that
    // recorded themselves before sent it as evaluated, and replay so (patch `record-input-once`).
    if (step.activity === 'record-case' && takes(runtime.args, 'record-input-once')) input = recordInputOnce(input);
    token.wait = { kind: 'activity', activity: step.activity };
    runtime.changed();
    try {
      const carried = runtime.carriedRecords();
      const result = await scheduleActivity<unknown>(step.activity, carried ? [context, input, carried] : [context, input], {
        startToCloseTimeout: step.timeoutMs,
        // Retried until the step gives up (`give-up-after`): an outage is waited out.
        scheduleToCloseTimeout: step.retry.giveUpAfterMs,
        retry: {
          ...(step.retry.maximumAttempts !== undefined ? { maximumAttempts: step.retry.maximumAttempts } : {}),
          initialInterval: step.retry.initialIntervalMs,
          backoffCoefficient: step.retry.backoffCoefficient,
          maximumInterval: step.retry.maximumIntervalMs,
        },
        summary: step.title,
      });
      if (step.saveAs) state.data[step.saveAs] = result ?? null;
      runtime.record({ type: 'action-completed', step: step.id });
      return follow(step.next);
    } catch (error) {
      if (isCancellation(error)) throw error;
      const message = describeFailure(error);
      runtime.record({ type: 'action-failed', step: step.id, detail: `${step.activity}: ${message}` });
      const policy = step.onFailure;
      if ('goTo' in policy) return { type: 'next', next: policy.goTo };
      if ('escalate' in policy) {
        const outcome = await escalate(step, token, policy.escalate, policy.instructions, message, runtime);
        if (outcome === 'retry') continue;
        return follow(step.next);
      }
      throw ApplicationFailure.nonRetryable(`step \`${step.id}\` (${step.title}) failed: activity \`${step.activity}\` ${howItEnded(step, error)}: ${message}`, 'ActionFailed');
    }
  }
};

/** A failed action becomes a task for a role: retry it, or say it was handled by hand. */
async function escalate(step: ActionStep, token: Token, role: string, instructions: string | undefined, error: string, runtime: CaseRuntime): Promise<string> {
  const task = runtime.openTask(failedActionTask(step, role, instructions, error), undefined);
  runtime.record({ type: 'escalated', step: step.id, task: task.id, detail: `to ${role}: ${error}` });
  token.wait = { kind: 'task', taskId: task.id };
  runtime.changed();
  await condition(() => runtime.state.tasks[task.id]?.status !== 'open');
  return runtime.state.tasks[task.id]?.outcome ?? 'retry';
}
