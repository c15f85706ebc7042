/** Activities of the parts ledger, shipments and refunds. */
import type pg from 'pg';
import type { partsCatalog } from '../catalog/parts.js';
import type { Activity } from '../index.js';

export function partsActivities(pool: pg.Pool): Record<keyof typeof partsCatalog, Activity> {
  void pool;
  return {};
}
