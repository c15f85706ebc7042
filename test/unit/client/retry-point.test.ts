/**
 * Where `retryCase` resets a failed run to (client/retry-point.ts), read from histories shaped
 * as Temporal writes them: the task that scheduled a failed activity, otherwise the task that
 * failed the case.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { retryPointOf } from '../../../client/retry-point.js';

type Event = Record<string, unknown> & { eventId: number };
const task = (id: number): Event[] => [
  { eventId: id, workflowTaskScheduledEventAttributes: {} },
  { eventId: id + 1, workflowTaskStartedEventAttributes: { scheduledEventId: id } },
  { eventId: id + 2, workflowTaskCompletedEventAttributes: { scheduledEventId: id, startedEventId: id + 1 } },
];
const failedCase = (taskCompleted: number, message: string): Event => ({ eventId: 99, workflowExecutionFailedEventAttributes: { workflowTaskCompletedEventId: taskCompleted, failure: { message } } });
const history = (events: Event[]) => ({ events }) as unknown as Parameters<typeof retryPointOf>[0];
const scheduled = (id: number, byTask: number, stepId: string, activity: string): Event => ({
  eventId: id,
  activityTaskScheduledEventAttributes: { activityType: { name: activity }, workflowTaskCompletedEventId: byTask, input: { payloads: [defaultPayloadConverter.toPayload({ caseId: 'C-1', stepId })] } },
});

describe('retryPointOf', () => {
  it('resets an action that gave up to the workflow task that scheduled its activity', () => {
    const events = [
      { eventId: 1, workflowExecutionStartedEventAttributes: {} },
      ...task(2), // 2, 3, 4: schedules the notification
      scheduled(5, 4, 'inform', 'notify'),
      { eventId: 6, activityTaskCompletedEventAttributes: { scheduledEventId: 5 } },
      ...task(7), // 7, 8, 9: schedules record-case
      scheduled(10, 9, 'record', 'record-case'),
      { eventId: 11, activityTaskStartedEventAttributes: { scheduledEventId: 10 } },
      { eventId: 12, activityTaskFailedEventAttributes: { scheduledEventId: 10 } },
      ...task(13), // 13, 14, 15: fails the case
      failedCase(15, 'step `record` failed'),
    ];
    expect(retryPointOf(history(events))).toEqual({ eventId: 9, failure: 'step `record` failed', stepId: 'record', activity: 'record-case' });
  });

  it('resets any other failure to the workflow task that failed the case, ignoring activity failures handled before it', () => {
    const events = [
      { eventId: 1, workflowExecutionStartedEventAttributes: {} },
      ...task(2),
      scheduled(5, 4, 'inform', 'notify'),
      { eventId: 6, activityTaskFailedEventAttributes: { scheduledEventId: 5 } },
      ...task(7), // 7, 8, 9: went on after the failed notification
      { eventId: 10, timerStartedEventAttributes: {} },
      { eventId: 11, timerFiredEventAttributes: {} },
      ...task(12), // 12, 13, 14: a `with` that could not be computed
      failedCase(14, 'step `price` failed: its `with` could not be computed'),
    ];
    expect(retryPointOf(history(events))).toEqual({ eventId: 14, failure: 'step `price` failed: its `with` could not be computed' });
  });

  it('finds nothing to retry in a history that does not end in a failure', () => {
    expect(retryPointOf(history([{ eventId: 1, workflowExecutionStartedEventAttributes: {} }, ...task(2), { eventId: 5, workflowExecutionCompletedEventAttributes: {} }]))).toBeUndefined();
  });
});
