/**
 * Which revision of the interpreter's behaviour a case runs under, stated in its arguments.
 *
 * Cases opened before revision 2 took each change of behaviour through `patched(id)`: a marker
 * in their history, and — since the SDK's Core upserts `TemporalChangeVersion` with every
 * marker — a search-attribute upsert that Temporal bills as an action: three of each in every
 * case. From revision 2 a case says when it opens that it takes every change listed here, so it
 * records none of them; and the changes of revision 2 itself need no marker, because no history
 * without `engine: 2` in its start event can be running them.
 *
 * Revision 2 (docs/architecture.md, "Engine revisions"):
 * - every patch below is on, without a marker;
 * - the records of a workflow task (audit rows, SLA events) go in one local activity, gathered
 *   until the activation settles, instead of an activity gathered over fifty microtask turns;
 * - a change of `CurrentSteps` alone is not upserted while the case runs an automatic step:
 *   it goes with the next upsert (a person's wait begins or ends, an SLA changes, the close).
 */
import { patched } from '@temporalio/workflow';

/** The revision new cases are opened under. */
export const ENGINE_REVISION = 2;

/** The patches of revision 1, each guarding a change for the cases opened before it. */
export type PatchId =
  | 'records-history'
  | 'one-upsert-per-activation'
  | 'failed-case-status'
  | 'record-input-once'
  | 'temporal-cancel-closes-case'
  | 'sla-deadline-after-breach'
  | 'failure-keeps-records';

/** What a case states about its revision (its arguments; absent in cases opened before revision 2). */
export interface EngineRevision {
  engine?: number;
}

/** Whether the case runs under revision 2 or later. */
export function revision2(args: EngineRevision | undefined): boolean {
  return (args?.engine ?? 1) >= 2;
}

/** Whether the case takes the change `id` guards: always from revision 2, by its marker before. */
export function takes(args: EngineRevision | undefined, id: PatchId): boolean {
  return revision2(args) || patched(id);
}
