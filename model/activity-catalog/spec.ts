/** The shape of a catalog entry, and what every activity receives first. */

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

/** A JSON Schema (draft 2020-12) as plain data. */
export type JsonSchemaObject = Readonly<Record<string, unknown>>;

export interface ActivitySpec {
  /** One or two sentences for process owners: what it records or decides, and when it refuses. */
  description: string;
  /** What `with:` must give: an object schema whose `properties` are the accepted keys. */
  input: JsonSchemaObject;
  /** What the activity returns (stored with `save-as:`). */
  output: JsonSchemaObject;
}

/**
 * An activity as the worker registers it: the step context first, then what `with:` gave
 * (checked against the catalog's input schema by the activity itself).
 */
export type Activity = (context: StepContext, input: never) => Promise<unknown>;
