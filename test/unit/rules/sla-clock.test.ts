/**
 * SLA clocks (workflows/sla-clock.ts): start, pause, resume, stop, the instants of the
 * escalation rungs, reopened cases (a new cycle, or `reopen: continue`), and business time
 * counted with a calendar. The clocks are compiled from a small definition.
 *
 * Calendar: monday-to-friday (09:00-17:00 UTC, no holidays). 2026-03-02 is a Monday,
 * 2026-03-06 a Friday.
 */
import { describe, expect, it } from 'vitest';
import { compileProcess } from '../../../dsl/compile.js';
import { BusinessCalendar } from '../../../dsl/calendar/working-time.js';
import type { CompiledSla, SlaEscalation } from '../../../model/compiled-process.js';
import {
  budgetOf,
  ClockError,
  newClock,
  nextDeadline,
  pauseClock,
  reachRung,
  recalibrateClock,
  resumeClock,
  rungLevel,
  slaStateOf,
  startClock,
  stopClock,
  upcomingRungs,
  type SlaClockState,
} from '../../../workflows/sla-clock.js';
import { calendar, compiled } from '../calendar/calendars.js';

const HOUR = 3_600_000;
const weekdays = calendar('monday-to-friday');
/** The same calendar, a newer version with Monday 9 March 2026 as a holiday. */
const weekdaysWithHoliday = new BusinessCalendar({ ...compiled('monday-to-friday'), version: 2, holidays: { '2026-03-09': 'Closed' } });

const process = compileProcess({
  process: 'clocks',
  version: 1,
  title: 'Clocks',
  calendar: 'monday-to-friday',
  roles: { agent: { title: 'Agent' } },
  slas: {
    resolution: { title: 'Resolution', target: '24h', escalations: [{ at: '75%' }, { before: '2h' }, { at: 'breach' }, { after: '4h' }] },
    plain: { title: 'Plain', target: '24h' },
    continued: { title: 'Continued', target: '24h', reopen: 'continue' },
    reply: { title: 'First reply', target: '8 business hours', escalations: [{ at: '50%' }] },
    pickup: { title: 'Pick-up', target: '2 working days' },
    severity: { title: 'By severity', target: { by: '${input.severity}', high: '4h', otherwise: '24h' } },
    strict: { title: 'Strict', target: { by: '${input.severity}', high: '4h' } },
    promise: { title: 'Promise', target: '${input.promisedBy}' },
  },
  steps: {
    work: { title: 'Work', task: { role: 'agent', outcomes: ['done'] }, then: 'finished' },
    finished: { title: 'Finished', end: 'done' },
  },
});

function sla(id: string): CompiledSla {
  const found = process.slas.find((s) => s.id === id);
  if (!found) throw new Error(`no SLA ${id}`);
  return found;
}

const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const T0 = t('2026-03-02T08:00:00Z');
const FRIDAY_15 = t('2026-03-06T15:00:00Z');
const noTemplates = () => {
  throw new Error('no template expected');
};

function started(id: string, at: number, cal?: BusinessCalendar, evaluate: (template: string) => unknown = noTemplates): SlaClockState {
  const state = newClock(sla(id));
  startClock(state, sla(id), at, cal, evaluate);
  return state;
}

function clockError(run: () => unknown): ClockError {
  try {
    run();
  } catch (error) {
    if (error instanceof ClockError) return error;
    throw error;
  }
  throw new Error('expected a ClockError');
}

describe('a new clock', () => {
  it('waits, with no cycle, nothing consumed and nothing reached', () => {
    expect(newClock(sla('resolution'))).toEqual({
      id: 'resolution',
      title: 'Resolution',
      status: 'waiting',
      cycle: 0,
      basis: 'elapsed',
      budgetMs: 0,
      target: '',
      consumedMs: 0,
      businessMs: 0,
      calendarMs: 0,
      fired: [],
      warned: false,
      breached: false,
      cycles: [],
      events: 0,
    });
  });

  it('ignores pause, resume and stop before it starts', () => {
    const state = newClock(sla('plain'));
    expect(pauseClock(state, T0, 'x', undefined)).toEqual([]);
    expect(resumeClock(state, T0, undefined)).toEqual([]);
    expect(stopClock(state, T0, undefined)).toEqual([]);
    expect(state.status).toBe('waiting');
    expect(upcomingRungs(state, sla('plain'), undefined)).toEqual([]);
  });
});

describe('an elapsed-time clock', () => {
  it('starts its first cycle with the breach deadline one target after the start', () => {
    const state = newClock(sla('resolution'));
    const events = startClock(state, sla('resolution'), T0, undefined, noTemplates);
    expect(events).toEqual([{ clock: 'resolution', cycle: 1, type: 'started', at: T0, target: '24h', deadline: '2026-03-03T08:00:00.000Z', businessMs: 0, calendarMs: 0 }]);
    expect(state).toMatchObject({ status: 'running', cycle: 1, basis: 'elapsed', budgetMs: 24 * HOUR, target: '24h', consumedMs: 0, since: T0, startedAt: iso(T0), deadline: '2026-03-03T08:00:00.000Z' });
  });

  it('ignores the start trigger while it runs or is paused', () => {
    const state = started('plain', T0);
    expect(startClock(state, sla('plain'), T0 + HOUR, undefined, noTemplates)).toEqual([]);
    pauseClock(state, T0 + 2 * HOUR, 'waiting', undefined);
    expect(startClock(state, sla('plain'), T0 + 3 * HOUR, undefined, noTemplates)).toEqual([]);
    expect(state).toMatchObject({ status: 'paused', cycle: 1 });
  });

  it('places every rung on the count: 75 %, 2h before, the breach and 4h after', () => {
    const state = started('resolution', T0);
    expect(upcomingRungs(state, sla('resolution'), undefined)).toEqual([
      { index: 0, level: 18 * HOUR, at: T0 + 18 * HOUR },
      { index: 1, level: 22 * HOUR, at: T0 + 22 * HOUR },
      { index: 2, level: 24 * HOUR, at: T0 + 24 * HOUR },
      { index: 3, level: 28 * HOUR, at: T0 + 28 * HOUR },
    ]);
  });

  it('counts the breach as a rung even when the ladder names no action for it', () => {
    expect(upcomingRungs(started('plain', T0), sla('plain'), undefined)).toEqual([{ index: -1, level: 24 * HOUR, at: T0 + 24 * HOUR }]);
  });

  it('stops counting while paused, recording why, and has no deadline or rungs then', () => {
    const state = started('resolution', T0);
    const events = pauseClock(state, T0 + 6 * HOUR, 'waiting for the customer', undefined);
    expect(events).toEqual([{ clock: 'resolution', cycle: 1, type: 'paused', at: T0 + 6 * HOUR, target: '24h', reason: 'waiting for the customer', businessMs: 6 * HOUR, calendarMs: 6 * HOUR }]);
    expect(state).toMatchObject({ status: 'paused', consumedMs: 6 * HOUR, pausedAt: iso(T0 + 6 * HOUR), pauseReason: 'waiting for the customer' });
    expect(state.since).toBeUndefined();
    expect(state.deadline).toBeUndefined();
    expect(upcomingRungs(state, sla('resolution'), undefined)).toEqual([]);
    expect(pauseClock(state, T0 + 7 * HOUR, 'again', undefined)).toEqual([]);
  });

  it('resumes where it stopped: the deadline and every rung move by the time it was paused', () => {
    const state = started('resolution', T0);
    pauseClock(state, T0 + 6 * HOUR, 'waiting for the customer', undefined);
    const events = resumeClock(state, T0 + 10 * HOUR, undefined);
    expect(events).toEqual([
      { clock: 'resolution', cycle: 1, type: 'resumed', at: T0 + 10 * HOUR, target: '24h', deadline: iso(T0 + 28 * HOUR), reason: 'no longer: waiting for the customer', businessMs: 6 * HOUR, calendarMs: 6 * HOUR },
    ]);
    expect(state.pausedAt).toBeUndefined();
    expect(state.pauseReason).toBeUndefined();
    expect(upcomingRungs(state, sla('resolution'), undefined).map((r) => r.at)).toEqual([T0 + 22 * HOUR, T0 + 26 * HOUR, T0 + 28 * HOUR, T0 + 32 * HOUR]);
    expect(resumeClock(state, T0 + 11 * HOUR, undefined)).toEqual([]);
  });

  it('warns at the rungs before the breach, then breaches, then escalates, each rung once', () => {
    const spec = sla('resolution');
    const state = started('resolution', T0);
    expect(reachRung(state, spec, 0, T0 + 18 * HOUR, undefined)).toEqual([
      { clock: 'resolution', cycle: 1, type: 'warning', at: T0 + 18 * HOUR, target: '24h', deadline: iso(T0 + 24 * HOUR), rung: '75%', businessMs: 18 * HOUR, calendarMs: 18 * HOUR },
    ]);
    expect(state).toMatchObject({ warned: true, breached: false, fired: [0] });
    expect(reachRung(state, spec, 0, T0 + 19 * HOUR, undefined)).toEqual([]);
    expect(upcomingRungs(state, spec, undefined).map((r) => r.index)).toEqual([1, 2, 3]);

    expect(reachRung(state, spec, 1, T0 + 22 * HOUR, undefined)).toMatchObject([{ type: 'warning', rung: '2h before breach' }]);
    expect(reachRung(state, spec, 2, T0 + 24 * HOUR, undefined)).toMatchObject([{ type: 'breached', rung: 'breach', businessMs: 24 * HOUR }]);
    expect(state.breached).toBe(true);
    expect(reachRung(state, spec, 3, T0 + 28 * HOUR, undefined)).toMatchObject([{ type: 'escalated', rung: '4h after breach' }]);
    expect(upcomingRungs(state, spec, undefined)).toEqual([]);
  });

  it('breaches at the implicit breach rung of a clock without a ladder', () => {
    const state = started('plain', T0);
    expect(reachRung(state, sla('plain'), -1, T0 + 24 * HOUR, undefined)).toMatchObject([{ type: 'breached', rung: 'breach' }]);
    expect(state.fired).toEqual([-1]);
  });

  it('stops before the deadline as met, and records the cycle', () => {
    const state = started('plain', T0);
    const events = stopClock(state, T0 + 5 * HOUR, undefined, 'case closed');
    expect(events).toEqual([{ clock: 'plain', cycle: 1, type: 'stopped', at: T0 + 5 * HOUR, target: '24h', result: 'met', reason: 'case closed', businessMs: 5 * HOUR, calendarMs: 5 * HOUR }]);
    expect(state).toMatchObject({ status: 'stopped', result: 'met', stoppedAt: iso(T0 + 5 * HOUR) });
    expect(state.deadline).toBeUndefined();
    expect(state.cycles).toEqual([{ cycle: 1, startedAt: iso(T0), stoppedAt: iso(T0 + 5 * HOUR), result: 'met', businessMs: 5 * HOUR, calendarMs: 5 * HOUR }]);
    expect(stopClock(state, T0 + 6 * HOUR, undefined)).toEqual([]);
  });

  it('stops past its target as breached, even when the breach rung has not fired yet', () => {
    const state = started('plain', T0);
    expect(stopClock(state, T0 + 25 * HOUR, undefined)).toMatchObject([{ type: 'stopped', result: 'breached' }]);
    expect(state.breached).toBe(true);
  });

  it('stops as breached once the breach rung fired', () => {
    const state = started('plain', T0);
    reachRung(state, sla('plain'), -1, T0 + 24 * HOUR, undefined);
    expect(stopClock(state, T0 + 24 * HOUR, undefined)).toMatchObject([{ result: 'breached' }]);
  });

  it('counts only running time: a stop while paused adds nothing after the pause', () => {
    const state = started('plain', T0);
    pauseClock(state, T0 + 2 * HOUR, 'waiting', undefined);
    expect(stopClock(state, T0 + 30 * HOUR, undefined)).toMatchObject([{ type: 'stopped', result: 'met', businessMs: 2 * HOUR, calendarMs: 2 * HOUR }]);
    expect(state.pausedAt).toBeUndefined();
    expect(state.pauseReason).toBeUndefined();
  });

  it('warned but stopped in time is no longer a warning for the case', () => {
    const state = started('resolution', T0);
    reachRung(state, sla('resolution'), 0, T0 + 18 * HOUR, undefined);
    expect(slaStateOf([state])).toBe('warning');
    stopClock(state, T0 + 20 * HOUR, undefined);
    expect(state.result).toBe('met');
    expect(slaStateOf([state])).toBe('ok');
  });

  it('reports the business time it ran beside the calendar time when the case has a calendar', () => {
    const state = started('plain', FRIDAY_15, weekdays);
    pauseClock(state, t('2026-03-06T20:00:00Z'), 'waiting', weekdays);
    expect(state).toMatchObject({ basis: 'elapsed', consumedMs: 5 * HOUR, businessMs: 2 * HOUR, calendarMs: 5 * HOUR });
  });
});

describe('a reopened case', () => {
  it('starts a new cycle with the full target by default, keeping the finished cycle', () => {
    const spec = sla('resolution');
    const state = started('resolution', T0);
    reachRung(state, spec, 0, T0 + 18 * HOUR, undefined);
    stopClock(state, T0 + 20 * HOUR, undefined);
    const events = startClock(state, spec, T0 + 48 * HOUR, undefined, noTemplates);
    expect(events).toEqual([
      { clock: 'resolution', cycle: 2, type: 'started', at: T0 + 48 * HOUR, target: '24h', deadline: iso(T0 + 72 * HOUR), reason: 'case reopened: a new cycle', businessMs: 0, calendarMs: 0 },
    ]);
    expect(state).toMatchObject({ status: 'running', cycle: 2, consumedMs: 0, fired: [], warned: false, breached: false, startedAt: iso(T0 + 48 * HOUR) });
    expect(state.result).toBeUndefined();
    expect(state.stoppedAt).toBeUndefined();
    expect(state.cycles).toEqual([{ cycle: 1, startedAt: iso(T0), stoppedAt: iso(T0 + 20 * HOUR), result: 'met', businessMs: 20 * HOUR, calendarMs: 20 * HOUR }]);
  });

  it('with `reopen: continue` resumes the old cycle with the time it had left', () => {
    const spec = sla('continued');
    const state = started('continued', T0);
    stopClock(state, T0 + 20 * HOUR, undefined);
    const events = startClock(state, spec, T0 + 30 * HOUR, undefined, noTemplates);
    expect(events).toEqual([
      { clock: 'continued', cycle: 1, type: 'resumed', at: T0 + 30 * HOUR, target: '24h', deadline: iso(T0 + 34 * HOUR), reason: 'case reopened: the clock continues its cycle', businessMs: 20 * HOUR, calendarMs: 20 * HOUR },
    ]);
    expect(state).toMatchObject({ status: 'running', cycle: 1, consumedMs: 20 * HOUR, startedAt: iso(T0) });
    expect(state.result).toBeUndefined();
    expect(state.stoppedAt).toBeUndefined();
  });

  it('with `reopen: continue` breaches when the time before and after the reopening passes the target', () => {
    const spec = sla('continued');
    const state = started('continued', T0);
    stopClock(state, T0 + 20 * HOUR, undefined);
    startClock(state, spec, T0 + 30 * HOUR, undefined, noTemplates);
    expect(stopClock(state, T0 + 35 * HOUR, undefined)).toMatchObject([{ type: 'stopped', cycle: 1, result: 'breached', businessMs: 25 * HOUR, calendarMs: 25 * HOUR }]);
  });
});

describe('targets', () => {
  it('picks the target by the value of `by`, and `otherwise` for other values and for none', () => {
    const seen: string[] = [];
    const severity = (value: unknown) => (template: string) => {
      seen.push(template);
      return value;
    };
    expect(started('severity', T0, undefined, severity('high'))).toMatchObject({ budgetMs: 4 * HOUR, target: '4h', deadline: iso(T0 + 4 * HOUR) });
    expect(started('severity', T0, undefined, severity('low'))).toMatchObject({ budgetMs: 24 * HOUR, target: '24h' });
    expect(started('severity', T0, undefined, severity(null))).toMatchObject({ budgetMs: 24 * HOUR });
    expect(seen).toEqual(['${input.severity}', '${input.severity}', '${input.severity}']);
  });

  it('refuses to start when no target matches and there is no `otherwise`', () => {
    const state = newClock(sla('strict'));
    expect(clockError(() => startClock(state, sla('strict'), T0, undefined, () => 'low')).message).toBe('SLA `strict` has no target for `low` and no `otherwise`');
  });

  it('runs to a promised instant in calendar time', () => {
    const state = started('promise', T0, undefined, () => '2026-03-04T08:00:00Z');
    expect(state).toMatchObject({ basis: 'elapsed', budgetMs: 48 * HOUR, target: 'by 2026-03-04T08:00:00.000Z', deadline: '2026-03-04T08:00:00.000Z' });
  });

  it('is due at once when the promised instant has passed', () => {
    expect(started('promise', T0, undefined, () => '2026-03-01T00:00:00Z')).toMatchObject({ budgetMs: 0, deadline: iso(T0) });
  });

  it('budgetOf reads what a template gives: milliseconds, a duration text or business time', () => {
    const spec = { kind: 'expression', template: '${input.within}' } as const;
    expect(budgetOf(spec, T0, undefined, () => 3_600_000)).toEqual({ basis: 'elapsed', budgetMs: HOUR, target: '3600000 ms' });
    expect(budgetOf(spec, T0, undefined, () => '4h')).toEqual({ basis: 'elapsed', budgetMs: 4 * HOUR, target: '4h' });
    expect(budgetOf(spec, t('2026-03-06T10:00:00Z'), weekdays, () => '3 working days')).toEqual({ basis: 'business', budgetMs: 31 * HOUR, target: '3 working days' });
  });

  it('budgetOf refuses a template value that is neither a duration nor a time', () => {
    const spec = { kind: 'expression', template: '${input.within}' } as const;
    expect(clockError(() => budgetOf(spec, T0, undefined, () => 'soon')).message).toBe('the target `${input.within}` gave "soon", which is neither a duration nor a time');
    expect(clockError(() => budgetOf(spec, T0, undefined, () => undefined)).message).toBe('the target `${input.within}` gave undefined, which is neither a duration nor a time');
  });
});

describe('a business-time clock', () => {
  it('cannot start without a calendar', () => {
    expect(clockError(() => started('reply', FRIDAY_15)).message).toBe('`8 business hours` needs a business calendar: name one with `calendar:`');
    expect(clockError(() => started('pickup', FRIDAY_15)).message).toBe('`2 working days` needs a business calendar: name one with `calendar:`');
  });

  it('counts business hours inside working time: Friday 15:00 plus 8 is Monday 15:00', () => {
    const state = started('reply', FRIDAY_15, weekdays);
    expect(state).toMatchObject({ basis: 'business', budgetMs: 8 * HOUR, target: '8 business hours', deadline: '2026-03-09T15:00:00.000Z' });
    expect(upcomingRungs(state, sla('reply'), weekdays)).toEqual([
      { index: 0, level: 4 * HOUR, at: t('2026-03-09T11:00:00Z') },
      { index: -1, level: 8 * HOUR, at: t('2026-03-09T15:00:00Z') },
    ]);
  });

  it('consumes only working time while it runs, and moves the deadline by the pause', () => {
    const state = started('reply', FRIDAY_15, weekdays);
    pauseClock(state, t('2026-03-09T10:00:00Z'), 'waiting for the customer', weekdays);
    expect(state).toMatchObject({ consumedMs: 3 * HOUR, businessMs: 3 * HOUR, calendarMs: 67 * HOUR });
    resumeClock(state, t('2026-03-09T14:00:00Z'), weekdays);
    expect(state.deadline).toBe('2026-03-10T11:00:00.000Z');
  });

  it('turns working days into the business time until the end of the last one', () => {
    const state = started('pickup', t('2026-03-06T10:00:00Z'), weekdays);
    expect(state).toMatchObject({ basis: 'business', budgetMs: 23 * HOUR, target: '2 working days', deadline: '2026-03-10T17:00:00.000Z' });
  });

  it('counts the time run so far with the old calendar and the rest with the new one', () => {
    const state = started('reply', FRIDAY_15, weekdays);
    recalibrateClock(state, t('2026-03-06T16:00:00Z'), weekdays, weekdaysWithHoliday);
    expect(state).toMatchObject({ consumedMs: HOUR, deadline: '2026-03-10T15:00:00.000Z' });
  });

  it('is not recalibrated while paused', () => {
    const state = started('reply', FRIDAY_15, weekdays);
    pauseClock(state, t('2026-03-06T16:00:00Z'), 'waiting', weekdays);
    const before = structuredClone(state);
    recalibrateClock(state, t('2026-03-06T16:30:00Z'), weekdays, weekdaysWithHoliday);
    expect(state).toEqual(before);
  });
});

describe('rungLevel', () => {
  const rung = (threshold: SlaEscalation['threshold']): SlaEscalation => ({ threshold, label: 'x', notify: [], withinWorkingHours: false });
  const budget = 24 * HOUR;

  it('places a percentage as that share of the target', () => {
    expect(rungLevel(rung({ kind: 'percent', percent: 75 }), budget)).toBe(18 * HOUR);
  });

  it('places `before` that long before the breach, and never before the start', () => {
    expect(rungLevel(rung({ kind: 'before', spec: { kind: 'elapsed', ms: 2 * HOUR } }), budget)).toBe(22 * HOUR);
    expect(rungLevel(rung({ kind: 'before', spec: { kind: 'business-hours', hours: 2 } }), budget)).toBe(22 * HOUR);
    expect(rungLevel(rung({ kind: 'before', spec: { kind: 'elapsed', ms: 30 * HOUR } }), budget)).toBe(0);
  });

  it('places the breach at the target and `after` beyond it', () => {
    expect(rungLevel(rung({ kind: 'breach' }), budget)).toBe(budget);
    expect(rungLevel(rung({ kind: 'after', spec: { kind: 'elapsed', ms: 4 * HOUR } }), budget)).toBe(28 * HOUR);
  });

  it('refuses working days as an offset', () => {
    expect(clockError(() => rungLevel(rung({ kind: 'after', spec: { kind: 'working-days', days: 1 } }), budget)).message).toBe('escalation offsets are plain or business hours, not working days');
  });
});

describe('the state of a case over its clocks', () => {
  it('has no SLA state before any clock started', () => {
    expect(slaStateOf([])).toBeUndefined();
    expect(slaStateOf([newClock(sla('plain'))])).toBeUndefined();
  });

  it('is the worst of its clocks: breached over warning over ok', () => {
    const ok = started('plain', T0);
    const warned = started('resolution', T0);
    reachRung(warned, sla('resolution'), 0, T0 + 18 * HOUR, undefined);
    const breached = started('plain', T0);
    stopClock(breached, T0 + 30 * HOUR, undefined);
    expect(slaStateOf([ok, newClock(sla('reply'))])).toBe('ok');
    expect(slaStateOf([ok, warned])).toBe('warning');
    expect(slaStateOf([ok, warned, breached])).toBe('breached');
  });

  it('gives the earliest deadline of the running clocks not yet breached', () => {
    const soon = started('severity', T0, undefined, () => 'high');
    const later = started('plain', T0);
    const paused = started('severity', T0 - HOUR, undefined, () => 'high');
    pauseClock(paused, T0, 'waiting', undefined);
    const breached = started('severity', T0 - 10 * HOUR, undefined, () => 'high');
    reachRung(breached, sla('severity'), -1, T0 - 6 * HOUR, undefined);
    expect(nextDeadline([later, soon, paused, breached])).toBe(iso(T0 + 4 * HOUR));
    expect(nextDeadline([paused, breached])).toBeUndefined();
  });
});
