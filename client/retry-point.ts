/**
 * Where a failed case is reset to so that the step that failed runs again (`retryCase`).
 *
 * Temporal resets a run to a workflow task: the new run keeps the history up to that task's
 * start, and the worker runs the task again with what it knows now. The task to choose:
 *
 * - an action that gave up: the task that **scheduled** the failed activity (its
 *   ActivityTaskScheduled event names it, `workflowTaskCompletedEventId`), so the activity is
 *   scheduled again. Resetting to the task that failed the case would replay the activity's
 *   failure and fail it again.
 * - any other failure (a step whose `with` could not be computed, a subprocess that failed...):
 *   the task that failed the case, which runs again on the worker's current code.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
type HistoryEvent = NonNullable<History['events']>[number];

export interface RetryPoint {
  /** The WorkflowTaskCompleted event to reset to. */
  eventId: number;
  /** The failure that ended the run, as Temporal recorded it. */
  failure: string;
  /** The step that failed, when an activity failed (from the step context it was called with). */
  stepId?: string;
  /** The activity that failed. */
  activity?: string;
}

const idOf = (event: HistoryEvent) => Number(event.eventId ?? 0);

/** The step context (first argument) an activity was scheduled with. */
function stepIdOf(scheduled: HistoryEvent): string | undefined {
  const payload = scheduled.activityTaskScheduledEventAttributes?.input?.payloads?.[0];
  if (!payload) return undefined;
  try {
    const context = defaultPayloadConverter.fromPayload<{ stepId?: unknown }>(payload);
    return typeof context?.stepId === 'string' ? context.stepId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The reset point of a failed run's history; `undefined` when the history does not end in a
 * failure reached by a completed workflow task (nothing to re-run).
 */
export function retryPointOf(history: History): RetryPoint | undefined {
  const events = history.events ?? [];
  const failed = events.at(-1)?.workflowExecutionFailedEventAttributes;
  if (!failed) return undefined;
  const failure = failed.failure?.message ?? 'the case failed';
  const failingTask = Number(failed.workflowTaskCompletedEventId ?? 0);
  const byId = new Map(events.map((event) => [idOf(event), event]));
  const completed = byId.get(failingTask)?.workflowTaskCompletedEventAttributes;
  if (!completed) return undefined;
  // What woke the failing task: the events since the task completed before it was scheduled.
  const scheduledAt = Number(completed.scheduledEventId ?? failingTask);
  const previousTask = events.filter((e) => e.workflowTaskCompletedEventAttributes && idOf(e) < scheduledAt).at(-1);
  const since = previousTask ? idOf(previousTask) : 0;
  const activityFailure = events
    .filter((e) => idOf(e) > since && idOf(e) < failingTask)
    .map((e) => e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes)
    .filter((attributes) => attributes !== undefined && attributes !== null)
    .at(-1);
  const scheduled = activityFailure ? byId.get(Number(activityFailure.scheduledEventId ?? 0)) : undefined;
  const schedulingTask = Number(scheduled?.activityTaskScheduledEventAttributes?.workflowTaskCompletedEventId ?? 0);
  if (scheduled && byId.get(schedulingTask)?.workflowTaskCompletedEventAttributes) {
    const stepId = stepIdOf(scheduled);
    const activity = scheduled.activityTaskScheduledEventAttributes?.activityType?.name ?? undefined;
    return { eventId: schedulingTask, failure, ...(stepId ? { stepId } : {}), ...(activity ? { activity } : {}) };
  }
  return { eventId: failingTask, failure };
}
