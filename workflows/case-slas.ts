/**
 * The SLA clocks of a running case: started, paused, resumed and stopped by what happens in
 * the case (steps entered and left, outcomes given, data changing), and one durable timer for
 * the earliest next rung of every clock's escalation ladder. Each clock event is recorded on
 * the timeline and written to PostgreSQL; each rung's actions (notify, raise the priority,
 * reassign, open a task, open a case) run as the definition says.
 */
import { condition } from '@temporalio/workflow';
import { iso } from './transitions/entry.js';
import type { CompiledProcess, CompiledSla, SlaEscalation, SlaTrigger } from '../model/compiled-process.js';
import type { CaseState, TimelineEntry } from './case-state.js';
import type { Effect } from './case-effects.js';
import type { CaseTimeline } from './case-timeline.js';
import { rungActions, slaStepContext } from './transitions/sla-rungs.js';
import type { TaskSpec } from './transitions/tasks.js';
import {
  nextDeadline,
  pauseClock,
  reachRung,
  recalibrateClock,
  resumeClock,
  slaStateOf,
  startClock,
  stopClock,
  upcomingRungs,
  type ClockCalendar,
  type ClockEvent,
  type SlaClockState,
} from './sla-clock.js';

/** What the clocks need from the case they run in. */
export interface SlaHost {
  readonly state: CaseState;
  readonly process: CompiledProcess;
  calendar(name: string | undefined): ClockCalendar | undefined;
  evaluate(template: string): unknown;
  evaluateMapping(mapping: unknown): unknown;
  holds(condition: string): boolean;
  currentSteps(): string[];
  record(entry: Omit<TimelineEntry, 'at'>): void;
  enqueue(effect: Effect): void;
  openSideTask(spec: TaskSpec): void;
  raisePriority(priority: string, because: string): void;
  reassignOpenTasks(role: string, because: string): void;
  openEscalationCase(process: string, input: unknown, caseId: string, because: string): void;
  changed(): void;
  fail(message: string): never;
}


function matches(trigger: SlaTrigger, entry: Omit<TimelineEntry, 'at'>): boolean {
  switch (trigger.kind) {
    case 'case-opened':
      return entry.type === 'case-opened';
    case 'enter':
      return entry.type === 'step-entered' && entry.step === trigger.step;
    case 'leave':
      return entry.type === 'step-left' && entry.step === trigger.step && (!trigger.outcomes || trigger.outcomes.includes(entry.outcome ?? ''));
  }
}

export class CaseSlas {
  /** Changes whenever a clock changes state, so the timer loop recomputes its next rung. */
  private version = 0;

  constructor(
    private readonly host: SlaHost,
    /** Where clock events go to the records (with the case history, or one activity each for cases started before it). */
    private readonly history: Pick<CaseTimeline, 'recordsHistory' | 'appendHistory'>,
  ) {}

  private get specs(): CompiledSla[] {
    return this.host.process.slas;
  }

  private clock(spec: CompiledSla): SlaClockState {
    const clock = this.host.state.slas[spec.id];
    if (!clock) this.host.fail(`the case has no state for SLA \`${spec.id}\``);
    return clock;
  }

  private calendarOf(spec: CompiledSla): ClockCalendar | undefined {
    return this.host.calendar(spec.calendar ?? this.host.process.calendar);
  }

  /** Something happened in the case: start and stop the clocks it concerns, then re-check pauses. */
  onEvent(entry: Omit<TimelineEntry, 'at'>, now: number): void {
    if (this.specs.length === 0 || entry.type.startsWith('sla-')) return;
    for (const spec of this.specs) {
      const clock = this.clock(spec);
      const calendar = this.calendarOf(spec);
      if (spec.stop.some((t) => matches(t, entry))) this.apply(spec, stopClock(clock, now, calendar, `${entry.type.replace('-', ' ')} ${entry.step ?? ''}`.trim()));
      if (matches(spec.start, entry)) {
        try {
          this.apply(spec, startClock(clock, spec, now, calendar, (t) => this.host.evaluate(t)));
        } catch (error) {
          this.host.fail(`SLA \`${spec.id}\` could not start: ${(error as Error).message}`);
        }
      }
    }
    this.checkPauses(now);
  }

  /** Pauses and resumes clocks whose pause condition changed. */
  checkPauses(now: number): void {
    const steps = this.host.currentSteps();
    for (const spec of this.specs) {
      if (!spec.pause) continue;
      const clock = this.clock(spec);
      if (clock.status !== 'running' && clock.status !== 'paused') continue;
      const inStep = spec.pause.whileIn.find((step) => steps.includes(step));
      let holds = false;
      if (!inStep && spec.pause.while) {
        try {
          holds = this.host.holds(spec.pause.while);
        } catch {
          holds = false; // data not there yet: the condition does not hold
        }
      }
      const paused = inStep !== undefined || holds;
      const calendar = this.calendarOf(spec);
      if (paused && clock.status === 'running') {
        const reason = spec.pause.reason ?? (inStep ? `${this.host.process.steps[inStep]?.title ?? inStep} (step ${inStep})` : `while ${spec.pause.while}`);
        this.apply(spec, pauseClock(clock, now, reason, calendar));
      } else if (!paused && clock.status === 'paused') {
        this.apply(spec, resumeClock(clock, now, calendar));
      }
    }
  }

  /** The case closes: every running or paused clock stops. */
  /**
   * A newer version of the calendar `name` replaces the pinned one (`replace` swaps it in): the
   * running clocks that count with it keep the time they ran and get new deadlines.
   */
  calendarReplaced(name: string, now: number, replace: () => void): void {
    const affected = this.specs.filter((spec) => (spec.calendar ?? this.host.process.calendar) === name);
    const before = new Map(affected.map((spec) => [spec.id, this.calendarOf(spec)]));
    replace();
    for (const spec of affected) recalibrateClock(this.clock(spec), now, before.get(spec.id), this.calendarOf(spec));
    this.version++;
    this.host.changed();
  }

  closeAll(now: number): void {
    for (const spec of this.specs) this.apply(spec, stopClock(this.clock(spec), now, this.calendarOf(spec), 'case closed'));
  }

  /** Worst SLA state and next deadline, for search attributes and details. */
  summary(): { state: 'ok' | 'warning' | 'breached' | undefined; deadline: string | undefined } {
    const clocks = Object.values(this.host.state.slas);
    return { state: slaStateOf(clocks), deadline: nextDeadline(clocks) };
  }

  /**
   * One durable timer at a time: for the earliest next rung over all running clocks. A clock
   * changing state (paused, stopped...) cancels it and the loop computes the next one.
   */
  async runTimers(closed: () => boolean): Promise<void> {
    if (this.specs.length === 0) return;
    for (;;) {
      if (closed()) return;
      const version = this.version;
      const next = this.nextRung();
      const changed = () => this.version !== version || closed();
      if (!next) {
        await condition(changed);
        continue;
      }
      const wait = next.at - Date.now();
      if (wait > 0) {
        const label = next.index >= 0 ? (next.spec.escalations[next.index]?.label ?? '') : 'breach';
        const interrupted = await condition(changed, wait, { summary: `SLA ${next.spec.id}: ${label} at ${iso(next.at)}` });
        if (interrupted) continue;
      }
      this.reach(next.spec, next.index, Date.now());
    }
  }

  private nextRung(): { spec: CompiledSla; index: number; at: number } | undefined {
    let best: { spec: CompiledSla; index: number; at: number } | undefined;
    for (const spec of this.specs) {
      const first = upcomingRungs(this.clock(spec), spec, this.calendarOf(spec))[0];
      if (first && (!best || first.at < best.at)) best = { spec, index: first.index, at: first.at };
    }
    return best;
  }

  private reach(spec: CompiledSla, index: number, now: number): void {
    const clock = this.clock(spec);
    this.apply(spec, reachRung(clock, spec, index, now, this.calendarOf(spec)));
    const rung = index >= 0 ? spec.escalations[index] : undefined;
    if (rung) this.act(spec, clock, rung, index, now);
  }

  /** The actions of a rung of the ladder (transitions/sla-rungs.ts), carried out in order. */
  private act(spec: CompiledSla, clock: SlaClockState, rung: SlaEscalation, index: number, now: number): void {
    for (const action of rungActions(this.host.state, spec, clock, rung, index, now, this.calendarOf(spec), (t) => this.host.evaluate(t))) {
      switch (action.kind) {
        case 'notify':
          this.host.enqueue({ kind: 'activity', activity: 'notify', context: action.context, input: action.input, summary: action.summary });
          break;
        case 'raise-priority':
          this.host.raisePriority(action.priority, action.because);
          break;
        case 'reassign':
          this.host.reassignOpenTasks(action.role, action.because);
          break;
        case 'open-task':
          this.host.openSideTask(action.task);
          break;
        case 'open-case': {
          let input: unknown = {};
          try {
            input = action.with === undefined ? {} : this.host.evaluateMapping(action.with);
          } catch {
            input = {};
          }
          this.host.openEscalationCase(action.process, input, action.caseId, action.because);
          break;
        }
      }
    }
  }

  /** Records clock events: timeline, the SLA events table, search attributes. */
  private apply(spec: CompiledSla, events: ClockEvent[]): void {
    if (events.length === 0) return;
    const clock = this.clock(spec);
    for (const event of events) {
      clock.events += 1;
      this.host.record({
        type: `sla-${event.type}`,
        clock: spec.id,
        ...(event.result ? { outcome: event.result } : {}),
        detail: [event.rung, event.reason, event.type === 'started' || event.type === 'resumed' ? `due ${event.deadline ?? '?'}` : undefined].filter(Boolean).join('; ') || undefined,
      });
      const context = slaStepContext(this.host.state, spec, clock, `event-${clock.events}`);
      const record = { ...event, title: spec.title, at: iso(event.at) };
      if (this.history.recordsHistory()) {
        // The events of one workflow task go to the records together, each under its own key.
        this.history.appendHistory({ slaEvents: [{ key: context.idempotencyKey, event: record }] }, context.idempotencyKey);
      } else {
        this.host.enqueue({ kind: 'activity', activity: 'record-sla-event', context, input: record, summary: `Record SLA ${spec.id}: ${event.type}` });
      }
    }
    this.version++;
    this.host.changed();
  }
}
