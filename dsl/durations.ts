/**
 * Durations as process owners write them: `30s`, `24h`, `1h 30m`, `3 days` (calendar time),
 * `8 business hours` (counted inside the calendar's working hours) and `3 working days`
 * (by the end of the third working day, as a person means it). Pure: used by the loader and
 * by the workflow.
 */

import type { DurationSpec } from '../model/compiled-process.js';

export type { DurationSpec };

const elapsedUnits: Record<string, number> = {
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
};

const businessHours = /^(\d+(?:\.\d+)?)\s*business\s+hours?$/i;
const workingDays = /^(\d+)\s*(?:working|business)\s+days?$/i;
const elapsedPart = /(\d+(?:\.\d+)?)\s*([a-z]+)/giy;

export type DurationResult = { ok: true; value: DurationSpec } | { ok: false; message: string };

const hint = 'write for example `30s`, `24h`, `1h 30m`, `3 days`, `8 business hours` or `3 working days`';

/** Reads a duration; on failure the message says what was wrong and shows the accepted forms. */
export function parseDuration(text: string): DurationResult {
  const source = text.trim();
  if (source.startsWith('${') && source.endsWith('}')) return { ok: true, value: { kind: 'expression', template: source } };
  if (source === '') return { ok: false, message: `an empty duration; ${hint}` };

  const hours = businessHours.exec(source);
  if (hours) {
    const value = Number(hours[1]);
    if (value <= 0) return { ok: false, message: `\`${text}\` must be more than zero business hours` };
    return { ok: true, value: { kind: 'business-hours', hours: value } };
  }
  const days = workingDays.exec(source);
  if (days) {
    const value = Number(days[1]);
    if (value <= 0) return { ok: false, message: `\`${text}\` must be at least one working day` };
    return { ok: true, value: { kind: 'working-days', days: value } };
  }
  if (/working|business/i.test(source)) {
    return { ok: false, message: `\`${text}\` is not a duration: ${hint} (working days are whole numbers)` };
  }

  let ms = 0;
  let position = 0;
  const compact = source.replace(/\s*,\s*|\s+and\s+/g, ' ');
  elapsedPart.lastIndex = 0;
  while (position < compact.length) {
    while (compact[position] === ' ') position++;
    if (position >= compact.length) break;
    elapsedPart.lastIndex = position;
    const part = elapsedPart.exec(compact);
    if (!part) return { ok: false, message: `\`${text}\` is not a duration: ${hint}` };
    const unit = elapsedUnits[(part[2] ?? '').toLowerCase()];
    if (unit === undefined) return { ok: false, message: `\`${part[2]}\` in \`${text}\` is not a unit of time: ${hint}` };
    ms += Number(part[1]) * unit;
    position = elapsedPart.lastIndex;
  }
  if (ms <= 0) return { ok: false, message: `\`${text}\` must be longer than zero` };
  return { ok: true, value: { kind: 'elapsed', ms: Math.round(ms), text: source } };
}

/** A duration in words for people: `2 days 3 hours`, `45 minutes`. */
export function describeMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [['day', 86_400], ['hour', 3600], ['minute', 60], ['second', 1]] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count} ${unit}${count === 1 ? '' : 's'}`);
    rest -= count * size;
  }
  return parts.slice(0, 2).join(' ');
}

/** The spec in the author's words, for timer summaries and the timeline. */
export function describeDuration(spec: DurationSpec): string {
  switch (spec.kind) {
    case 'elapsed':
      return spec.text ?? describeMs(spec.ms);
    case 'business-hours':
      return `${spec.hours} business hour${spec.hours === 1 ? '' : 's'}`;
    case 'working-days':
      return `${spec.days} working day${spec.days === 1 ? '' : 's'}`;
    case 'expression':
      return spec.template;
  }
}

/** A duration of a checked definition, for the compiler: one that does not parse is a bug upstream, so it throws. */
export function compileDuration(text: string | undefined): DurationSpec | undefined {
  if (text === undefined) return undefined;
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(`cannot compile duration \`${text}\`: ${parsed.message}`);
  return parsed.value;
}

/** A plain-time duration in milliseconds (timeouts, retry intervals), or `fallback` when none is written. */
export function compileElapsedMs(text: string | undefined, fallback: number): number {
  const spec = compileDuration(text);
  if (!spec) return fallback;
  if (spec.kind !== 'elapsed') throw new Error(`\`${text}\` must be plain elapsed time here (like \`30s\` or \`5m\`)`);
  return spec.ms;
}
