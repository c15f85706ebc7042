/**
 * The activities the worker registers, built around one PostgreSQL pool. Every name here is
 * in `catalog.ts` (a test keeps the two in step), which is what definitions are checked against.
 */
import type pg from 'pg';
import { recordCase, recordCaseHistory } from './case-records.js';
import type { ActivityName, StepContext } from './catalog.js';
import { recordsActivities } from './records/index.js';
import { partsActivities } from './parts/index.js';

export type Activity = (context: StepContext, input: never) => Promise<unknown>;

export function createActivities(pool: pg.Pool): Record<ActivityName, Activity> {
  return {
    'record-case': recordCase(pool),
    'record-case-history': recordCaseHistory(pool),
    ...recordsActivities(pool),
    ...partsActivities(pool),
  };
}

export { activityCatalog, activityNames, type ActivityName, type StepContext } from './catalog.js';
