/**
 * The activities the worker registers, built around one PostgreSQL pool. Every name here is
 * in the activity catalog, `model/activity-catalog/` (a test keeps the two in step), which is what definitions are checked against.
 */
import type pg from 'pg';
import { recordCase, recordCaseHistory } from './case-records.js';
import type { Activity, ActivityName } from '../model/activity-catalog/index.js';
import { recordsActivities } from './records/index.js';
import { partsActivities } from './parts/index.js';

export function createActivities(pool: pg.Pool): Record<ActivityName, Activity> {
  return {
    'record-case': recordCase(pool),
    'record-case-history': recordCaseHistory(pool),
    ...recordsActivities(pool),
    ...partsActivities(pool),
  };
}

export type { Activity, ActivityName, StepContext } from '../model/activity-catalog/index.js';
