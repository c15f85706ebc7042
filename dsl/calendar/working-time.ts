/**
 * Working-time arithmetic over a compiled business calendar: "8 business hours after this",
 * "the end of the third working day", "how much working time between these two instants".
 *
 * Pure and deterministic: instants are milliseconds since the epoch, the calendar's own time
 * zone decides what a day is (never the host's), and nothing reads a clock. It runs inside
 * workflows (workflows/calendars.ts), so it imports no Node built-ins.
 *
 * A day's working time is, in order of precedence: the hours of an extra working day (a
 * weekend make-up day), nothing on a holiday, or the weekday's hours. Intervals are half-open
 * [start, end): at 18:00 sharp a 09:00-18:00 day is over. Outside the calendar's known years
 * there are simply no holidays or make-up days in the data, so the weekly hours apply.
 */
import { epochDayAt, formatDay, formatLocal, instantOf, isKnownTimeZone, parseDay, weekdayOf, type EpochDay } from './local-time.js';
import type { CompiledCalendar, WorkingInterval } from '../../model/compiled-calendar.js';

const HOUR = 3_600_000;
/** How far to look for working time before deciding there is none (ten years of days off). */
const SEARCH_LIMIT_DAYS = 3660;

export class CalendarError extends Error {
  override readonly name = 'CalendarError';
}

/** A working interval as instants, [start, end). */
export interface WorkingSpan {
  start: number;
  end: number;
}

export class BusinessCalendar {
  readonly name: string;
  readonly timeZone: string;
  /** Working spans per local day, computed once: the zone conversions are the costly part. */
  private readonly spans = new Map<EpochDay, WorkingSpan[]>();

  constructor(readonly data: CompiledCalendar) {
    this.name = data.calendar;
    this.timeZone = data.timeZone;
    if (!isKnownTimeZone(data.timeZone)) throw new CalendarError(`calendar \`${data.calendar}\` names the time zone \`${data.timeZone}\`, which this runtime does not know`);
    if (!Array.isArray(data.week) || data.week.length !== 7) throw new CalendarError(`calendar \`${data.calendar}\` does not give the hours of all seven weekdays`);
    if (!data.week.some((hours) => hours.length > 0)) throw new CalendarError(`calendar \`${data.calendar}\` has no working hours in its week`);
  }

  /** The hours worked on a local date (`YYYY-MM-DD`), as minutes after midnight. */
  hoursOn(date: string): WorkingInterval[] {
    return this.hoursOfDay(dayOf(date));
  }

  /** True when the local date has working hours (a weekday that is no holiday, or a make-up day). */
  isWorkingDay(date: string): boolean {
    return this.hoursOfDay(dayOf(date)).length > 0;
  }

  /** The holiday's name when the local date is a holiday of the calendar. */
  holidayOn(date: string): string | undefined {
    return this.data.holidays[date];
  }

  /** `YYYY-MM-DD` of `instant` in the calendar's time zone. */
  localDate(instant: number): string {
    return formatDay(epochDayAt(this.timeZone, instant));
  }

  /** `2026-02-25T18:00:00+08:00`: `instant` on the calendar's wall clock. */
  formatLocal(instant: number): string {
    return formatLocal(this.timeZone, instant);
  }

  /** The working spans of a local date, as instants. */
  workingSpansOn(date: string): WorkingSpan[] {
    return this.spansOfDay(dayOf(date));
  }

  /** True when `instant` is inside working time. */
  isWorkingTime(instant: number): boolean {
    return this.nextWorkingInstant(instant) === instant;
  }

  /** The instant `hours` of working time after `from` (`from` itself for zero hours). */
  addBusinessHours(from: number, hours: number): number {
    if (!Number.isFinite(hours) || hours < 0) throw new CalendarError(`cannot add ${hours} business hours: the number of hours must be zero or more`);
    let remaining = Math.round(hours * HOUR);
    if (remaining === 0) return from;
    for (const span of this.spansFrom(from)) {
      const start = Math.max(span.start, from);
      const available = span.end - start;
      if (remaining <= available) return start + remaining;
      remaining -= available;
    }
    throw this.noWorkingTime(from);
  }

  /**
   * The end of the `days`-th working day after the local date of `from` (that date itself does
   * not count, whatever the time): the end of that day's last working interval.
   */
  endOfWorkingDays(from: number, days: number): number {
    if (!Number.isInteger(days) || days < 1) throw new CalendarError(`cannot count ${days} working days: write a whole number of at least one`);
    const first = epochDayAt(this.timeZone, from) + 1;
    let counted = 0;
    for (let day = first; day < first + SEARCH_LIMIT_DAYS; day++) {
      if (this.hoursOfDay(day).length === 0) continue;
      counted++;
      if (counted === days) {
        const spans = this.spansOfDay(day);
        const last = spans[spans.length - 1];
        // A day whose hours all fall into a skipped DST hour still ends when its hours would.
        return last ? last.end : instantOf(this.timeZone, day, lastEnd(this.hoursOfDay(day)));
      }
    }
    throw this.noWorkingTime(from);
  }

  /** Working time between two instants, in milliseconds (zero when `to` is not after `from`). */
  businessMillisBetween(from: number, to: number): number {
    if (!(to > from)) return 0;
    let total = 0;
    const last = epochDayAt(this.timeZone, to);
    for (let day = epochDayAt(this.timeZone, from); day <= last; day++) {
      for (const span of this.spansOfDay(day)) {
        const start = Math.max(span.start, from);
        const end = Math.min(span.end, to);
        if (end > start) total += end - start;
      }
    }
    return total;
  }

  /** `from` when it is working time, else the start of the next working interval. */
  nextWorkingInstant(from: number): number {
    for (const span of this.spansFrom(from)) return Math.max(span.start, from);
    throw this.noWorkingTime(from);
  }

  /** The working spans that end after `from`, in order, starting on the local date of `from`. */
  *spansFrom(from: number): Generator<WorkingSpan> {
    const first = epochDayAt(this.timeZone, from);
    for (let day = first; day < first + SEARCH_LIMIT_DAYS; day++) {
      for (const span of this.spansOfDay(day)) if (span.end > from) yield span;
    }
  }

  private hoursOfDay(day: EpochDay): WorkingInterval[] {
    const date = formatDay(day);
    const extra = this.data.workingDays[date];
    if (extra) return extra.hours;
    if (this.data.holidays[date] !== undefined) return [];
    return this.data.week[weekdayOf(day)] ?? [];
  }

  private spansOfDay(day: EpochDay): WorkingSpan[] {
    let spans = this.spans.get(day);
    if (!spans) {
      spans = [];
      for (const [startMinute, endMinute] of this.hoursOfDay(day)) {
        const start = instantOf(this.timeZone, day, startMinute);
        const end = instantOf(this.timeZone, day, endMinute);
        // An interval wholly inside a skipped hour (spring forward) has no working time that day.
        if (end > start) spans.push({ start, end });
      }
      this.spans.set(day, spans);
    }
    return spans;
  }

  private noWorkingTime(from: number): CalendarError {
    return new CalendarError(`calendar \`${this.name}\` has no working time within ten years after ${this.formatLocal(from)}`);
  }
}

function dayOf(date: string): EpochDay {
  const day = parseDay(date);
  if (day === undefined) throw new CalendarError(`\`${date}\` is not a date: write YYYY-MM-DD`);
  return day;
}

function lastEnd(hours: WorkingInterval[]): number {
  return hours[hours.length - 1]?.[1] ?? 0;
}
