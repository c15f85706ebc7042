/**
 * The one way to write an activity: its catalog name, once, and what it does with input the
 * catalog's schema has accepted. `defineActivity` does the rest the same way for every
 * activity:
 *
 * - the input is checked against the catalog's input schema (`validInput`: defaults filled,
 *   nulls as not given, `InvalidActivityInput` naming every bad field) and typed from it;
 * - `check` (optional) refuses what the schema cannot say, before anything is written;
 * - then, by what the activity does to the database:
 *   - `write` with an audit `event`: once per step visit (`once`): the records and the
 *     `case_events` row carrying the result in one transaction, a retry answered from that row;
 *   - `transaction`: one transaction, the activity keeping its own keys (the case record and
 *     its history, whose rows are keyed by the case rather than by the step visit);
 *   - `read`: the pool, nothing written;
 * - a database error becomes the activity's failure by what it means (`asActivityFailure`):
 *   an outage retried (`DatabaseUnavailable`), refused data failed at once (`InvalidData`).
 *
 * What it returns is the activity's factory (`notify(pool)` is the function the worker
 * registers), carrying its name, so the index lists each activity once (`activitiesOf`).
 */
import type pg from 'pg';
import type { Activity, ActivityName, StepContext } from '../model/activity-catalog/index.js';
import { asActivityFailure } from './database-errors.js';
import { inTransaction } from '../database/postgres.js';
import { once, type Done } from './once.js';
import type { InputOf, OutputOf } from './schema-types.js';
import { checkedInput } from './validate.js';

export type { InputOf, OutputOf } from './schema-types.js';

/** What the activity's work is given: its name (for its messages), the step, the checked input. */
export interface Step<N extends ActivityName, I = InputOf<N>> {
  activity: N;
  context: StepContext;
  input: I;
}

interface Checks<N extends ActivityName, I> {
  /**
   * Instead of the catalog schema, the activity's own check of its raw input (the case
   * record and its history, whose refusals predate the schema and are relied on).
   */
  input?: (raw: unknown) => I;
  /** Refuses what the schema cannot say (one line per part), before any transaction. */
  check?: (input: I, activity: N) => void;
}

/** Writes records once per step visit, with an audit row of type `event` carrying the result. */
interface WritesOnce<N extends ActivityName, I> extends Checks<N, I> {
  event: string | ((input: I) => string);
  write: (step: Step<N, I> & { client: pg.PoolClient }) => Promise<Done<OutputOf<N>>>;
}

/** Writes in one transaction under keys of its own. */
interface WritesInTransaction<N extends ActivityName, I> extends Checks<N, I> {
  transaction: (step: Step<N, I> & { client: pg.PoolClient }) => Promise<OutputOf<N>>;
}

/** Reads only. */
interface Reads<N extends ActivityName, I> extends Checks<N, I> {
  read: (step: Step<N, I> & { pool: pg.Pool }) => Promise<OutputOf<N>>;
}

export type ActivityWork<N extends ActivityName, I = InputOf<N>> = WritesOnce<N, I> | WritesInTransaction<N, I> | Reads<N, I>;

/** The activity as the worker registers it: the step context, then what `with:` gave (anything, until checked). */
export type BoundActivity<N extends ActivityName> = (context: StepContext, input?: unknown) => Promise<OutputOf<N>>;

/** An activity defined by `defineActivity`: given the pool, the function to register; and its name. */
export type DefinedActivity<N extends ActivityName> = ((pool: pg.Pool) => BoundActivity<N>) & { readonly activity: N };

export function defineActivity<N extends ActivityName, I = InputOf<N>>(name: N, work: ActivityWork<N, I>): DefinedActivity<N> {
  const parse = work.input ?? ((raw: unknown) => checkedInput(name, raw) as I);
  const factory = (pool: pg.Pool): BoundActivity<N> =>
    async (context: StepContext, raw?: unknown): Promise<OutputOf<N>> => {
      const input = parse(raw);
      work.check?.(input, name);
      const step: Step<N, I> = { activity: name, context, input };
      try {
        if ('write' in work) {
          const event = typeof work.event === 'function' ? work.event(input) : work.event;
          return await once(pool, name, context, event, (client) => work.write({ ...step, client }));
        }
        if ('transaction' in work) return await inTransaction(pool, (client) => work.transaction({ ...step, client }));
        return await work.read({ ...step, pool });
      } catch (error) {
        throw asActivityFailure(name, error);
      }
    };
  return Object.assign(factory, { activity: name });
}

/** Any defined activity (its output left open, which keeps a list of them cheap to type). */
type AnyDefined = ((pool: pg.Pool) => (context: StepContext, input?: unknown) => Promise<unknown>) & { readonly activity: ActivityName };

/** The defined activities bound to one pool, by their catalog names. */
export function activitiesOf<const D extends readonly AnyDefined[]>(pool: pg.Pool, defined: D): Record<D[number]['activity'], Activity> {
  return Object.fromEntries(defined.map((definition) => [definition.activity, definition(pool)])) as Record<string, Activity> as Record<D[number]['activity'], Activity>;
}
