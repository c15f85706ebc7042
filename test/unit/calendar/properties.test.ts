/**
 * Properties of working-time arithmetic that must hold for any instant and any duration, in
 * every test calendar (lunch breaks, night shifts to 24:00, DST in Berlin and New York,
 * holidays and make-up days in Shanghai), from mid-2025 to the end of 2027 (known and
 * fallback years).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendar } from './calendars.js';

const HOUR = 3_600_000;
const names = ['mainland-china', 'monday-to-friday', 'berlin-shifts', 'new-york-office'] as const;
const instant = fc.integer({ min: Date.parse('2025-06-01T00:00:00Z'), max: Date.parse('2028-01-01T00:00:00Z') });
/** Durations in whole milliseconds up to 300 hours, as hours. */
const hours = fc.integer({ min: 0, max: 300 * HOUR }).map((ms) => ms / HOUR);
const runs = { numRuns: 150 };

describe.each(names)('calendar %s', (name) => {
  const cal = calendar(name);

  it('adding business hours never goes back, and more hours never end earlier', () => {
    fc.assert(
      fc.property(instant, hours, hours, (from, a, b) => {
        const [less, more] = a <= b ? [a, b] : [b, a];
        const early = cal.addBusinessHours(from, less);
        expect(early).toBeGreaterThanOrEqual(from);
        expect(cal.addBusinessHours(from, more)).toBeGreaterThanOrEqual(early);
      }),
      runs,
    );
  });

  it('a later start never ends earlier', () => {
    fc.assert(
      fc.property(instant, instant, hours, (a, b, h) => {
        const [first, second] = a <= b ? [a, b] : [b, a];
        expect(cal.addBusinessHours(second, h)).toBeGreaterThanOrEqual(cal.addBusinessHours(first, h));
      }),
      runs,
    );
  });

  it('the working time between a start and start + h business hours is exactly h hours', () => {
    fc.assert(
      fc.property(instant, hours, (from, h) => {
        expect(cal.businessMillisBetween(from, cal.addBusinessHours(from, h))).toBe(Math.round(h * HOUR));
      }),
      runs,
    );
  });

  it('the next working instant is working time, with no working time before it', () => {
    fc.assert(
      fc.property(instant, (from) => {
        const next = cal.nextWorkingInstant(from);
        expect(next).toBeGreaterThanOrEqual(from);
        expect(cal.isWorkingTime(next)).toBe(true);
        expect(cal.businessMillisBetween(next, next + 1)).toBe(1);
        expect(cal.businessMillisBetween(from, next)).toBe(0);
      }),
      runs,
    );
  });

  it('working time adds up over consecutive spans', () => {
    fc.assert(
      fc.property(instant, instant, instant, (a, b, c) => {
        const [x, y, z] = [a, b, c].sort((p, q) => p - q) as [number, number, number];
        expect(cal.businessMillisBetween(x, y) + cal.businessMillisBetween(y, z)).toBe(cal.businessMillisBetween(x, z));
      }),
      runs,
    );
  });

  it('N working days end at the close of a working day after the day of the event, later for larger N', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 30 }), (from, days) => {
        const end = cal.endOfWorkingDays(from, days);
        const endDay = cal.localDate(end - 1);
        expect(endDay > cal.localDate(from)).toBe(true);
        expect(cal.isWorkingDay(endDay)).toBe(true);
        // Working time runs up to the end, and (unless a shift continues past midnight) stops there.
        expect(cal.businessMillisBetween(end - 1, end)).toBe(1);
        expect(cal.endOfWorkingDays(from, days + 1)).toBeGreaterThan(end);
      }),
      runs,
    );
  });
});
