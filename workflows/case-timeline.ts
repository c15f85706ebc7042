/**
 * The case's timeline and audit trail. Every entry goes on the workflow's timeline (bounded: the
 * oldest are dropped past TIMELINE_LIMIT); people's actions and the case's lifecycle also go to
 * the audit trail in PostgreSQL (`case_events`, unbounded), and the SLA clocks hear of each entry.
 *
 * What a workflow task adds to the records — audit rows and SLA clock events — goes in one
 * `record-case-history` activity, gathered by the effect runner: a local activity from engine
 * revision 2 (no events of its own but one marker, and no workflow task to hear of its end).
 * Cases started before this replay as they ran: no audit trail, one activity per SLA event
 * (patch `records-history`).
 */
import { revision2, takes, type EngineRevision } from './engine.js';
import { TIMELINE_LIMIT, type CaseState, type TimelineEntry } from './case-state.js';
import type { CaseEffects } from './case-effects.js';
import { iso, type Entry } from './transitions/entry.js';

/** Timeline entries that go to the audit trail in PostgreSQL. */
const AUDITED: ReadonlySet<string> = new Set(['calendar-updated', 'case-opened', 'task-completed', 'task-claimed', 'task-reassigned', 'escalated', 'priority-raised', 'visits-exceeded', 'case-cancelled', 'case-closed', 'case-failed']);

export class CaseTimeline {
  private historyOn: boolean | undefined;
  /** Told of every entry as it is recorded (the SLA clocks start, stop and pause on them). */
  onRecorded: ((entry: Entry, now: number) => void) | undefined;

  constructor(
    private readonly state: CaseState,
    private readonly effects: CaseEffects,
    private readonly engine: EngineRevision,
  ) {}

  record(entry: Entry): void {
    const now = Date.now();
    const recorded: TimelineEntry = { at: iso(now), ...entry };
    const timeline = this.state.timeline;
    timeline.push(recorded);
    if (AUDITED.has(entry.type)) this.audit(recorded, this.state.timelineDropped + timeline.length - 1);
    if (timeline.length > TIMELINE_LIMIT) {
      const drop = timeline.length - TIMELINE_LIMIT;
      timeline.splice(0, drop);
      this.state.timelineDropped += drop;
    }
    this.onRecorded?.(entry, now);
  }

  /** Whether this case sends its records with the case history (patch `records-history`). */
  recordsHistory(): boolean {
    this.historyOn ??= takes(this.engine, 'records-history');
    return this.historyOn;
  }

  /** Adds to the case history the records are sent: the newest queued batch if it has not started, or a new one. */
  appendHistory(part: { entries?: unknown[]; slaEvents?: unknown[] }, key: string): void {
    const { caseId, process, version } = this.state;
    const fresh = { entries: [...(part.entries ?? [])], slaEvents: [...(part.slaEvents ?? [])] };
    this.effects.enqueueBatched(
      {
        kind: 'activity',
        activity: 'record-case-history',
        context: { caseId, process, version, stepId: 'history', visit: 0, idempotencyKey: key },
        input: fresh,
        summary: 'Record the case history',
        ...(revision2(this.engine) ? { local: true } : {}),
      },
      (queued) => {
        const input = queued.input as { entries: unknown[]; slaEvents: unknown[] };
        input.entries.push(...fresh.entries);
        input.slaEvents.push(...fresh.slaEvents);
      },
    );
  }

  private audit(entry: TimelineEntry, seq: number): void {
    if (!this.recordsHistory()) return;
    this.appendHistory({ entries: [{ seq, ...entry }] }, `${this.state.caseId}:history:${seq}`);
  }
}
