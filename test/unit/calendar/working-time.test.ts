/**
 * Working-time arithmetic, case by case. Every expected value was worked out by hand from the
 * calendar files (the month grids of 2026 and the official schedule in mainland-china.yaml),
 * and is written as the local wall time with its offset, so a DST mistake shows as a wrong offset.
 *
 * Calendars: mainland-china (Mon-Fri 09:00-12:00, 13:30-18:00, Asia/Shanghai, 2026 holidays and
 * make-up days, 2027 unknown); monday-to-friday (09:00-17:00 UTC); berlin-shifts (Europe/Berlin:
 * Mon-Thu 08-12 13-17, Fri also 22-24, Sat 00-04, Sun 01-04, holidays 3 Apr, 1 May, 24 Dec-1 Jan,
 * make-up Saturday 19 Dec 10-14); new-york-office (America/New_York: Mon-Fri 09-17, Sun 00-24).
 */
import { describe, expect, it } from 'vitest';
import { sealCalendar } from '../../../dsl/load/calendar-load.js';
import type { WorkingInterval } from '../../../model/compiled-calendar.js';
import { BusinessCalendar, CalendarError } from '../../../dsl/calendar/working-time.js';
import { at, calendar } from './calendars.js';

const HOUR = 3_600_000;
const calendars = {
  cn: calendar('mainland-china'),
  mf: calendar('monday-to-friday'),
  ber: calendar('berlin-shifts'),
  ny: calendar('new-york-office'),
};
type Name = keyof typeof calendars;

/** [calendar, from, working days, the deadline (end of the last working day)] */
const workingDays: [Name, string, number, string, string][] = [
  ['cn', '2026-02-13 10:00', 3, '2026-02-25T18:00:00+08:00', 'Fri before Spring Festival: Sat 14 make-up, 15-23 off, Tue 24, Wed 25'],
  ['cn', '2026-02-13 10:00', 1, '2026-02-14T18:00:00+08:00', 'the make-up Saturday is the first working day'],
  ['cn', '2026-02-13 10:00', 2, '2026-02-24T18:00:00+08:00', 'the whole holiday is skipped'],
  ['cn', '2026-02-14 09:30', 1, '2026-02-24T18:00:00+08:00', 'from the make-up Saturday itself'],
  ['cn', '2026-02-13 23:59', 1, '2026-02-14T18:00:00+08:00', 'late on Friday is still Friday'],
  ['cn', '2026-02-13T16:30:00Z', 1, '2026-02-24T18:00:00+08:00', '16:30 UTC on Friday is already Saturday in Shanghai'],
  ['cn', '2026-02-12 10:00', 1, '2026-02-13T18:00:00+08:00', 'an ordinary Thursday'],
  ['cn', '2026-02-27 10:00', 1, '2026-02-28T18:00:00+08:00', 'second Spring Festival make-up Saturday'],
  ['cn', '2026-09-30 10:00', 1, '2026-10-08T18:00:00+08:00', 'National Day week 1-7 Oct skipped'],
  ['cn', '2026-09-30 10:00', 3, '2026-10-10T18:00:00+08:00', 'Thu 8, Fri 9, make-up Sat 10 Oct'],
  ['cn', '2026-09-30 10:00', 4, '2026-10-12T18:00:00+08:00', 'then Monday 12 Oct'],
  ['cn', '2026-09-18 15:00', 1, '2026-09-20T18:00:00+08:00', 'make-up Sunday 20 Sep'],
  ['cn', '2026-09-24 10:00', 1, '2026-09-28T18:00:00+08:00', 'Mid-autumn 25-27 Sep skipped'],
  ['cn', '2026-04-02 10:00', 1, '2026-04-03T18:00:00+08:00', 'the Friday before Tomb-sweeping is worked'],
  ['cn', '2026-04-02 10:00', 2, '2026-04-07T18:00:00+08:00', 'Tomb-sweeping 4-6 Apr skipped'],
  ['cn', '2026-04-30 10:00', 1, '2026-05-06T18:00:00+08:00', 'Labour Day 1-5 May skipped'],
  ['cn', '2026-04-30 10:00', 3, '2026-05-08T18:00:00+08:00', 'Wed 6, Thu 7, Fri 8 May'],
  ['cn', '2026-04-30 10:00', 4, '2026-05-09T18:00:00+08:00', 'make-up Saturday 9 May'],
  ['cn', '2026-06-18 10:00', 1, '2026-06-22T18:00:00+08:00', 'Dragon Boat 19-21 Jun skipped'],
  ['cn', '2025-12-31 10:00', 1, '2026-01-04T18:00:00+08:00', 'New Year 1-3 Jan off, make-up Sunday 4 Jan'],
  ['cn', '2026-12-31 10:00', 1, '2027-01-01T18:00:00+08:00', '2027 is not a known year: 1 Jan 2027 falls back to a plain Friday'],
  ['cn', '2026-12-30 10:00', 2, '2027-01-01T18:00:00+08:00', 'across the year end into the fallback'],
  ['cn', '2026-12-31 10:00', 2, '2027-01-04T18:00:00+08:00', 'the 2027 weekend is still a weekend'],
  ['mf', '2026-03-06 10:00', 1, '2026-03-09T17:00:00+00:00', 'Friday to Monday'],
  ['mf', '2026-03-06 17:00', 1, '2026-03-09T17:00:00+00:00', 'at the end of Friday'],
  ['mf', '2026-03-07 10:00', 1, '2026-03-09T17:00:00+00:00', 'from Saturday'],
  ['mf', '2026-03-08 23:59', 1, '2026-03-09T17:00:00+00:00', 'from late Sunday: Monday is the next working day'],
  ['mf', '2026-03-09 08:00', 1, '2026-03-10T17:00:00+00:00', 'the day of the event never counts, even before work'],
  ['mf', '2026-03-09 10:00', 5, '2026-03-16T17:00:00+00:00', 'a working week'],
  ['mf', '2026-12-31 12:00', 1, '2027-01-01T17:00:00+00:00', 'no holidays at the year end'],
  ['mf', '2026-12-23 10:00', 10, '2027-01-06T17:00:00+00:00', 'ten weekdays over Christmas and New Year'],
  ['ber', '2026-03-27 10:00', 1, '2026-03-28T04:00:00+01:00', 'Saturday night shift ends at 04:00'],
  ['ber', '2026-03-28 10:00', 1, '2026-03-29T04:00:00+02:00', 'the DST Sunday ends at 04:00 summer time'],
  ['ber', '2026-03-28 10:00', 2, '2026-03-30T17:00:00+02:00', 'Monday after the change'],
  ['ber', '2026-10-24 10:00', 1, '2026-10-25T04:00:00+01:00', 'the fall-back Sunday ends at 04:00 winter time'],
  ['ber', '2026-10-23 10:00', 1, '2026-10-24T04:00:00+02:00', 'Saturday before the fall-back'],
  ['ber', '2026-04-02 10:00', 1, '2026-04-04T04:00:00+02:00', 'Good Friday skipped'],
  ['ber', '2026-12-23 10:00', 1, '2027-01-02T04:00:00+01:00', 'winter break 24 Dec - 1 Jan over the year end'],
  ['ber', '2026-12-23 10:00', 2, '2027-01-03T04:00:00+01:00', 'then Sunday'],
  ['ber', '2026-12-23 10:00', 3, '2027-01-04T17:00:00+01:00', 'then Monday'],
  ['ber', '2026-12-18 10:00', 1, '2026-12-19T14:00:00+01:00', 'the stocktaking Saturday has its own hours'],
  ['ny', '2026-03-07 10:00', 1, '2026-03-09T00:00:00-04:00', 'a Sunday shift to 24:00 ends at midnight, after spring-forward'],
  ['ny', '2026-10-30 10:00', 1, '2026-11-02T00:00:00-05:00', 'a Sunday shift to 24:00 ends at midnight, after fall-back'],
];

/** [calendar, from, business hours, the instant they are used up] */
const businessHours: [Name, string, number, string, string][] = [
  ['cn', '2026-02-13 10:00', 8, '2026-02-14T10:30:00+08:00', '6.5 h on Friday, 1.5 h on the make-up Saturday'],
  ['cn', '2026-02-13 10:00', 16, '2026-02-24T11:00:00+08:00', 'Friday, Saturday, then after Spring Festival'],
  ['cn', '2026-03-02 09:00', 3, '2026-03-02T12:00:00+08:00', 'ends exactly at lunch, not after it'],
  ['cn', '2026-03-02 09:00', 3.5, '2026-03-02T14:00:00+08:00', 'lunch 12:00-13:30 is not counted'],
  ['cn', '2026-03-02 12:30', 1, '2026-03-02T14:30:00+08:00', 'from inside the lunch break'],
  ['cn', '2026-03-02 07:00', 1, '2026-03-02T10:00:00+08:00', 'from before work'],
  ['cn', '2026-03-02 19:00', 1, '2026-03-03T10:00:00+08:00', 'from after work'],
  ['cn', '2026-03-02 09:00', 7.5, '2026-03-02T18:00:00+08:00', 'a whole day'],
  ['cn', '2026-03-02 09:00', 0.25, '2026-03-02T09:15:00+08:00', 'a quarter hour'],
  ['cn', '2026-03-02 09:00', 0.1, '2026-03-02T09:06:00+08:00', 'a tenth of an hour'],
  ['cn', '2026-03-02 11:59', 1 / 60, '2026-03-02T12:00:00+08:00', 'one minute'],
  ['cn', '2026-03-02 10:00', 0, '2026-03-02T10:00:00+08:00', 'zero hours is now'],
  ['cn', '2026-03-07 10:00', 0, '2026-03-07T10:00:00+08:00', 'zero hours is now, even on a Saturday'],
  ['cn', '2026-03-07 10:00', 1, '2026-03-09T10:00:00+08:00', 'from a Saturday'],
  ['cn', '2026-09-30 17:00', 2, '2026-10-08T10:00:00+08:00', 'over National Day week'],
  ['cn', '2026-12-31 17:00', 1.5, '2027-01-01T09:30:00+08:00', 'into the 2027 fallback'],
  ['cn', '2026-03-02 09:00', 37.5, '2026-03-06T18:00:00+08:00', 'a working week'],
  ['mf', '2026-03-06 16:00', 2, '2026-03-09T10:00:00+00:00', 'over a weekend'],
  ['mf', '2026-12-31 16:00', 2, '2027-01-01T10:00:00+00:00', 'over the year end'],
  ['mf', '2026-03-09 09:00', 40, '2026-03-13T17:00:00+00:00', 'forty hours is Friday evening'],
  ['mf', '2026-03-09 09:00', 40.5, '2026-03-16T09:30:00+00:00', 'half an hour more is Monday'],
  ['ber', '2026-03-02 11:00', 2, '2026-03-02T14:00:00+01:00', 'lunch 12-13 skipped'],
  ['ber', '2026-03-02 12:15', 0.5, '2026-03-02T13:30:00+01:00', 'from inside lunch'],
  ['ber', '2026-03-27 23:00', 2, '2026-03-28T01:00:00+01:00', 'a night shift through midnight (24:00 then 00:00)'],
  ['ber', '2026-03-27 22:00', 6, '2026-03-28T04:00:00+01:00', 'Friday 22-24 and Saturday 00-04 in one go'],
  ['ber', '2026-03-27 22:00', 6.5, '2026-03-29T01:30:00+01:00', 'then Sunday before the change'],
  ['ber', '2026-03-29 01:00', 1.5, '2026-03-29T03:30:00+02:00', 'the skipped hour 02:00-03:00 is not worked'],
  ['ber', '2026-03-29 01:00', 2, '2026-03-29T04:00:00+02:00', 'Sunday 01:00-04:00 is two real hours on spring-forward'],
  ['ber', '2026-03-29 01:00', 2.5, '2026-03-30T08:30:00+02:00', 'the rest on Monday, in summer time'],
  ['ber', '2026-10-25T01:00:00+02:00', 1.5, '2026-10-25T02:30:00+02:00', 'the first 02:30 of the fall-back night'],
  ['ber', '2026-10-25T01:00:00+02:00', 2.5, '2026-10-25T02:30:00+01:00', 'the second 02:30 of the fall-back night'],
  ['ber', '2026-10-25T01:00:00+02:00', 4, '2026-10-25T04:00:00+01:00', 'Sunday 01:00-04:00 is four real hours on fall-back'],
  ['ber', '2026-12-23 16:00', 2, '2027-01-02T01:00:00+01:00', 'the winter break is skipped'],
  ['ny', '2026-03-08T00:00:00-05:00', 3, '2026-03-08T04:00:00-04:00', 'three real hours on spring-forward night'],
  ['ny', '2026-11-01T00:00:00-04:00', 1, '2026-11-01T01:00:00-04:00', 'the first 01:00 of fall-back night (summer time)'],
  ['ny', '2026-11-01T00:00:00-04:00', 2, '2026-11-01T01:00:00-05:00', 'the second 01:00 of fall-back night (winter time)'],
  ['ny', '2026-11-01T00:00:00-04:00', 3, '2026-11-01T02:00:00-05:00', 'three real hours after midnight'],
  ['ny', '2026-11-01T00:00:00-04:00', 25, '2026-11-02T00:00:00-05:00', 'the 25-hour Sunday'],
  ['ny', '2026-11-01T00:00:00-04:00', 26, '2026-11-02T10:00:00-05:00', 'then Monday'],
  ['ny', '2026-03-06 16:00', 2, '2026-03-08T01:00:00-05:00', 'Friday then the Sunday shift'],
];

/** [calendar, from, the next instant of working time] */
const nextWorking: [Name, string, string, string][] = [
  ['cn', '2026-03-02 08:00', '2026-03-02T09:00:00+08:00', 'before work'],
  ['cn', '2026-03-02 10:00', '2026-03-02T10:00:00+08:00', 'during work: now'],
  ['cn', '2026-03-02 12:00', '2026-03-02T13:30:00+08:00', '12:00 is the start of lunch (intervals are half-open)'],
  ['cn', '2026-03-02 18:00', '2026-03-03T09:00:00+08:00', 'at closing time'],
  ['cn', '2026-02-14 08:00', '2026-02-14T09:00:00+08:00', 'on the make-up Saturday'],
  ['cn', '2026-02-15 10:00', '2026-02-24T09:00:00+08:00', 'during Spring Festival'],
  ['cn', '2026-10-01 10:00', '2026-10-08T09:00:00+08:00', 'during National Day week'],
  ['cn', '2026-01-03 10:00', '2026-01-04T09:00:00+08:00', 'on a holiday before a make-up Sunday'],
  ['mf', '2026-03-07 12:00', '2026-03-09T09:00:00+00:00', 'on Saturday'],
  ['ber', '2026-03-29T00:30:00+01:00', '2026-03-29T01:00:00+01:00', 'before the DST Sunday shift'],
  ['ber', '2026-03-28T00:00:00+01:00', '2026-03-28T00:00:00+01:00', 'midnight between Friday 22-24 and Saturday 00-04 is working time'],
  ['ber', '2026-03-27 17:30', '2026-03-27T22:00:00+01:00', 'between the day and the night shift'],
  ['ber', '2026-10-25T02:30:00+01:00', '2026-10-25T02:30:00+01:00', 'the second 02:30 of fall-back is working time'],
  ['ber', '2026-12-19T01:00:00+01:00', '2026-12-19T10:00:00+01:00', 'a make-up day with its own hours replaces the Saturday shift'],
  ['ny', '2026-03-08T07:30:00Z', '2026-03-08T03:30:00-04:00', 'just after the spring-forward jump'],
];

/** [calendar, from, to, business hours between] */
const between: [Name, string, string, number, string][] = [
  ['cn', '2026-02-13 09:00', '2026-02-24 09:00', 15, 'Friday and the make-up Saturday'],
  ['cn', '2026-02-13 10:00', '2026-02-25 18:00', 29, 'the budget of `3 working days` from Friday 10:00'],
  ['cn', '2026-03-02 12:00', '2026-03-02 13:30', 0, 'the lunch break'],
  ['cn', '2026-03-02 11:00', '2026-03-02 14:00', 1.5, 'across lunch'],
  ['cn', '2026-03-02 10:00', '2026-03-02 10:00', 0, 'an empty span'],
  ['cn', '2026-03-02 14:00', '2026-03-02 10:00', 0, 'a span that runs backwards'],
  ['cn', '2026-09-30 09:00', '2026-10-08 09:00', 7.5, 'National Day week'],
  ['cn', '2026-03-02 00:00', '2026-03-09 00:00', 37.5, 'a week'],
  ['mf', '2026-03-06 12:00', '2026-03-09 12:00', 8, 'over a weekend'],
  ['ber', '2026-03-29 00:00', '2026-03-30 00:00', 2, 'the spring-forward Sunday loses an hour'],
  ['ber', '2026-10-25 00:00', '2026-10-26 00:00', 4, 'the fall-back Sunday gains one'],
  ['ber', '2026-03-27 21:00', '2026-03-28 05:00', 6, 'the night shift across midnight'],
  ['ber', '2026-12-23 17:00', '2027-01-04 09:00', 8, 'over the winter break and the year end'],
  ['ber', '2026-12-18 21:00', '2026-12-19 15:00', 6, 'Friday night then the make-up Saturday'],
  ['ny', '2026-03-08 00:00', '2026-03-09 00:00', 23, 'a 23-hour Sunday'],
  ['ny', '2026-11-01 00:00', '2026-11-02 00:00', 25, 'a 25-hour Sunday'],
];

/** [calendar, local date, is it a working day] */
const workingDayOrNot: [Name, string, boolean, string][] = [
  ['cn', '2026-02-14', true, 'make-up Saturday'],
  ['cn', '2026-02-15', false, 'Spring Festival (a Sunday anyway)'],
  ['cn', '2026-02-23', false, 'Spring Festival Monday'],
  ['cn', '2026-02-24', true, 'first Tuesday after'],
  ['cn', '2026-09-20', true, 'make-up Sunday'],
  ['cn', '2026-10-07', false, 'National Day week'],
  ['cn', '2026-10-10', true, 'make-up Saturday'],
  ['cn', '2026-03-07', false, 'an ordinary Saturday'],
  ['cn', '2027-01-01', true, '2027 falls back to the week: no invented New Year holiday'],
  ['cn', '2027-02-06', false, 'a 2027 Saturday'],
  ['mf', '2026-12-25', true, 'no holidays in monday-to-friday'],
  ['ber', '2026-04-03', false, 'Good Friday'],
  ['ber', '2026-04-04', true, 'Saturday shift'],
  ['ber', '2026-12-27', false, 'a Sunday inside the winter break range'],
  ['ber', '2027-01-01', false, 'the last day of the range, in the next year'],
  ['ber', '2027-01-02', true, 'the day after the range'],
  ['ber', '2026-12-19', true, 'make-up Saturday'],
  ['ny', '2026-03-07', false, 'Saturday'],
  ['ny', '2026-03-08', true, 'Sunday shift'],
];

describe('`N working days`: by the end of the N-th working day after the day of the event', () => {
  it.each(workingDays)('%s: from %s, %i working days → %s (%s)', (name, from, days, expected) => {
    const cal = calendars[name];
    expect(cal.formatLocal(cal.endOfWorkingDays(at(cal, from), days))).toBe(expected);
  });
});

describe('`N business hours`: counted inside working intervals only', () => {
  it.each(businessHours)('%s: from %s, %s business hours → %s (%s)', (name, from, hours, expected) => {
    const cal = calendars[name];
    expect(cal.formatLocal(cal.addBusinessHours(at(cal, from), hours))).toBe(expected);
  });
});

describe('the next working instant', () => {
  it.each(nextWorking)('%s: from %s → %s (%s)', (name, from, expected) => {
    const cal = calendars[name];
    expect(cal.formatLocal(cal.nextWorkingInstant(at(cal, from)))).toBe(expected);
  });
});

describe('working time between two instants', () => {
  it.each(between)('%s: %s → %s is %s business hours (%s)', (name, from, to, hours) => {
    const cal = calendars[name];
    expect(cal.businessMillisBetween(at(cal, from), at(cal, to))).toBe(hours * HOUR);
  });
});

describe('working days and days off', () => {
  it.each(workingDayOrNot)('%s: %s is a working day: %s (%s)', (name, date, expected) => {
    expect(calendars[name].isWorkingDay(date)).toBe(expected);
  });
});

describe('mistakes in the arguments', () => {
  it('refuses zero, negative and fractional working days with a clear error', () => {
    const cal = calendars.cn;
    const from = at(cal, '2026-03-02 10:00');
    expect(() => cal.endOfWorkingDays(from, 0)).toThrow(new CalendarError('cannot count 0 working days: write a whole number of at least one'));
    expect(() => cal.endOfWorkingDays(from, 1.5)).toThrow(CalendarError);
    expect(() => cal.endOfWorkingDays(from, -1)).toThrow(CalendarError);
  });

  it('refuses negative and non-finite business hours', () => {
    const cal = calendars.cn;
    const from = at(cal, '2026-03-02 10:00');
    expect(() => cal.addBusinessHours(from, -1)).toThrow(new CalendarError('cannot add -1 business hours: the number of hours must be zero or more'));
    expect(() => cal.addBusinessHours(from, Number.NaN)).toThrow(CalendarError);
    expect(() => cal.addBusinessHours(from, Number.POSITIVE_INFINITY)).toThrow(CalendarError);
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => calendars.cn.isWorkingDay('2026-02-30')).toThrow(new CalendarError('`2026-02-30` is not a date: write YYYY-MM-DD'));
  });
});

describe('local dates and times', () => {
  it('tells the local date in the calendar’s zone, not the host’s', () => {
    expect(calendars.cn.localDate(Date.parse('2026-02-13T16:30:00Z'))).toBe('2026-02-14');
    expect(calendars.ny.localDate(Date.parse('2026-02-14T03:30:00Z'))).toBe('2026-02-13');
    expect(calendars.mf.localDate(Date.parse('2026-02-13T23:59:59Z'))).toBe('2026-02-13');
  });

  it('shows instants as local wall time with the offset in force', () => {
    expect(calendars.ber.formatLocal(Date.parse('2026-03-29T00:59:00Z'))).toBe('2026-03-29T01:59:00+01:00');
    expect(calendars.ber.formatLocal(Date.parse('2026-03-29T01:00:00Z'))).toBe('2026-03-29T03:00:00+02:00');
    expect(calendars.cn.formatLocal(Date.parse('2026-12-31T16:00:00Z'))).toBe('2027-01-01T00:00:00+08:00');
  });

  it('gives the working spans of a day as instants, DST included', () => {
    const spans = calendars.ber.workingSpansOn('2026-03-29').map((s) => [calendars.ber.formatLocal(s.start), calendars.ber.formatLocal(s.end)]);
    expect(spans).toEqual([['2026-03-29T01:00:00+01:00', '2026-03-29T04:00:00+02:00']]);
    expect(calendars.cn.hoursOn('2026-02-14')).toEqual([
      [540, 720],
      [810, 1080],
    ]);
    expect(calendars.cn.holidayOn('2026-10-03')).toBe('National Day (国庆节)');
  });
});

describe('zones whose clocks change at midnight', () => {
  const allDay: WorkingInterval[] = [[0, 1440]];
  const roundTheClock = (timeZone: string) =>
    new BusinessCalendar(sealCalendar({ calendar: 'round-the-clock', version: 1, title: 'Round the clock', timeZone, week: [allDay, allDay, allDay, allDay, allDay, allDay, allDay], holidays: {}, workingDays: {}, knownYears: [] }));

  it('starts a day whose midnight is skipped when the clock jumps (Santiago, 6 Sep 2026: 00:00 → 01:00)', () => {
    const cal = roundTheClock('America/Santiago');
    const [span] = cal.workingSpansOn('2026-09-06');
    expect(cal.formatLocal(span?.start ?? 0)).toBe('2026-09-06T01:00:00-03:00');
    expect(((span?.end ?? 0) - (span?.start ?? 0)) / HOUR).toBe(23);
    expect(cal.formatLocal(cal.endOfWorkingDays(at(cal, '2026-09-05 12:00'), 1))).toBe('2026-09-07T00:00:00-03:00');
  });

  it('counts half-hour DST changes (Lord Howe Island: 24.5 and 23.5 hour days)', () => {
    const cal = roundTheClock('Australia/Lord_Howe');
    expect(cal.businessMillisBetween(at(cal, '2026-04-05 00:00'), at(cal, '2026-04-06 00:00')) / HOUR).toBe(24.5);
    expect(cal.businessMillisBetween(at(cal, '2026-10-04 00:00'), at(cal, '2026-10-05 00:00')) / HOUR).toBe(23.5);
  });
});
