/**
 * Meaning checks of a calendar file, beyond its shape: real dates, real time zones, intervals
 * that start before they end and do not overlap, no day both off and worked, dates only in
 * the years whose schedule the file claims to know, and some working time at all.
 *
 * Works on the parsed data as written (plain JSON) and returns unlocated problems; values the
 * schema already rejected (wrong type, wrong pattern) are skipped here.
 */
import { editDistance, listOf } from '../names.js';
import type { UnlocatedProblem } from '../problems.js';
import { formatDay, formatMinute, isKnownTimeZone, parseDay, yearOf, type EpochDay } from './local-time.js';
import { weekdays, type WorkingInterval } from '../../model/compiled-calendar.js';

const intervalPattern = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `HH:MM-HH:MM`; an error message when the times are not real or the end is not after the start. */
export function parseInterval(text: string): { ok: true; value: WorkingInterval } | { ok: false; message: string } | undefined {
  const match = intervalPattern.exec(text);
  if (!match) return undefined; // the schema reports the shape
  const [sh, sm, eh, em] = [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4])];
  const start = sh * 60 + sm;
  const end = eh * 60 + em;
  if (sm > 59 || em > 59) return { ok: false, message: `\`${text.trim()}\` has minutes past 59` };
  if (sh > 23) return { ok: false, message: `\`${text.trim()}\` starts at ${sh}:${match[2]}; a day's hours run from 00:00 to 24:00` };
  if (end > 1440) return { ok: false, message: `\`${text.trim()}\` ends after 24:00; split a night shift into \`22:00-24:00\` on one day and \`00:00-06:00\` on the next` };
  if (end <= start) return { ok: false, message: `\`${text.trim()}\` does not end after it starts${end === 0 ? '; write `24:00` for midnight at the end of the day' : ''}` };
  return { ok: true, value: [start, end] };
}

/** The valid intervals of one day's list, with problems for the invalid and overlapping ones. */
export function checkHours(hours: unknown, path: string, problems: UnlocatedProblem[]): WorkingInterval[] {
  if (!Array.isArray(hours)) return [];
  const valid: { interval: WorkingInterval; index: number }[] = [];
  hours.forEach((item, index) => {
    if (typeof item !== 'string') return;
    const parsed = parseInterval(item);
    if (!parsed) return;
    if (!parsed.ok) problems.push({ path: `${path}/${index}`, code: 'CALENDAR_INTERVAL_INVALID', message: parsed.message });
    else valid.push({ interval: parsed.value, index });
  });
  const sorted = [...valid].sort((a, b) => a.interval[0] - b.interval[0] || a.index - b.index);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (!previous || !current || current.interval[0] >= previous.interval[1]) continue;
    const later = previous.index > current.index ? previous : current;
    const earlier = later === previous ? current : previous;
    problems.push({
      path: `${path}/${later.index}`,
      code: 'CALENDAR_INTERVALS_OVERLAP',
      message: `\`${describe(later.interval)}\` overlaps \`${describe(earlier.interval)}\`; merge them into \`${describe([Math.min(earlier.interval[0], later.interval[0]), Math.max(earlier.interval[1], later.interval[1])])}\` or fix one`,
    });
  }
  return sorted.map((v) => v.interval);
}

function describe([start, end]: WorkingInterval): string {
  return `${formatMinute(start)}-${formatMinute(end)}`;
}

/** Problems with a time zone name; empty when `Intl` knows it as written. */
function checkTimeZone(zone: string): UnlocatedProblem[] {
  if (isKnownTimeZone(zone) && /^[A-Za-z]/.test(zone)) {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    if (resolved === zone || resolved.toLowerCase() !== zone.toLowerCase()) return [];
    return [{ path: '/time-zone', code: 'CALENDAR_TIME_ZONE_UNKNOWN', message: `write the time zone as \`${resolved}\`, not \`${zone}\` (IANA names are case-sensitive)` }];
  }
  const known = Intl.supportedValuesOf('timeZone');
  // Zones share long prefixes (`Europe/`), so only the plain edit distance tells a typo.
  const city = zone.toLowerCase().replace(/\s+/g, '_');
  const ranked = known.map((k) => ({ zone: k, distance: editDistance(city, k.toLowerCase()) })).sort((a, b) => a.distance - b.distance);
  const nearest = ranked[0] && ranked[0].distance <= Math.max(2, Math.floor(zone.length / 5)) ? ranked[0].zone : undefined;
  const suggestion = nearest ?? known.find((k) => k.toLowerCase().endsWith(`/${city}`));
  return [
    {
      path: '/time-zone',
      code: 'CALENDAR_TIME_ZONE_UNKNOWN',
      message: `\`${zone}\` is not an IANA time zone${suggestion ? `; did you mean \`${suggestion}\`?` : '; write a zone like `Asia/Shanghai`, `Europe/Berlin` or `UTC`'}`,
    },
  ];
}

interface DatedEntry {
  path: string;
  days: EpochDay[];
}

/** The days of a holiday or working-day entry, or problems when its dates are not real. */
function datesOf(entry: Json, path: string, problems: UnlocatedProblem[]): DatedEntry | undefined {
  const read = (key: string): EpochDay | undefined | null => {
    const text = entry[key];
    if (typeof text !== 'string' || !datePattern.test(text)) return null; // absent or the schema's to report
    const day = parseDay(text);
    if (day === undefined) problems.push({ path: `${path}/${key}`, code: 'CALENDAR_DATE_INVALID', message: `\`${text}\` is not a real date (check the month and the day)` });
    return day;
  };
  if ('date' in entry) {
    const day = read('date');
    return typeof day === 'number' ? { path: `${path}/date`, days: [day] } : undefined;
  }
  const from = read('from');
  const to = read('to');
  if (typeof from !== 'number' || typeof to !== 'number') return undefined;
  if (to < from) {
    problems.push({ path: `${path}/to`, code: 'CALENDAR_DATE_INVALID', message: `the range ends on ${formatDay(to)}, before it starts on ${formatDay(from)}` });
    return undefined;
  }
  const days: EpochDay[] = [];
  for (let day = from; day <= to; day++) days.push(day);
  return { path: `${path}/from`, days };
}

/** Every meaning problem of a calendar file (as parsed, plain data). */
export function checkCalendar(data: unknown): UnlocatedProblem[] {
  if (!isObject(data)) return [];
  const problems: UnlocatedProblem[] = [];

  if (typeof data['time-zone'] === 'string' && data['time-zone'] !== '') problems.push(...checkTimeZone(data['time-zone']));

  let anyWorkingTime = false;
  if (isObject(data.week)) {
    for (const day of weekdays) if (checkHours(data.week[day], `/week/${day}`, problems).length > 0) anyWorkingTime = true;
    const given = weekdays.filter((day) => Array.isArray((data.week as Json)[day]));
    const allValid = given.length === weekdays.length && !problems.some((p) => p.path.startsWith('/week/'));
    if (!anyWorkingTime && allValid) {
      problems.push({ path: '/week', code: 'CALENDAR_NO_WORKING_TIME', message: 'every day of the week is a day off, so no business deadline could ever be reached; give the working days their hours, e.g. `monday: [09:00-17:00]`' });
    }
  }

  const knownYears = new Set(Array.isArray(data['known-years']) ? data['known-years'].filter((y): y is number => Number.isInteger(y)) : []);
  const outsideKnownYears = (entry: DatedEntry) => {
    const years = [...new Set(entry.days.map(yearOf))].filter((y) => !knownYears.has(y));
    if (years.length === 0) return;
    problems.push({
      path: entry.path,
      code: 'CALENDAR_DATE_OUTSIDE_KNOWN_YEARS',
      message: `${listOf(years.map(String), 'and')} ${years.length === 1 ? 'is' : 'are'} not in \`known-years\` (${knownYears.size > 0 ? [...knownYears].sort().join(', ') : 'none'}); add ${years.length === 1 ? 'it' : 'them'} when the file holds ${years.length === 1 ? 'that year’s' : 'those years’'} whole official schedule, or fix the date`,
    });
  };

  const holidayDays = new Map<EpochDay, string>();
  if (Array.isArray(data.holidays)) {
    data.holidays.forEach((holiday, index) => {
      if (!isObject(holiday)) return;
      const entry = datesOf(holiday, `/holidays/${index}`, problems);
      if (!entry) return;
      outsideKnownYears(entry);
      for (const day of entry.days) if (!holidayDays.has(day)) holidayDays.set(day, typeof holiday.name === 'string' ? holiday.name : 'a holiday');
    });
  }

  const workingDays = new Map<EpochDay, number>();
  if (Array.isArray(data['working-days'])) {
    data['working-days'].forEach((workingDay, index) => {
      if (!isObject(workingDay)) return;
      const path = `/working-days/${index}`;
      if (workingDay.hours !== undefined) checkHours(workingDay.hours, `${path}/hours`, problems);
      const entry = datesOf(workingDay, path, problems);
      if (!entry) return;
      outsideKnownYears(entry);
      for (const day of entry.days) {
        const holiday = holidayDays.get(day);
        const earlier = workingDays.get(day);
        if (holiday !== undefined) {
          problems.push({ path: entry.path, code: 'CALENDAR_DAY_CONFLICT', message: `${formatDay(day)} is both a holiday (${holiday}) and an extra working day; keep one of them` });
        } else if (earlier !== undefined) {
          problems.push({ path: entry.path, code: 'CALENDAR_DAY_CONFLICT', message: `${formatDay(day)} is already an extra working day (item ${earlier + 1} of \`working-days\`); keep one of them` });
        } else workingDays.set(day, index);
      }
    });
  }
  return problems;
}

