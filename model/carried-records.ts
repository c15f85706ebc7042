/**
 * The records a case's own activity carries (engine revision 2, workflows/engine.ts): the
 * arguments `record-case-history` would have been called with. The workflow sends them as an
 * activity's third argument; activities/carried-records.ts writes them before the activity runs.
 */
import type { StepContext } from './activity-catalog/index.js';

export interface CarriedRecords {
  context: StepContext;
  input: { entries: unknown[]; slaEvents: unknown[] };
}
