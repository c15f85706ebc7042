/**
 * Records that travel with a case's own activity (engine revision 2): when a workflow task
 * schedules an action step's activity, the audit rows and SLA events the task recorded go with
 * it as a third argument, instead of in a `record-case-history` activity of their own. Every
 * activity the worker registers is wrapped here, so whichever implementation of
 * `record-case-history` the worker has (the real one, or a test's) writes them — first, in their
 * own transaction, so that the step's own work failing loses none; on a retried attempt again,
 * once per row (their keys are the case and the timeline entry's number).
 */
import type { Activity, StepContext } from '../model/activity-catalog/index.js';
import type { CarriedRecords } from '../model/carried-records.js';

type AnyActivity = (context: StepContext, input?: unknown, carried?: CarriedRecords) => Promise<unknown>;

export function withCarriedRecords(activities: Readonly<Record<string, Activity>>): Record<string, Activity> {
  const record = activities['record-case-history'] as AnyActivity | undefined;
  return Object.fromEntries(
    Object.entries(activities).map(([name, activity]) => {
      const run = activity as AnyActivity;
      const wrapped: AnyActivity = async (context, input, carried) => {
        if (carried) {
          if (!record) throw new Error(`activity ${name} carries case records, but this worker has no record-case-history to write them`);
          await record(carried.context, carried.input);
        }
        return run(context, input);
      };
      // The SDK and logs name an activity by its function's name.
      Object.defineProperty(wrapped, 'name', { value: run.name || name });
      return [name, wrapped as Activity];
    }),
  );
}
