/**
 * The activities the worker registers, built around one PostgreSQL pool. Every name here is
 * in the activity catalog, `model/activity-catalog/` (a test keeps the two in step), which is what definitions are checked against.
 * Each activity carries its catalog name (`defineActivity`): the lists name each one once.
 */
import type pg from 'pg';
import { recordCase, recordCaseHistory } from './case-records.js';
import type { Activity, ActivityName } from '../model/activity-catalog/index.js';
import { activitiesOf } from './define.js';
import { recordsDefinitions } from './records/index.js';
import { partsDefinitions } from './parts/index.js';

export const activityDefinitions = [recordCase, recordCaseHistory, ...recordsDefinitions, ...partsDefinitions] as const;

export function createActivities(pool: pg.Pool): Record<ActivityName, Activity> {
  return activitiesOf(pool, activityDefinitions);
}

export type { Activity, ActivityName, StepContext } from '../model/activity-catalog/index.js';
