/**
 * The lines the parts activities build, typed from their catalog output schemas
 * (model/activity-catalog/parts.ts); inputs and outputs as a whole come with `defineActivity`.
 */
import type { OutputOf } from '../schema-types.js';

/** A ledger line after a movement: how many moved and what the book says now. */
export type MovedLine = OutputOf<'issue-parts'>['issued'][number];

/** Units of a part flagged for one reason. */
export type DisposablePart = OutputOf<'find-disposable-parts'>['parts'][number];
