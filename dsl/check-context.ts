/**
 * What the meaning checks are told about the world outside the definition: the activities,
 * processes and calendars that exist. Its own module so that the step kinds (dsl/steps/) can
 * read it without importing the checker that dispatches to them.
 */
import type { UnlocatedProblem } from './problems.js';

/** What the checker needs of a catalog entry: the JSON Schema of the activity's `with:` input. */
export interface ActivityInputSpec {
  input?: Readonly<Record<string, unknown>>;
}

/**
 * The activities the worker registers: their names only, or the catalog (names with input
 * schemas, so that `with:` keys are checked too). Pass `activityCatalog` where it is at hand.
 */
export type KnownActivities = ReadonlySet<string> | Readonly<Record<string, ActivityInputSpec>>;

export interface CheckContext {
  /** Activities the worker registers (names, or the catalog to check `with:` keys too); omit to skip the check. */
  activities?: KnownActivities;
  /** Processes by name with the outcomes their end steps give; omit to skip subprocess checks. */
  processes?: ReadonlyMap<string, { outcomes: readonly string[] }>;
  /** Calendar names that exist; omit to skip the check. */
  calendars?: ReadonlySet<string>;
  /** Validates an author's JSON Schema (the loader uses ajv's meta-schema); omit to skip. */
  checkJsonSchema?: (schema: unknown, path: string) => UnlocatedProblem[];
}
