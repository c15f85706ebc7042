/** Business calendars pinned with a case, ready for deadline arithmetic. */
import type { ClockCalendar } from './sla-clock.js';

export type CalendarData = Record<string, unknown>;

/** Interim until the calendar module lands. */
export function businessCalendar(data: CalendarData): ClockCalendar {
  throw new Error(`business calendars are not available yet (${String(data.name)})`);
}
