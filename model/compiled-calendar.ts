/**
 * A business calendar as the engine uses it: plain JSON, so it can be pinned into a case's
 * workflow arguments and read back unchanged on replay, years later. The author's file
 * (`definitions/calendars/*.yaml`, see schema/calendar.schema.json) is compiled into this form:
 * intervals as minutes, holiday ranges expanded to single dates, make-up days with their hours.
 */

/** A working interval: minutes after local midnight, start included, end excluded (`24:00` is 1440). */
export type WorkingInterval = [start: number, end: number];

export const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof weekdays)[number];

export interface CompiledCalendar {
  calendar: string;
  version: number;
  title: string;
  description?: string;
  /** IANA time zone in which the hours and dates are meant. */
  timeZone: string;
  /** Working intervals per weekday, Monday first; an empty list is a day off. */
  week: WorkingInterval[][];
  /** Days off that would otherwise be working days: `YYYY-MM-DD` → the holiday's name. */
  holidays: Record<string, string>;
  /** Extra working days (e.g. weekend make-up days): `YYYY-MM-DD` → name and hours. */
  workingDays: Record<string, { name: string; hours: WorkingInterval[] }>;
  /** Years whose official schedule is in the calendar; other years have only the weekly hours. */
  knownYears: number[];
  /** SHA-256 of the rest of this object's canonical JSON: the version a case pinned. */
  hash: string;
}
