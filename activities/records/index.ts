/** Activities of the company's records: complaints, work orders, approvals, follow-ups. */
import type pg from 'pg';
import type { recordsCatalog } from '../../model/activity-catalog/records.js';
import type { Activity } from '../../model/activity-catalog/index.js';
import { activitiesOf } from '../define.js';
import { recordApproval } from './approvals.js';
import { closeCaseRecord } from './case-closing.js';
import { recordComplaint, updateComplaint } from './complaints.js';
import { recordFollowUp } from './follow-ups.js';
import { notify } from './notifications.js';
import { recordRepair } from './repairs.js';
import { recordSlaEvent } from './sla-events.js';
import { checkWarranty } from './warranty.js';
import { closeWorkOrder, createWorkOrder, dispatchTechnician } from './work-orders.js';

export const recordsDefinitions = [
  notify, recordSlaEvent, closeCaseRecord, recordComplaint, updateComplaint, recordFollowUp,
  checkWarranty, createWorkOrder, dispatchTechnician, recordRepair, recordApproval, closeWorkOrder,
] as const;

export function recordsActivities(pool: pg.Pool): Record<keyof typeof recordsCatalog, Activity> {
  return activitiesOf(pool, recordsDefinitions);
}
