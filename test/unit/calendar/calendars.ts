/** The calendars the calendar tests compute with: the shipped ones and the DST fixtures, loaded as a case would pin them. */
import path from 'node:path';
import { loadCalendars } from '../../../dsl/load/calendar-load.js';
import { instantOf, parseDay } from '../../../dsl/calendar/local-time.js';
import type { CompiledCalendar } from '../../../model/compiled-calendar.js';
import { BusinessCalendar } from '../../../dsl/calendar/working-time.js';
import { projectRoot } from '../../../worker/config.js';

export const shippedCalendarsDir = path.join(projectRoot, 'definitions', 'calendars');
export const fixtureCalendarsDir = path.join(projectRoot, 'test', 'fixtures', 'calendars');

const loaded = await loadCalendars([shippedCalendarsDir, path.join(fixtureCalendarsDir, 'berlin-shifts.yaml'), path.join(fixtureCalendarsDir, 'new-york-office.yaml')]);
if (loaded.problems.length > 0) throw new Error(`test calendars do not load: ${JSON.stringify(loaded.problems)}`);

/** The compiled calendar, after a JSON round trip (as it comes out of workflow arguments). */
export function compiled(name: string): CompiledCalendar {
  const found = loaded.calendars.find((c) => c.compiled.calendar === name);
  if (!found) throw new Error(`no test calendar ${name}`);
  return JSON.parse(JSON.stringify(found.compiled)) as CompiledCalendar;
}

export function calendar(name: string): BusinessCalendar {
  return new BusinessCalendar(compiled(name));
}

/**
 * An instant from `2026-02-13 10:00` (wall time in the calendar's zone) or from an ISO text
 * with an offset (`2026-10-25T02:30:00+01:00`, for the hour that happens twice).
 */
export function at(cal: BusinessCalendar, text: string): number {
  const local = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2})$/.exec(text);
  if (!local) {
    const instant = Date.parse(text);
    if (Number.isNaN(instant)) throw new Error(`bad test time ${text}`);
    return instant;
  }
  const day = parseDay(local[1] ?? '');
  if (day === undefined) throw new Error(`bad test date ${text}`);
  return instantOf(cal.timeZone, day, Number(local[2]) * 60 + Number(local[3]));
}
