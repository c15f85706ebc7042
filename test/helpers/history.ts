/**
 * What a case's workflow history says about its timers: when the workflow asked for each one to
 * fire. Tests assert on that instant — exact, and the same on a quiet machine and a loaded one —
 * rather than on how late the effect of the timer was observed (the server starts a timer
 * when the workflow task that asked for it completes, and a loaded machine delays that).
 */
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { tsToMs } from '@temporalio/common/lib/time.js';

export interface StartedTimer {
  timerId: string;
  /** The summary the workflow gave the timer (what it waits for, and until when). */
  summary: string | undefined;
  /** The workflow's clock when it asked for the timer: the start of the workflow task that started it. */
  askedAt: number;
  /** `askedAt` plus the timer's duration: the instant the workflow meant it to fire. */
  firesAt: number;
  /** Whether it fired (rather than being cancelled, or still running). */
  fired: boolean;
}

/** The timers of a workflow's history, in the order they were started. */
export async function startedTimers(temporal: Client, workflowId: string): Promise<StartedTimer[]> {
  const events = (await temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const fired = new Set(events.filter((e) => e.timerFiredEventAttributes).map((e) => e.timerFiredEventAttributes?.timerId));
  const timers: StartedTimer[] = [];
  // A workflow task's commands are written right after it completed, so the last workflow task
  // started before a TimerStarted is the one that asked for it; its time is the workflow's "now".
  // (Not via workflowTaskCompletedEventId: the time-skipping server points that at the started event.)
  let lastTaskStartedAt: number | undefined;
  for (const event of events) {
    if (event.workflowTaskStartedEventAttributes) lastTaskStartedAt = tsToMs(event.eventTime);
    const attributes = event.timerStartedEventAttributes;
    if (!attributes) continue;
    if (lastTaskStartedAt === undefined) throw new Error(`timer ${attributes.timerId} of ${workflowId}: no workflow task started before it`);
    const summaryPayload = event.userMetadata?.summary;
    timers.push({
      timerId: attributes.timerId ?? '',
      summary: summaryPayload ? defaultPayloadConverter.fromPayload<string>(summaryPayload) : undefined,
      askedAt: lastTaskStartedAt,
      firesAt: lastTaskStartedAt + tsToMs(attributes.startToFireTimeout),
      fired: fired.has(attributes.timerId),
    });
  }
  return timers;
}

/** The workflow's clock at its first workflow task. */
export async function firstWorkflowTaskAt(temporal: Client, workflowId: string): Promise<number> {
  const events = (await temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const started = events.find((e) => e.workflowTaskStartedEventAttributes);
  if (!started?.eventTime) throw new Error(`${workflowId}: no workflow task has started`);
  return tsToMs(started.eventTime);
}
