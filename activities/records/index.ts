/** Activities of the company's records: complaints, work orders, approvals, follow-ups. */
import type pg from 'pg';
import type { recordsCatalog } from '../catalog/records.js';
import type { Activity } from '../index.js';

export function recordsActivities(pool: pg.Pool): Record<keyof typeof recordsCatalog, Activity> {
  void pool;
  return {};
}
