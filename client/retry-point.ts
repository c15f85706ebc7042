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
import type { WorkflowHandle } from '@temporalio/client';
import type { Payload } from '@temporalio/common';

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

/** Reads a payload of the history (encrypted in Temporal: the client's data converter decrypts it). */
export type PayloadReader = (payload: Payload) => Promise<unknown>;

const idOf = (event: HistoryEvent) => Number(event.eventId ?? 0);

/** The step context (first argument) an activity was scheduled with; undefined when it cannot be read. */
async function stepIdOf(scheduled: HistoryEvent, read: PayloadReader): Promise<string | undefined> {
  const payload = scheduled.activityTaskScheduledEventAttributes?.input?.payloads?.[0];
  if (!payload) return undefined;
  try {
    const context = (await read(payload as Payload)) as { stepId?: unknown } | null;
    return typeof context?.stepId === 'string' ? context.stepId : undefined;
  } catch {
    return undefined;
  }
}

/** A failure's message: in clear, or in its encoded attributes (workflows/failure-converter.ts). */
async function messageOf(failure: { message?: string | null; encodedAttributes?: unknown } | null | undefined, read: PayloadReader): Promise<string | undefined> {
  if (!failure) return undefined;
  if (failure.encodedAttributes) {
    try {
      const attributes = (await read(failure.encodedAttributes as Payload)) as { message?: unknown } | null;
      if (typeof attributes?.message === 'string') return attributes.message;
    } catch {
      // Not decodable with this client's keys: the clear text is all there is.
    }
  }
  return failure.message ?? undefined;
}

/** An action's failure names its step and activity: "step `record` (…) failed: activity `record-case` …". */
const ACTION_FAILURE = /^step `([^`]+)` .*failed: activity `([^`]+)`/;

/**
 * The reset point of a failed run's history; `undefined` when the history does not end in a
 * failure reached by a completed workflow task (nothing to re-run). The failed activity is the
 * last failure of the activity the case's failure names, for the step it names: a failing case
 * records its failure before it ends, so other activities may run in between.
 */
export async function retryPointOf(history: History, read: PayloadReader): Promise<RetryPoint | undefined> {
  const events = history.events ?? [];
  const failed = events.at(-1)?.workflowExecutionFailedEventAttributes;
  if (!failed) return undefined;
  const failure = (await messageOf(failed.failure, read)) ?? 'the case failed';
  const failingTask = Number(failed.workflowTaskCompletedEventId ?? 0);
  const byId = new Map(events.map((event) => [idOf(event), event]));
  if (!byId.get(failingTask)?.workflowTaskCompletedEventAttributes) return undefined;
  const named = ACTION_FAILURE.exec(failure);
  if (named) {
    const [, step, activity] = named;
    const activityFailures = events
      .filter((e) => idOf(e) < failingTask)
      .map((e) => e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes)
      .filter((attributes) => attributes !== undefined && attributes !== null)
      .reverse();
    for (const attributes of activityFailures) {
      const scheduled = byId.get(Number(attributes.scheduledEventId ?? 0));
      const scheduling = scheduled?.activityTaskScheduledEventAttributes;
      if (!scheduled || !scheduling || scheduling.activityType?.name !== activity) continue;
      const stepId = await stepIdOf(scheduled, read);
      if (stepId !== undefined && stepId !== step) continue;
      const schedulingTask = Number(scheduling.workflowTaskCompletedEventId ?? 0);
      if (!byId.get(schedulingTask)?.workflowTaskCompletedEventAttributes) break;
      return { eventId: schedulingTask, failure, stepId: stepId ?? step ?? '', activity };
    }
  }
  return { eventId: failingTask, failure };
}
