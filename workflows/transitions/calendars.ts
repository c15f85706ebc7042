/**
 * Which pushed calendar versions a case takes (processes with `calendar-updates: follow`): a
 * newer version of a calendar the case counts with replaces the pinned one; older, equal or
 * unused ones are kept out, each with the reason.
 */
import type { CalendarData } from '../../model/pinned.js';
import type { UpdateCalendarsRequest, UpdateCalendarsResult } from '../messages.js';
import type { Entry } from './entry.js';

export interface CalendarUpdate {
  result: UpdateCalendarsResult;
  /** The calendars to swap in, by name, in the order of the request. */
  replacements: { name: string; data: CalendarData; entry: Entry }[];
}

export function calendarUpdate(caseId: string, pinned: Readonly<Record<string, CalendarData>>, request: UpdateCalendarsRequest): CalendarUpdate {
  const result: UpdateCalendarsResult = { caseId, updated: [], kept: [] };
  const replacements: CalendarUpdate['replacements'] = [];
  for (const [name, data] of Object.entries(request.calendars)) {
    const current = pinned[name];
    if (!current) result.kept.push({ calendar: name, reason: 'the case does not count with this calendar' });
    else if (current.hash === data.hash) result.kept.push({ calendar: name, reason: `version ${current.version} is the one the case has` });
    else if (data.version <= current.version) result.kept.push({ calendar: name, reason: `version ${data.version} is not newer than the case's version ${current.version}` });
    else {
      replacements.push({ name, data, entry: { type: 'calendar-updated', detail: `${name} version ${current.version} → ${data.version}` } });
      result.updated.push({ calendar: name, from: current.version, to: data.version });
    }
  }
  return { result, replacements };
}
