/**
 * The activities the worker registers, by the name definitions use in `action:` steps.
 * Pure data, so the loader (unknown names are errors), the workflow (the definition check)
 * and the docs read the same list.
 */

/** What every activity receives first: where in which case it runs, and a key for idempotence. */
export interface StepContext {
  caseId: string;
  process: string;
  version: number;
  stepId: string;
  /** How many times the case has entered this step (loops enter steps again). */
  visit: number;
  /**
   * `<caseId>:<stepId>:<visit>`: the same for every attempt and every replay of this step
   * visit, so a retried or replayed side effect can be recognised and done once.
   */
  idempotencyKey: string;
}

export const activityCatalog = {
  'record-case': 'Records the case (process, customer, summary) in the `cases` table and writes a `case_events` row; once per case.',
} as const satisfies Record<string, string>;

export type ActivityName = keyof typeof activityCatalog;

export const activityNames: ReadonlySet<string> = new Set(Object.keys(activityCatalog));
