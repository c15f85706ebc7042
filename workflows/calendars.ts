/** Business calendars pinned with a case, ready for deadline arithmetic. */
import type { CompiledCalendar } from '../dsl/calendar/model.js';
import { BusinessCalendar } from '../dsl/calendar/working-time.js';
import type { ClockCalendar } from './sla-clock.js';

/** A compiled calendar (dsl/calendar/model.ts) as pinned in CaseArgs.calendars: plain JSON. */
export type CalendarData = CompiledCalendar;

/** The working-time arithmetic of a pinned calendar (its own time zone, never the worker's). */
export function businessCalendar(data: CalendarData): ClockCalendar {
  return new BusinessCalendar(data);
}
