/**
 * The TypeScript types of every activity's input and output, derived at compile time from
 * its catalog schemas (model/activity-catalog/) by json-schema-to-ts, so the schema stays the
 * single source of truth: change a schema and the code that reads the input stops compiling
 * where it disagrees.
 *
 * An input is typed as `validInput` leaves it: properties with a catalog `default` are
 * present (ajv's useDefaults fills them). `if`/`then` is not parsed (record-sla-event's
 * "a stopped cycle has a result" stays a run-time check): the type is the looser one.
 * An object schema without `additionalProperties: false` types as open (`[x: string]: unknown`),
 * as JSON Schema reads it.
 */
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { activityCatalog, ActivityName } from '../model/activity-catalog/index.js';

type Catalog = typeof activityCatalog;

type Typed<S> = S extends JSONSchema ? FromSchema<S> : never;

/** What `with:` gives the activity once its catalog input schema accepted it. */
export type InputOf<Name extends ActivityName> = Typed<Catalog[Name]['input']>;

/** What the activity returns, as its catalog output schema describes it. */
export type OutputOf<Name extends ActivityName> = Typed<Catalog[Name]['output']>;
