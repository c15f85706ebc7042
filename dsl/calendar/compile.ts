/**
 * From a checked calendar file to the engine's form (model/compiled-calendar.ts): intervals as
 * minutes in order, holiday ranges expanded to dates, make-up days with explicit hours. Only
 * called on files without problems.
 */
import type { UnlocatedProblem } from '../problems.js';
import { checkHours } from './check.js';
import { formatDay, parseDay } from './local-time.js';
import { weekdays, type CompiledCalendar, type WorkingInterval } from '../../model/compiled-calendar.js';

/** A calendar file as written (schema/calendar.schema.json). */
export interface CalendarFile {
  calendar: string;
  version: number;
  title: string;
  description?: string;
  'time-zone': string;
  week: Record<(typeof weekdays)[number], string[]>;
  holidays?: { name: string; date?: string; from?: string; to?: string }[];
  'working-days'?: { date: string; name: string; hours?: string[] }[];
  'known-years'?: number[];
}

function hoursOf(list: readonly string[]): WorkingInterval[] {
  const ignored: UnlocatedProblem[] = [];
  return checkHours(list, '', ignored);
}

/** The compiled calendar, without its hash (the loader adds it). */
export function compileCalendar(file: CalendarFile): Omit<CompiledCalendar, 'hash'> {
  const week = weekdays.map((day) => hoursOf(file.week[day]));
  // Make-up days without their own hours are worked like a normal weekday: the first day of the week that has hours.
  const usualHours = week.find((hours) => hours.length > 0) ?? [];

  const holidays: Record<string, string> = {};
  for (const holiday of file.holidays ?? []) {
    const from = parseDay(holiday.date ?? holiday.from ?? '');
    const to = parseDay(holiday.date ?? holiday.to ?? '');
    if (from === undefined || to === undefined) continue;
    for (let day = from; day <= to; day++) holidays[formatDay(day)] ??= holiday.name;
  }

  const workingDays: CompiledCalendar['workingDays'] = {};
  for (const workingDay of file['working-days'] ?? []) {
    workingDays[workingDay.date] = { name: workingDay.name, hours: workingDay.hours ? hoursOf(workingDay.hours) : usualHours.map((i): WorkingInterval => [i[0], i[1]]) };
  }

  return {
    calendar: file.calendar,
    version: file.version,
    title: file.title,
    ...(file.description !== undefined ? { description: file.description } : {}),
    timeZone: file['time-zone'],
    week,
    holidays: sortKeys(holidays),
    workingDays: sortKeys(workingDays),
    knownYears: [...(file['known-years'] ?? [])].sort((a, b) => a - b),
  };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
