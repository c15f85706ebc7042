/**
 * The company's time zone: the zone the times a person reads are in (the reports' months and
 * dates; issue 16). AFTERCARE_TIME_ZONE when it is set; otherwise the zone of the business
 * calendars the processes in the definitions folder count working time with (the shipped
 * ones all use mainland-china, Asia/Shanghai); UTC when no process names a calendar.
 * Machine-readable output (`--json`) stays in UTC whatever this is.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { AftercareConfig } from './config.js';
import { isTimeZone } from './config.js';

export class TimeZoneError extends Error {
  override readonly name = 'TimeZoneError';
}

/** A block-style `key: value` line's value, unquoted, comment dropped. */
const keyLine = (key: string, indented: boolean) => new RegExp(`^${indented ? '[ \\t]*' : ''}${key}:[ \\t]*["']?([^"'#\\s]+)["']?[ \\t]*(?:#.*)?$`, 'gm');

interface ScannedFile {
  process?: string;
  /** Every `calendar:` the file names (a process's, its SLA clocks'), or the calendar it is. */
  calendars: string[];
  version?: number;
  timeZone?: string;
}

/**
 * Every YAML file under the definitions folder (calendars/ included), read for its keys lines
 * only: `process:`, `calendar:` (at any depth: the process's and its SLA clocks'), `version:`
 * and `time-zone:`. Not the loader's checks and not a YAML parse: the CLI asks for the zone on
 * every command that prints a time, and parsing every definition costs a third of a second.
 * Keys written in flow style (`{calendar: x}`) are not seen: the shipped files and the docs
 * write them one per line.
 */
async function scanFiles(folder: string): Promise<ScannedFile[]> {
  const entries = await fs.readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  const found: ScannedFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !/\.ya?ml$/i.test(entry.name)) continue;
    const text = await fs.readFile(path.join(entry.parentPath ?? entry.path, entry.name), 'utf8').catch(() => '');
    const first = (key: string) => [...text.matchAll(keyLine(key, false))][0]?.[1];
    const process = first('process');
    const version = Number(first('version'));
    const timeZone = first('time-zone');
    found.push({
      ...(process ? { process } : {}),
      calendars: process ? [...text.matchAll(keyLine('calendar', true))].map((m) => m[1] as string) : [first('calendar')].filter((c): c is string => c !== undefined),
      ...(Number.isInteger(version) ? { version } : {}),
      ...(timeZone ? { timeZone } : {}),
    });
  }
  return found;
}

/**
 * The company's time zone (see the file comment). Reads only the processes' `calendar:` keys
 * and the calendars' `time-zone:`, so a report still runs while a definition being edited has
 * mistakes. Throws a TimeZoneError when the processes' calendars are in different zones and none
 * is configured: which one the company reads its months in is then for AFTERCARE_TIME_ZONE to say.
 */
export async function companyTimeZone(config: Pick<AftercareConfig, 'timeZone' | 'definitionsDir'>): Promise<string> {
  if (config.timeZone) return config.timeZone;
  const files = await scanFiles(config.definitionsDir);
  const named = new Set(files.filter((file) => file.process !== undefined).flatMap((file) => file.calendars));
  if (named.size === 0) return 'UTC';
  const calendars = files.filter((file) => file.process === undefined && file.version !== undefined && file.timeZone !== undefined && isTimeZone(file.timeZone));
  // The highest version of each calendar: what new cases pin.
  const zones = new Map<string, string[]>();
  for (const name of [...named].sort()) {
    const latest = calendars.filter((c) => c.calendars[0] === name).sort((a, b) => (b.version as number) - (a.version as number))[0];
    if (!latest) continue;
    const zone = latest.timeZone as string;
    zones.set(zone, [...(zones.get(zone) ?? []), name]);
  }
  if (zones.size === 0) return 'UTC';
  if (zones.size > 1) {
    const list = [...zones].map(([zone, names]) => `${zone} (${names.join(', ')})`).join(', ');
    throw new TimeZoneError(`the processes' calendars are in different time zones: ${list}; set AFTERCARE_TIME_ZONE to the company's, e.g. AFTERCARE_TIME_ZONE=${[...zones.keys()][0]}`);
  }
  return [...zones.keys()][0] as string;
}
