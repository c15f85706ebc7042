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
const read = async (payload: Parameters<typeof defaultPayloadConverter.fromPayload>[0]) => defaultPayloadConverter.fromPayload(payload);
const scheduled = (id: number, byTask: number, stepId: string, activity: string): Event => ({
  eventId: id,
  activityTaskScheduledEventAttributes: { activityType: { name: activity }, workflowTaskCompletedEventId: byTask, input: { payloads: [defaultPayloadConverter.toPayload({ caseId: 'C-1', stepId })] } },
});

const failure = 'step `record` (Record the request) failed: activity `record-case` failed for a reason a retry cannot fix: refused';

describe('retryPointOf', () => {
  it('resets an action that gave up to the workflow task that scheduled its activity', async () => {
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
      failedCase(15, failure),
    ];
    expect(await retryPointOf(history(events), read)).toEqual({ eventId: 9, failure, stepId: 'record', activity: 'record-case' });
  });

  it('finds the failed activity when the failing case recorded its failure before it ended', async () => {
    const events = [
      { eventId: 1, workflowExecutionStartedEventAttributes: {} },
      ...task(2), // 2, 3, 4: schedules record-case
      scheduled(5, 4, 'record', 'record-case'),
      { eventId: 6, activityTaskFailedEventAttributes: { scheduledEventId: 5 } },
      ...task(7), // 7, 8, 9: records case-failed
      scheduled(10, 9, 'history', 'record-case-history'),
      { eventId: 11, activityTaskCompletedEventAttributes: { scheduledEventId: 10 } },
      ...task(12), // 12, 13, 14: fails the case
      failedCase(14, failure),
    ];
    expect(await retryPointOf(history(events), read)).toEqual({ eventId: 4, failure, stepId: 'record', activity: 'record-case' });
  });

  it('resets any other failure to the workflow task that failed the case, ignoring activity failures handled before it', async () => {
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
    expect(await retryPointOf(history(events), read)).toEqual({ eventId: 14, failure: 'step `price` failed: its `with` could not be computed' });
  });

  it('finds nothing to retry in a history that does not end in a failure', async () => {
    expect(await retryPointOf(history([{ eventId: 1, workflowExecutionStartedEventAttributes: {} }, ...task(2), { eventId: 5, workflowExecutionCompletedEventAttributes: {} }]), read)).toBeUndefined();
  });
});
