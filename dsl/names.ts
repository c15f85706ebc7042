/** Small helpers for talking about names in messages: suggestions and quoting. */

/**
 * Levenshtein distance, for "did you mean" suggestions. With `max`, it stops as soon as the
 * distance is known to exceed `max` and returns `max + 1`: a suggestion only needs to know
 * whether a name is close, and most candidates are not.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    // Every later row is at least the smallest value of this one.
    if (rowMin > max) return max + 1;
    previous = current;
  }
  return Math.min(previous[b.length] ?? 0, max + 1);
}

/**
 * How many candidates the suggestions of one file may compare a name with, in all. A normal
 * definition compares a few thousand (tens of names against tens of candidates); a generated
 * or mangled file with thousands of broken references against thousands of steps would compare
 * hundreds of millions (4,000 broken steps took over three minutes). Past the budget, names get
 * no suggestion, and the first message without one says why.
 */
export const suggestionComparisonsPerFile = 200_000;

/**
 * Names longer than this are not compared for suggestions (nor suggested): the edit distance
 * costs the product of the two lengths, and two names of 60,000 characters would take minutes.
 * Real names (step ids, roles, keys) are a few words long.
 */
export const maxSuggestedNameLength = 100;

interface SuggestionBudget {
  left: number;
  /** Whether a message has already said that suggestions stopped. */
  told: boolean;
}

/** The budget of the file being checked; none outside `withSuggestionBudget` (no limit). */
let budget: SuggestionBudget | undefined;

/**
 * Runs the checks of one file (synchronously) with a budget of `comparisons` for its "did you
 * mean" suggestions, so that a file with thousands of broken names stays quick to check.
 */
export function withSuggestionBudget<T>(run: () => T, comparisons = suggestionComparisonsPerFile): T {
  const outer = budget;
  budget = { left: comparisons, told: false };
  try {
    return run();
  } finally {
    budget = outer;
  }
}

/**
 * The candidate closest to `name`, if it is close enough to be a plausible typo (or one
 * contains the other, as in `resolve` / `resolution`). Undefined too when the file's
 * suggestion budget is spent.
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length > maxSuggestedNameLength) return undefined;
  let best: string | undefined;
  let bestScore = Infinity;
  const lower = name.toLowerCase();
  const limit = Math.max(2, Math.floor(name.length / 3));
  for (const candidate of candidates) {
    if (budget) {
      if (budget.left <= 0) return undefined;
      budget.left--;
    }
    if (candidate.length > maxSuggestedNameLength) continue;
    const other = candidate.toLowerCase();
    // A candidate longer or shorter by more than twice the limit scores above it either way
    // (the distance is at least the difference, the containment score half of it): skip it.
    const lengths = Math.abs(other.length - lower.length);
    if (lengths > 2 * limit) continue;
    let score = editDistance(lower, other, limit);
    const prefix = commonPrefixLength(lower, other);
    if (prefix >= 4 || other.includes(lower) || lower.includes(other)) score = Math.min(score, Math.max(1, lengths / 2));
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best !== undefined && bestScore <= limit ? best : undefined;
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** "; did you mean `x`?" or "" (or, once per file, that suggestions stopped). */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const suggestion = closest(name, candidates);
  if (suggestion) return `; did you mean \`${suggestion}\`?`;
  if (budget && budget.left <= 0 && !budget.told) {
    budget.told = true;
    return ' (no more "did you mean" suggestions for this file: it has too many unknown names to compare; fix these and validate again)';
  }
  return '';
}

/**
 * How many names a message lists at most; the rest are counted. Lists in messages are short
 * (allowed words, declared roles); a file declaring thousands of roles would otherwise repeat
 * all of them in each of thousands of messages.
 */
export const maxNamesListed = 20;

/** `a`, `b` and `c` — for listing allowed values in a message (past `maxNamesListed`: `a`, `b` ... and 30 more). */
export function listOf(names: readonly string[], conjunction = 'or'): string {
  if (names.length > maxNamesListed) return `${names.slice(0, maxNamesListed).map((name) => `\`${name}\``).join(', ')} ${conjunction} ${names.length - maxNamesListed} more`;
  const quoted = names.map((name) => `\`${name}\``);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted[quoted.length - 1]}`;
}

/** JSON pointer from path segments (RFC 6901 escaping). */
export function pointer(...segments: (string | number)[]): string {
  return segments.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Path segments of a JSON pointer. */
export function segmentsOf(path: string): string[] {
  if (path === '') return [];
  return path
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}
