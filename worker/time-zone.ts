/**
 * The company's time zone: the zone the times a person reads are in (the reports' months and
 * dates; issue 16). AFTERCARE_TIME_ZONE when it is set; otherwise the zone of the business
 * calendars the processes in the definitions folder count working time with (the shipped
 * ones all use mainland-china, Asia/Shanghai); UTC when no process names a calendar.
 * Machine-readable output (`--json`) stays in UTC whatever this is.
 */
import { parse as parseYaml } from 'yaml';
import { findDefinitionFiles } from '../dsl/load/load.js';
import { calendarFolders } from '../dsl/load/registry.js';
import { loadCalendars } from '../dsl/load/calendar-load.js';
import { readYamlFile } from '../dsl/load/yaml-files.js';
import type { AftercareConfig } from './config.js';

export class TimeZoneError extends Error {
  override readonly name = 'TimeZoneError';
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** The calendars a definition file names: the process's and its SLA clocks'. Unreadable files name none. */
async function calendarsNamedIn(file: string): Promise<string[]> {
  const read = await readYamlFile(file);
  if ('problem' in read) return [];
  let data: Record<string, unknown> | undefined;
  try {
    data = asRecord(parseYaml(read.text));
  } catch {
    return [];
  }
  if (!data || typeof data.process !== 'string') return [];
  const names = [data.calendar, ...Object.values(asRecord(data.slas) ?? {}).map((sla) => asRecord(sla)?.calendar)];
  return names.filter((name): name is string => typeof name === 'string');
}

/**
 * The company's time zone (see the file comment). Reads only the processes' `calendar:` keys
 * and the calendar files, so a report still runs while a definition being edited has mistakes.
 * Throws a TimeZoneError when the processes' calendars are in different zones and none is
 * configured: which one the company reads its months in is then for AFTERCARE_TIME_ZONE to say.
 */
export async function companyTimeZone(config: Pick<AftercareConfig, 'timeZone' | 'definitionsDir'>): Promise<string> {
  if (config.timeZone) return config.timeZone;
  const named = new Set<string>();
  for (const file of await findDefinitionFiles([config.definitionsDir]).catch(() => [])) for (const name of await calendarsNamedIn(file)) named.add(name);
  if (named.size === 0) return 'UTC';
  const { calendars } = await loadCalendars(await calendarFolders([config.definitionsDir]));
  // The highest version of each calendar: what new cases pin.
  const zones = new Map<string, string[]>();
  for (const name of [...named].sort()) {
    const latest = calendars.filter((c) => c.compiled.calendar === name).sort((a, b) => b.compiled.version - a.compiled.version)[0];
    if (!latest) continue;
    zones.set(latest.compiled.timeZone, [...(zones.get(latest.compiled.timeZone) ?? []), name]);
  }
  if (zones.size === 0) return 'UTC';
  if (zones.size > 1) {
    const list = [...zones].map(([zone, names]) => `${zone} (${names.join(', ')})`).join(', ');
    throw new TimeZoneError(`the processes' calendars are in different time zones: ${list}; set AFTERCARE_TIME_ZONE to the company's, e.g. AFTERCARE_TIME_ZONE=${[...zones.keys()][0]}`);
  }
  return [...zones.keys()][0] as string;
}
