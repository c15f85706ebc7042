/**
 * From "when it started" and a duration as written, the instant something is due. Pure:
 * the same inputs give the same instant whatever the host's clock or time zone.
 */
import { parseDuration, type DurationSpec } from './durations.js';

/** Working-time arithmetic of a business calendar (see dsl/calendar). */
export interface WorkingTime {
  /** The instant `hours` of working time after `from`. */
  addBusinessHours(from: number, hours: number): number;
  /** The end of the `days`-th working day after the day of `from` (the day of `from` does not count). */
  endOfWorkingDays(from: number, days: number): number;
}

export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

/**
 * The instant `spec` after `from` (ms since the epoch). `evaluate` resolves `${...}` templates,
 * which may give milliseconds, an ISO instant (taken as the deadline itself) or a duration text.
 */
export function resolveDeadline(spec: DurationSpec, from: number, evaluate: (template: string) => unknown, calendar?: WorkingTime): number {
  switch (spec.kind) {
    case 'elapsed':
      return from + spec.ms;
    case 'business-hours':
      if (!calendar) throw new DeadlineError(`\`${spec.hours} business hours\` needs a business calendar: name one with \`calendar:\``);
      return calendar.addBusinessHours(from, spec.hours);
    case 'working-days':
      if (!calendar) throw new DeadlineError(`\`${spec.days} working days\` needs a business calendar: name one with \`calendar:\``);
      return calendar.endOfWorkingDays(from, spec.days);
    case 'expression': {
      const value = evaluate(spec.template);
      if (typeof value === 'number' && Number.isFinite(value)) return from + value;
      if (typeof value === 'string') {
        const asDuration = parseDuration(value);
        if (asDuration.ok && asDuration.value.kind !== 'expression') return resolveDeadline(asDuration.value, from, evaluate, calendar);
        const instant = Date.parse(value);
        if (!Number.isNaN(instant)) return instant;
      }
      throw new DeadlineError(`\`${spec.template}\` gave ${JSON.stringify(value)}, which is neither a duration nor a time`);
    }
  }
}

/** The instant a `${...}` `until:` template names. */
export function resolveInstant(template: string, evaluate: (template: string) => unknown): number {
  const value = evaluate(template);
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const instant = Date.parse(value);
    if (!Number.isNaN(instant)) return instant;
  }
  throw new DeadlineError(`\`${template}\` gave ${JSON.stringify(value)}, which is not a time (write an ISO date like 2026-03-01T10:00:00Z)`);
}
