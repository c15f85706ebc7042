/**
 * From a start instant and a duration, the instant something is due (dsl/deadlines.ts):
 * elapsed time, business hours and working days on a business calendar, and `${...}`
 * templates that give milliseconds, a duration text or an instant.
 *
 * Calendar: monday-to-friday (09:00-17:00 UTC, no holidays). 2026-03-06 is a Friday.
 */
import { describe, expect, it } from 'vitest';
import { DeadlineError, resolveDeadline, resolveInstant } from '../../../dsl/deadlines.js';
import { calendar } from '../calendar/calendars.js';

const HOUR = 3_600_000;
const weekdays = calendar('monday-to-friday');
const t = (iso: string) => Date.parse(iso);
const noTemplates = () => {
  throw new Error('no template expected');
};

function deadlineError(run: () => unknown): DeadlineError {
  try {
    run();
  } catch (error) {
    if (error instanceof DeadlineError) return error;
    throw error;
  }
  throw new Error('expected a DeadlineError');
}

describe('resolveDeadline', () => {
  it('adds elapsed time to the start, weekends and nights included', () => {
    const from = t('2026-03-06T15:00:00Z');
    expect(resolveDeadline({ kind: 'elapsed', ms: 24 * HOUR }, from, noTemplates)).toBe(t('2026-03-07T15:00:00Z'));
    expect(resolveDeadline({ kind: 'elapsed', ms: 24 * HOUR }, from, noTemplates, weekdays)).toBe(t('2026-03-07T15:00:00Z'));
  });

  it('counts business hours inside the working hours: two on Friday, six on Monday', () => {
    expect(resolveDeadline({ kind: 'business-hours', hours: 8 }, t('2026-03-06T15:00:00Z'), noTemplates, weekdays)).toBe(t('2026-03-09T15:00:00Z'));
  });

  it('counts business hours from the next working instant when it starts outside working time', () => {
    expect(resolveDeadline({ kind: 'business-hours', hours: 2 }, t('2026-03-07T12:00:00Z'), noTemplates, weekdays)).toBe(t('2026-03-09T11:00:00Z'));
  });

  it('gives the end of the n-th working day after the day it starts, that day not counting', () => {
    expect(resolveDeadline({ kind: 'working-days', days: 1 }, t('2026-03-06T10:00:00Z'), noTemplates, weekdays)).toBe(t('2026-03-09T17:00:00Z'));
    expect(resolveDeadline({ kind: 'working-days', days: 3 }, t('2026-03-09T08:00:00Z'), noTemplates, weekdays)).toBe(t('2026-03-12T17:00:00Z'));
  });

  it('refuses business hours and working days without a calendar, saying how to name one', () => {
    expect(deadlineError(() => resolveDeadline({ kind: 'business-hours', hours: 8 }, 0, noTemplates)).message).toBe('`8 business hours` needs a business calendar: name one with `calendar:`');
    expect(deadlineError(() => resolveDeadline({ kind: 'working-days', days: 3 }, 0, noTemplates)).message).toBe('`3 working days` needs a business calendar: name one with `calendar:`');
  });

  it('adds the milliseconds a template gives', () => {
    const from = t('2026-03-06T10:00:00Z');
    const seen: string[] = [];
    const evaluate = (template: string) => {
      seen.push(template);
      return 2 * HOUR;
    };
    expect(resolveDeadline({ kind: 'expression', template: '${input.within}' }, from, evaluate)).toBe(t('2026-03-06T12:00:00Z'));
    expect(seen).toEqual(['${input.within}']);
  });

  it('reads a duration text a template gives, business time included', () => {
    const from = t('2026-03-06T15:00:00Z');
    expect(resolveDeadline({ kind: 'expression', template: '${x}' }, from, () => '1h 30m')).toBe(t('2026-03-06T16:30:00Z'));
    expect(resolveDeadline({ kind: 'expression', template: '${x}' }, from, () => '8 business hours', weekdays)).toBe(t('2026-03-09T15:00:00Z'));
    expect(resolveDeadline({ kind: 'expression', template: '${x}' }, from, () => '1 working day', weekdays)).toBe(t('2026-03-09T17:00:00Z'));
  });

  it('takes an ISO instant a template gives as the deadline itself', () => {
    expect(resolveDeadline({ kind: 'expression', template: '${input.promisedBy}' }, t('2026-03-06T10:00:00Z'), () => '2026-03-10T12:00:00Z')).toBe(t('2026-03-10T12:00:00Z'));
  });

  it('refuses business time from a template when there is no calendar', () => {
    expect(deadlineError(() => resolveDeadline({ kind: 'expression', template: '${x}' }, 0, () => '8 business hours')).message).toBe('`8 business hours` needs a business calendar: name one with `calendar:`');
  });

  it('refuses a template value that is neither a duration nor a time, showing the value', () => {
    const spec = { kind: 'expression', template: '${input.when}' } as const;
    expect(deadlineError(() => resolveDeadline(spec, 0, () => 'soon')).message).toBe('`${input.when}` gave "soon", which is neither a duration nor a time');
    expect(deadlineError(() => resolveDeadline(spec, 0, () => true)).message).toBe('`${input.when}` gave true, which is neither a duration nor a time');
    expect(deadlineError(() => resolveDeadline(spec, 0, () => ({ days: 3 }))).message).toBe('`${input.when}` gave {"days":3}, which is neither a duration nor a time');
  });

  it('refuses a template that gives another template instead of a value', () => {
    expect(deadlineError(() => resolveDeadline({ kind: 'expression', template: '${a}' }, 0, () => '${b}')).message).toBe('`${a}` gave "${b}", which is neither a duration nor a time');
  });

  it('refuses a number that is not finite', () => {
    expect(() => resolveDeadline({ kind: 'expression', template: '${x}' }, 0, () => Number.POSITIVE_INFINITY)).toThrow(DeadlineError);
    expect(() => resolveDeadline({ kind: 'expression', template: '${x}' }, 0, () => Number.NaN)).toThrow(DeadlineError);
  });
});

describe('resolveInstant', () => {
  it('takes milliseconds since the epoch as the instant', () => {
    expect(resolveInstant('${x}', () => t('2026-03-10T12:00:00Z'))).toBe(t('2026-03-10T12:00:00Z'));
  });

  it('reads an ISO instant with its offset', () => {
    expect(resolveInstant('${input.visit}', () => '2026-03-10T12:00:00+02:00')).toBe(t('2026-03-10T10:00:00Z'));
  });

  it('refuses anything else, saying how to write a time', () => {
    expect(deadlineError(() => resolveInstant('${input.visit}', () => 'next week')).message).toBe('`${input.visit}` gave "next week", which is not a time (write an ISO date like 2026-03-01T10:00:00Z)');
    expect(deadlineError(() => resolveInstant('${input.visit}', () => null)).message).toBe('`${input.visit}` gave null, which is not a time (write an ISO date like 2026-03-01T10:00:00Z)');
  });

  it('gives a DeadlineError named as such', () => {
    const error = deadlineError(() => resolveInstant('${x}', () => undefined));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DeadlineError');
  });
});
