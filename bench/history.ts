/**
 * What the benchmark reads from a case's history: its events, its billable actions, its size,
 * and the activities it called with their inputs (to prove both variants call the same).
 *
 * Billable actions follow Temporal Cloud's published definitions
 * (https://docs.temporal.io/cloud/actions), counted from what the history shows:
 *
 * | event                                             | actions                                       |
 * | ---                                               | ---                                           |
 * | WorkflowExecutionStarted                          | 1 (a client start; continue-as-new and child  |
 * |                                                   |   starts are counted where they are initiated)|
 * | ActivityTaskScheduled                             | 1 per attempt: the `attempt` of its started   |
 * |                                                   |   event (each retry is an action), else 1     |
 * | TimerStarted                                      | 1                                             |
 * | UpsertWorkflowSearchAttributes                    | 1 (the SDK's own, for patch markers, too)     |
 * | WorkflowPropertiesModified (memo upsert)          | 1                                             |
 * | WorkflowExecutionUpdateAccepted                   | 1 (rejected Updates leave no event: not seen) |
 * | WorkflowExecutionSignaled                         | 1                                             |
 * | SignalExternalWorkflowExecutionInitiated          | 1                                             |
 * | StartChildWorkflowExecutionInitiated              | 1 (the child's start)                         |
 * | RequestCancelExternalWorkflowExecutionInitiated   | 1                                             |
 * | WorkflowExecutionContinuedAsNew                   | 1 (the new run's start)                       |
 * | MarkerRecorded `core_local_activity`              | 1 per workflow task, however many it holds    |
 * | anything else (workflow tasks, completions, patch | 0                                             |
 * |   markers, timer fired or cancelled, ...)         |                                               |
 *
 * Queries are billable too but leave no event: the driver sends the same kind of queries to
 * both variants, so they are left out of both.
 */
import { defaultPayloadConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import proto, { type temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;
type Event = temporal.api.history.v1.IHistoryEvent;
const EventType = proto.temporal.api.enums.v1.EventType;

/** Counted per event type, with the rule above. */
const ONE_ACTION = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
  EventType.EVENT_TYPE_TIMER_STARTED,
  EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
  EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
  EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
  EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
  EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
]);

const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/** The activity the interpreter adds for Aftercare's audit trail: counted, but left out of the input comparison. */
export const AUDIT_ACTIVITY = 'record-case-history';

export interface ActivityCall {
  type: string;
  input: unknown[];
  /** What it returned, once it completed. */
  result?: unknown;
}

export interface HistoryFigures {
  events: number;
  actions: number;
  /** The history's size as protobuf, as the server stores and sends it. */
  bytes: number;
  /** Actions by kind, for the report's "where it goes". */
  byKind: Record<string, number>;
  activities: ActivityCall[];
}

async function decode(payloads: temporal.api.common.v1.IPayloads | null | undefined, codec: PayloadCodec | undefined): Promise<unknown[]> {
  const raw = (payloads?.payloads ?? []) as Payload[];
  return (codec ? await codec.decode(raw) : raw).map((p) => defaultPayloadConverter.fromPayload(p));
}

function kindOf(event: Event): string {
  const name = EventType[event.eventType ?? 0] ?? 'UNKNOWN';
  return name.replace(/^EVENT_TYPE_/, '').toLowerCase();
}

/** `codec`: the one the cases were encrypted with, to read the activities' inputs for the input check. */
export async function historyFigures(history: History, codec?: PayloadCodec): Promise<HistoryFigures> {
  const events = history.events ?? [];
  const byKind: Record<string, number> = {};
  const add = (kind: string, n: number) => (byKind[kind] = (byKind[kind] ?? 0) + n);
  const attempts = new Map<string, number>();
  for (const event of events) {
    const started = event.activityTaskStartedEventAttributes;
    if (started) attempts.set(String(started.scheduledEventId), started.attempt ?? 1);
  }
  const localActivityTasks = new Set<string>();
  const activities: ActivityCall[] = [];
  const bySchedule = new Map<string, ActivityCall>();
  for (const event of events) {
    const type = event.eventType ?? 0;
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const name = scheduled.activityType?.name ?? '?';
      add(name === AUDIT_ACTIVITY ? `activity ${AUDIT_ACTIVITY}` : 'activity', attempts.get(String(event.eventId)) ?? 1);
      const call: ActivityCall = { type: name, input: await decode(scheduled.input, codec) };
      activities.push(call);
      bySchedule.set(String(event.eventId), call);
    } else if (event.activityTaskCompletedEventAttributes) {
      const call = bySchedule.get(String(event.activityTaskCompletedEventAttributes.scheduledEventId));
      if (call) call.result = (await decode(event.activityTaskCompletedEventAttributes.result, codec))[0];
    } else if (event.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER) {
      const task = String(event.markerRecordedEventAttributes.workflowTaskCompletedEventId);
      if (!localActivityTasks.has(task)) add('local activities (per workflow task)', 1);
      localActivityTasks.add(task);
    } else if (ONE_ACTION.has(type)) {
      add(kindOf(event), 1);
    }
  }
  const bytes = proto.temporal.api.history.v1.History.encode(history).finish().length;
  return { events: events.length, actions: Object.values(byKind).reduce((a, b) => a + b, 0), bytes, byKind, activities };
}

/** JSON with sorted keys: the same value, whatever the order its keys were written in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The activity calls of a case, comparable with another case's of the same input: the audit
 * activity left out, the case id replaced, and every string an earlier activity returned (a
 * work order id the database made) replaced by where it came from.
 */
export function comparableCalls(figures: HistoryFigures, caseId: string): string[] {
  const made = new Map<string, string>();
  const collect = (value: unknown, where: string) => {
    if (typeof value === 'string' && value.length >= 4) {
      if (!made.has(value)) made.set(value, `<${where}>`);
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) collect(inner, `${where}.${key}`);
    }
  };
  const calls = figures.activities.filter((a) => a.type !== AUDIT_ACTIVITY);
  calls.forEach((call, i) => collect(call.result, `result of activity ${i + 1} (${call.type})`));
  const replace = (value: unknown): unknown => {
    if (typeof value === 'string') return value.includes(caseId) ? value.split(caseId).join('<case>') : (made.get(value) ?? value);
    if (Array.isArray(value)) return value.map(replace);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    return value;
  };
  // The step context and what `with:` gave; a third argument is the case's own records, which
  // revision 2 of the interpreter sends along (model/carried-records.ts) — the audit trail, left
  // out like record-case-history.
  return calls.map((call) => `${call.type} ${canonical(replace((call.input as unknown[]).slice(0, 2)))}`);
}

/** The first difference between two cases' activity calls, or undefined when they are the same. */
export function callsDiffer(a: string[], b: string[]): string | undefined {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `activity ${i + 1}: interpreted ${a[i] ?? '(none)'}\n  hand-written ${b[i] ?? '(none)'}`;
  }
  return undefined;
}
