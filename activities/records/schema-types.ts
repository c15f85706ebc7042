/**
 * The TypeScript types of the records activities, derived from their catalog schemas at
 * compile time, so the schema stays the single source of truth: change a schema and the code
 * that reads the input stops compiling where it disagrees. Covers the subset of JSON Schema
 * the catalog uses (object with properties/required, array with items, enum, const, string,
 * number, integer, boolean).
 */
import type { recordsCatalog } from '../../model/activity-catalog/records.js';

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type ObjectOf<P, R> = Simplify<
  { -readonly [K in keyof P as K extends R ? K : never]: FromSchema<P[K]> } & { -readonly [K in keyof P as K extends R ? never : K]?: FromSchema<P[K]> }
>;

export type FromSchema<S> = S extends { readonly enum: readonly (infer E)[] }
  ? E
  : S extends { readonly const: infer C }
    ? C
    : S extends { readonly type: 'string' }
      ? string
      : S extends { readonly type: 'number' | 'integer' }
        ? number
        : S extends { readonly type: 'boolean' }
          ? boolean
          : S extends { readonly type: 'array'; readonly items: infer I }
            ? FromSchema<I>[]
            : S extends { readonly type: 'object'; readonly properties: infer P }
              ? ObjectOf<P, S extends { readonly required: readonly (infer R)[] } ? R : never>
              : unknown;

type Catalog = typeof recordsCatalog;

/** What `with:` gives the activity, as its catalog input schema describes it. */
export type InputOf<Name extends keyof Catalog> = FromSchema<Catalog[Name]['input']>;

/** What the activity returns, as its catalog output schema describes it. */
export type OutputOf<Name extends keyof Catalog> = FromSchema<Catalog[Name]['output']>;
