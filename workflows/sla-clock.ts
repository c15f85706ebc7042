/**
 * SLA clocks: pure functions over a clock's state, so the rules can be unit-tested and the
 * workflow only decides when to call them.
 *
 * A clock measures its target in its own time: calendar time for targets like `24h`, business
 * time for `8 business hours` and `3 working days` (the latter converted, when the cycle
 * starts, into the business time until the end of the third working day). Pausing stops the
 * count; resuming continues it; every escalation rung is a point on the same count (`75%` of
 * the target, `2h before` the breach, the breach, `4h after`), so the instant of the next rung
 * is always "now plus what is left", computed with the calendar. The workflow keeps one timer
 * for the earliest next rung of all clocks.
 */
import type { WorkingTime } from '../dsl/deadlines.js';
import { parseDuration, describeDuration, type DurationSpec } from '../dsl/durations.js';
import type { CompiledSla, SlaEscalation } from '../model/compiled-process.js';

/** What a clock needs from a business calendar. */
export interface ClockCalendar extends WorkingTime {
  businessMillisBetween(from: number, to: number): number;
  nextWorkingInstant(from: number): number;
}

export type ClockStatus = 'waiting' | 'running' | 'paused' | 'stopped';

export interface ClockCycle {
  cycle: number;
  startedAt: string;
  stoppedAt: string;
  result: 'met' | 'breached';
  businessMs: number;
  calendarMs: number;
}

export interface SlaClockState {
  id: string;
  title: string;
  status: ClockStatus;
  /** 1 for the first cycle; a reopened case with `reopen: new-cycle` starts the next. */
  cycle: number;
  basis: 'elapsed' | 'business';
  /** This cycle's target in the clock's time, and in words. */
  budgetMs: number;
  target: string;
  /** Clock time consumed before `since` (while running) or in all (paused, stopped). */
  consumedMs: number;
  /** Running time consumed, in business and in calendar time, for reports. */
  businessMs: number;
  calendarMs: number;
  /** Instant the clock last started or resumed running. */
  since?: number;
  startedAt?: string;
  /** When running: the instant of the breach. */
  deadline?: string;
  pausedAt?: string;
  pauseReason?: string;
  stoppedAt?: string;
  result?: 'met' | 'breached';
  /** Rungs of the ladder already reached in this cycle (indexes into the definition's escalations). */
  fired: number[];
  warned: boolean;
  breached: boolean;
  cycles: ClockCycle[];
  /** Events recorded so far (numbers their idempotency keys). */
  events: number;
}

export type ClockEventType = 'started' | 'paused' | 'resumed' | 'warning' | 'breached' | 'escalated' | 'stopped';

export interface ClockEvent {
  clock: string;
  cycle: number;
  type: ClockEventType;
  at: number;
  target: string;
  deadline?: string;
  reason?: string;
  rung?: string;
  result?: 'met' | 'breached';
  businessMs: number;
  calendarMs: number;
}

export class ClockError extends Error {
  override readonly name = 'ClockError';
}

export function newClock(spec: CompiledSla): SlaClockState {
  return { id: spec.id, title: spec.title, status: 'waiting', cycle: 0, basis: 'elapsed', budgetMs: 0, target: '', consumedMs: 0, businessMs: 0, calendarMs: 0, fired: [], warned: false, breached: false, cycles: [], events: 0 };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function needCalendar(calendar: ClockCalendar | undefined, what: string): ClockCalendar {
  if (!calendar) throw new ClockError(`${what} needs a business calendar: name one with \`calendar:\``);
  return calendar;
}

/** Converts a target into the clock's basis and budget, starting at `now`. */
export function budgetOf(spec: DurationSpec, now: number, calendar: ClockCalendar | undefined, evaluate: (template: string) => unknown): { basis: 'elapsed' | 'business'; budgetMs: number; target: string } {
  switch (spec.kind) {
    case 'elapsed':
      return { basis: 'elapsed', budgetMs: spec.ms, target: describeDuration(spec) };
    case 'business-hours':
      needCalendar(calendar, `\`${describeDuration(spec)}\``);
      return { basis: 'business', budgetMs: spec.hours * 3_600_000, target: describeDuration(spec) };
    case 'working-days': {
      const cal = needCalendar(calendar, `\`${describeDuration(spec)}\``);
      return { basis: 'business', budgetMs: cal.businessMillisBetween(now, cal.endOfWorkingDays(now, spec.days)), target: describeDuration(spec) };
    }
    case 'expression': {
      const value = evaluate(spec.template);
      if (typeof value === 'string') {
        const parsed = parseDuration(value);
        if (parsed.ok && parsed.value.kind !== 'expression') return budgetOf(parsed.value, now, calendar, evaluate);
        const instant = Date.parse(value);
        // A promised date: the clock is due at that instant, in calendar time.
        if (!Number.isNaN(instant)) return { basis: 'elapsed', budgetMs: Math.max(0, instant - now), target: `by ${iso(instant)}` };
      }
      if (typeof value === 'number' && Number.isFinite(value)) return { basis: 'elapsed', budgetMs: value, target: `${value} ms` };
      throw new ClockError(`the target \`${spec.template}\` gave ${JSON.stringify(value)}, which is neither a duration nor a time`);
    }
  }
}

/** Clock time between two instants, in the clock's basis. */
function clockTimeBetween(state: SlaClockState, from: number, to: number, calendar: ClockCalendar | undefined): number {
  if (to <= from) return 0;
  return state.basis === 'business' ? needCalendar(calendar, 'a business-time clock').businessMillisBetween(from, to) : to - from;
}

/** The instant when `ms` more clock time will have run from `from`. */
function instantAfter(state: SlaClockState, from: number, ms: number, calendar: ClockCalendar | undefined): number {
  if (ms <= 0) return from;
  return state.basis === 'business' ? needCalendar(calendar, 'a business-time clock').addBusinessHours(from, ms / 3_600_000) : from + ms;
}

function event(state: SlaClockState, type: ClockEventType, at: number, extra: Partial<ClockEvent> = {}): ClockEvent {
  return {
    clock: state.id,
    cycle: state.cycle,
    type,
    at,
    target: state.target,
    ...(state.deadline ? { deadline: state.deadline } : {}),
    businessMs: state.businessMs,
    calendarMs: state.calendarMs,
    ...extra,
  };
}

/** Adds the running time since `since` to the counters. */
function consume(state: SlaClockState, now: number, calendar: ClockCalendar | undefined): void {
  if (state.status !== 'running' || state.since === undefined) return;
  state.consumedMs += clockTimeBetween(state, state.since, now, calendar);
  state.calendarMs += Math.max(0, now - state.since);
  state.businessMs += calendar ? calendar.businessMillisBetween(state.since, now) : Math.max(0, now - state.since);
  state.since = now;
}

/**
 * The clock's calendar is being replaced by a newer version: the time run so far is counted
 * with the calendar it ran under (`before`), the deadline from now on with the new one (`after`).
 */
export function recalibrateClock(state: SlaClockState, now: number, before: ClockCalendar | undefined, after: ClockCalendar | undefined): void {
  if (state.status !== 'running') return;
  consume(state, now, before);
  refreshDeadline(state, now, after);
}

function refreshDeadline(state: SlaClockState, now: number, calendar: ClockCalendar | undefined): void {
  if (state.status === 'running') state.deadline = iso(instantAfter(state, now, state.budgetMs - state.consumedMs, calendar));
  else delete state.deadline;
}

/**
 * The start trigger fired. Starts the first cycle; after a stop (a reopened case) starts the
 * next cycle or continues the old one, as the definition says. Ignored while running or paused.
 */
export function startClock(state: SlaClockState, spec: CompiledSla, now: number, calendar: ClockCalendar | undefined, evaluate: (template: string) => unknown): ClockEvent[] {
  if (state.status === 'running' || state.status === 'paused') return [];
  if (state.status === 'stopped' && spec.reopen === 'continue') {
    state.status = 'running';
    state.since = now;
    delete state.stoppedAt;
    delete state.result;
    refreshDeadline(state, now, calendar);
    return [event(state, 'resumed', now, { reason: 'case reopened: the clock continues its cycle' })];
  }
  let target: DurationSpec | undefined = spec.otherwise;
  let key: string | undefined;
  if (spec.targetBy) {
    const value = evaluate(spec.targetBy);
    key = value === null || value === undefined ? '' : String(value);
    target = spec.targets[key] ?? spec.otherwise;
  }
  if (!target) throw new ClockError(`SLA \`${spec.id}\` has no target for \`${key ?? ''}\` and no \`otherwise\``);
  const budget = budgetOf(target, now, calendar, evaluate);
  Object.assign(state, {
    status: 'running' as const,
    cycle: state.cycle + 1,
    basis: budget.basis,
    budgetMs: budget.budgetMs,
    target: budget.target,
    consumedMs: 0,
    businessMs: 0,
    calendarMs: 0,
    since: now,
    startedAt: iso(now),
    fired: [],
    warned: false,
    breached: false,
  });
  delete state.stoppedAt;
  delete state.result;
  delete state.pausedAt;
  delete state.pauseReason;
  refreshDeadline(state, now, calendar);
  return [event(state, 'started', now, state.cycle > 1 ? { reason: 'case reopened: a new cycle' } : {})];
}

export function pauseClock(state: SlaClockState, now: number, reason: string, calendar: ClockCalendar | undefined): ClockEvent[] {
  if (state.status !== 'running') return [];
  consume(state, now, calendar);
  state.status = 'paused';
  state.pausedAt = iso(now);
  state.pauseReason = reason;
  delete state.since;
  refreshDeadline(state, now, calendar);
  return [event(state, 'paused', now, { reason })];
}

export function resumeClock(state: SlaClockState, now: number, calendar: ClockCalendar | undefined): ClockEvent[] {
  if (state.status !== 'paused') return [];
  const reason = state.pauseReason;
  state.status = 'running';
  state.since = now;
  delete state.pausedAt;
  delete state.pauseReason;
  refreshDeadline(state, now, calendar);
  return [event(state, 'resumed', now, reason ? { reason: `no longer: ${reason}` } : {})];
}

export function stopClock(state: SlaClockState, now: number, calendar: ClockCalendar | undefined, reason?: string): ClockEvent[] {
  if (state.status !== 'running' && state.status !== 'paused') return [];
  consume(state, now, calendar);
  // A stop at the very instant of the breach comes after it: the breach rung has fired or fires now.
  if (state.consumedMs >= state.budgetMs && state.budgetMs >= 0) state.breached = state.breached || state.consumedMs > state.budgetMs;
  state.status = 'stopped';
  state.stoppedAt = iso(now);
  state.result = state.breached ? 'breached' : 'met';
  delete state.since;
  delete state.pausedAt;
  delete state.pauseReason;
  delete state.deadline;
  state.cycles.push({ cycle: state.cycle, startedAt: state.startedAt ?? iso(now), stoppedAt: state.stoppedAt, result: state.result, businessMs: state.businessMs, calendarMs: state.calendarMs });
  return [event(state, 'stopped', now, { result: state.result, ...(reason ? { reason } : {}) })];
}

/** Clock time at which a rung is reached, within this cycle's budget. */
export function rungLevel(rung: SlaEscalation, budgetMs: number): number {
  const offset = (spec: DurationSpec) => {
    if (spec.kind === 'elapsed') return spec.ms;
    if (spec.kind === 'business-hours') return spec.hours * 3_600_000;
    throw new ClockError('escalation offsets are plain or business hours, not working days');
  };
  switch (rung.threshold.kind) {
    case 'percent':
      return (budgetMs * rung.threshold.percent) / 100;
    case 'before':
      return Math.max(0, budgetMs - offset(rung.threshold.spec));
    case 'breach':
      return budgetMs;
    case 'after':
      return budgetMs + offset(rung.threshold.spec);
  }
}

/** The rungs of a running clock not yet reached, with their instants, earliest first (the breach included). */
export function upcomingRungs(state: SlaClockState, spec: CompiledSla, calendar: ClockCalendar | undefined): { index: number; level: number; at: number }[] {
  if (state.status !== 'running' || state.since === undefined) return [];
  const since = state.since;
  const rungs = spec.escalations.map((rung, index) => ({ index, level: rungLevel(rung, state.budgetMs) }));
  // The breach is a rung even when the definition attaches no action to it (index -1).
  if (!spec.escalations.some((r) => r.threshold.kind === 'breach')) rungs.push({ index: -1, level: state.budgetMs });
  return rungs
    .filter((r) => !state.fired.includes(r.index))
    .map((r) => ({ ...r, at: instantAfter(state, since, r.level - state.consumedMs, calendar) }))
    .sort((a, b) => a.at - b.at || a.level - b.level);
}

/** Marks rung `index` reached at `now`; returns its events (a warning, or the breach). */
export function reachRung(state: SlaClockState, spec: CompiledSla, index: number, now: number, calendar: ClockCalendar | undefined): ClockEvent[] {
  if (state.fired.includes(index)) return [];
  consume(state, now, calendar);
  state.fired.push(index);
  const rung = index >= 0 ? spec.escalations[index] : undefined;
  const level = rung ? rungLevel(rung, state.budgetMs) : state.budgetMs;
  const label = rung?.label ?? 'breach';
  if (level >= state.budgetMs) {
    const first = !state.breached;
    state.breached = true;
    return first ? [event(state, 'breached', now, { rung: label })] : [event(state, 'escalated', now, { rung: label })];
  }
  state.warned = true;
  return [event(state, 'warning', now, { rung: label })];
}

/** The worst state over a case's clocks: what operators filter on. */
export function slaStateOf(clocks: SlaClockState[]): 'ok' | 'warning' | 'breached' | undefined {
  const started = clocks.filter((c) => c.cycle > 0);
  if (started.length === 0) return undefined;
  if (started.some((c) => c.breached)) return 'breached';
  if (started.some((c) => c.warned && c.status !== 'stopped')) return 'warning';
  return 'ok';
}

/** The next breach deadline among running clocks; with `keepBreached`, a deadline already missed counts (the earliest, so operators see how late). */
export function nextDeadline(clocks: SlaClockState[], keepBreached = false): string | undefined {
  return clocks
    .filter((c) => c.status === 'running' && c.deadline && (keepBreached || !c.breached))
    .map((c) => c.deadline as string)
    .sort()[0];
}
