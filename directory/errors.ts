/**
 * Refusals of the staff directory: a stable code and a sentence that names the thing and the
 * fix (docs/operators.md "Staff directory" lists them).
 */

export const directoryErrorCodes = [
  'STAFF_FILE_INVALID',
  'STAFF_FILE_UNREADABLE',
  'PERSON_UNKNOWN',
  'ROLE_NOT_HELD',
  'ROLE_ALREADY_HELD',
  'CHANGE_INVALID',
] as const;
export type DirectoryErrorCode = (typeof directoryErrorCodes)[number];

/** A problem of a staff file, at the line it is on. */
export interface StaffFileProblem {
  line: number;
  message: string;
}

export class DirectoryError extends Error {
  override readonly name = 'DirectoryError';
  constructor(
    readonly code: DirectoryErrorCode,
    message: string,
    /** For STAFF_FILE_INVALID: every problem of the file, in line order. */
    readonly problems: readonly StaffFileProblem[] = [],
  ) {
    super(message);
  }
}

/** The closest of `known` to `wanted`, when it is close enough to be a typo. */
export function closest(wanted: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(wanted.length / 3)) + 1;
  for (const candidate of known) {
    const d = distance(wanted.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

export const didYouMean = (wanted: string, known: Iterable<string>): string => {
  const guess = closest(wanted, known);
  return guess ? ` (did you mean \`${guess}\`?)` : '';
};
