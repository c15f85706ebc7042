/** Business calendars pinned with a case, ready for deadline arithmetic. */
import type { CalendarData } from '../model/pinned.js';
import { BusinessCalendar } from '../dsl/calendar/working-time.js';
import type { ClockCalendar } from './sla-clock.js';

export type { CalendarData };

/** The working-time arithmetic of a pinned calendar (its own time zone, never the worker's). */
export function businessCalendar(data: CalendarData): ClockCalendar {
  return new BusinessCalendar(data);
}
