/**
 * Wall-clock time in an IANA time zone, computed from the zone's offsets as `Intl` reports them,
 * never from the host's own zone: the same instant gives the same local date and time on a
 * worker in Shanghai, Los Angeles or UTC. Pure and workflow-safe (no Node built-ins; `Date` is
 * only used with explicit arguments, as a calculator over UTC fields).
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A local calendar date as a count of days since 1970-01-01 (the zone does not matter for a date). */
export type EpochDay = number;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building them is slow, and they are immutable. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when `Intl` knows `timeZone` (an IANA name like `Asia/Shanghai`, or `UTC`). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at `instant`, in milliseconds (east positive: Shanghai is +8 h). */
export function offsetAt(timeZone: string, instant: number): number {
  const second = Math.floor(instant / 1000) * 1000;
  const fields: Record<string, number> = {};
  let bc = false;
  for (const part of formatterFor(timeZone).formatToParts(second)) {
    if (part.type === 'era') bc = part.value === 'BC' || part.value === 'B';
    else if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const year = bc ? 1 - (fields.year ?? 0) : (fields.year ?? 1970);
  const localAsUtc = utcFields(year, fields.month ?? 1, fields.day ?? 1, fields.hour ?? 0, fields.minute ?? 0, fields.second ?? 0);
  return localAsUtc - second;
}

/** Date.UTC without its two-digit-year quirk. */
function utcFields(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

/** The local date of `instant` in `timeZone`. */
export function epochDayAt(timeZone: string, instant: number): EpochDay {
  return Math.floor((instant + offsetAt(timeZone, instant)) / DAY);
}

/** Minutes after local midnight of `instant` in `timeZone` (may be fractional). */
export function minuteOfDayAt(timeZone: string, instant: number): number {
  const local = instant + offsetAt(timeZone, instant);
  return (local - Math.floor(local / DAY) * DAY) / MINUTE;
}

/**
 * The instant at which the wall clock in `timeZone` shows `minute` minutes after midnight of
 * `day` (`minute` may be 1440: midnight ending the day).
 *
 * Around daylight-saving changes a wall time may not exist or exist twice:
 * - skipped (spring forward, e.g. 02:30 in Berlin on the last Sunday of March): the instant the
 *   clock jumps, as a person at work would see it: an interval 02:00-04:00 starts at 03:00 and
 *   lasts one hour;
 * - repeated (fall back, e.g. 02:30 on the last Sunday of October): the first occurrence, so an
 *   interval 01:00-04:00 that day lasts four real hours.
 * Both rules keep the mapping monotonic, so working intervals never overlap or run backwards.
 */
export function instantOf(timeZone: string, day: EpochDay, minute: number): number {
  const localAsUtc = day * DAY + minute * MINUTE;
  const before = offsetAt(timeZone, localAsUtc - DAY);
  const after = offsetAt(timeZone, localAsUtc + DAY);
  const candidates = [localAsUtc - before, localAsUtc - after].filter((t) => offsetAt(timeZone, t) === localAsUtc - t);
  if (candidates.length > 0) return Math.min(...candidates);
  // A skipped wall time: find the transition between the two offsets (whole seconds).
  let low = localAsUtc - after; // still under the old offset
  let high = localAsUtc - before; // already under the new one
  const oldOffset = offsetAt(timeZone, low);
  while (high - low > 1000) {
    const middle = Math.floor((low + high) / 2000) * 1000;
    if (offsetAt(timeZone, middle) === oldOffset) low = middle;
    else high = middle;
  }
  return high;
}

/** `YYYY-MM-DD` of an epoch day. */
export function formatDay(day: EpochDay): string {
  const date = new Date(day * DAY);
  const year = date.getUTCFullYear();
  return `${year < 0 ? '-' : ''}${String(Math.abs(year)).padStart(4, '0')}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** The epoch day of a `YYYY-MM-DD` text, or undefined when it is not a real date. */
export function parseDay(text: string): EpochDay | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = utcFields(year, month, day);
  const date = new Date(ms);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() + 1 !== month || date.getUTCDate() !== day) return undefined;
  return ms / DAY;
}

/** The year of an epoch day. */
export function yearOf(day: EpochDay): number {
  return new Date(day * DAY).getUTCFullYear();
}

/** 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOf(day: EpochDay): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** `2026-02-25T18:00:00+08:00`: the local time with its offset, for messages and timelines. */
export function formatLocal(timeZone: string, instant: number): string {
  const offset = offsetAt(timeZone, instant);
  const local = new Date(instant + offset);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset) / MINUTE;
  const zone = `${sign}${pad(Math.floor(abs / 60))}:${pad(Math.round(abs % 60))}`;
  return `${formatDay(Math.floor((instant + offset) / DAY))}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${zone}`;
}

/** `HH:MM` of minutes after midnight (1440 is `24:00`). */
export function formatMinute(minute: number): string {
  return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * An instant as a person in `timeZone` reads it, with the offset that makes it unambiguous:
 * `2026-12-03 22:27 UTC+8`, `2026-03-30 01:30 UTC+5:30`, `2026-12-03 14:27 UTC`. Pure (the zone's
 * offsets from `Intl`), so the workflow's live details use it too.
 */
export function formatLocalTime(instant: number, timeZone: string): string {
  const offset = offsetAt(timeZone, instant);
  const local = new Date(Math.floor(instant / 60_000) * 60_000 + offset).toISOString();
  const minutes = Math.round(Math.abs(offset) / 60_000);
  const zone = offset === 0 ? 'UTC' : `UTC${offset > 0 ? '+' : '-'}${Math.floor(minutes / 60)}${minutes % 60 ? `:${String(minutes % 60).padStart(2, '0')}` : ''}`;
  return `${local.slice(0, 10)} ${local.slice(11, 16)} ${zone}`;
}
