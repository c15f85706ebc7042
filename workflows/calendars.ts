/** Business calendars pinned with a case, ready for deadline arithmetic. */
import { ApplicationFailure } from '@temporalio/workflow';
import type { CalendarData } from '../model/pinned.js';
import { BusinessCalendar } from '../dsl/calendar/working-time.js';
import type { ClockCalendar } from './sla-clock.js';

export type { CalendarData };

/** The working-time arithmetic of a pinned calendar (its own time zone, never the worker's). */
export function businessCalendar(data: CalendarData): ClockCalendar {
  return new BusinessCalendar(data);
}

/** The calendars a case counts with, by name: built once each, swapped when a newer version is taken. */
export class CaseCalendars {
  private readonly built = new Map<string, ClockCalendar>();

  /** `pinned` is the case's own record of its calendars (CaseArgs.calendars): a replacement is written into it, so it continues as new with the case. */
  constructor(readonly pinned: Record<string, CalendarData>) {}

  get(name: string | undefined): ClockCalendar | undefined {
    if (!name) return undefined;
    let calendar = this.built.get(name);
    if (!calendar) {
      const data = this.pinned[name];
      if (!data) throw ApplicationFailure.nonRetryable(`calendar \`${name}\` was not pinned with this case`, 'StateInvalid');
      calendar = businessCalendar(data);
      this.built.set(name, calendar);
    }
    return calendar;
  }

  replace(name: string, data: CalendarData): void {
    this.pinned[name] = data;
    this.built.delete(name);
  }
}
