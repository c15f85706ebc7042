/**
 * What the parts activities add to the catalog's input check (activities/validate.ts, run by
 * `defineActivity`): one line per part in a request.
 */
import type { partsCatalog } from '../../model/activity-catalog/parts.js';
import { invalidInput } from '../errors.js';

export type PartsActivityName = keyof typeof partsCatalog;

/** A part listed twice in one request is refused: one line per part keeps the ledger readable. */
export function refuseRepeatedLines(activity: PartsActivityName, field: string, keys: readonly string[]): void {
  const seen = new Map<string, number>();
  keys.forEach((key, index) => {
    const first = seen.get(key);
    if (first !== undefined) throw invalidInput(activity, `\`${field}[${index}]\` repeats ${key} of \`${field}[${first}]\`; give one line per part`);
    seen.set(key, index);
  });
}
