/** Activities of the parts ledger, shipments and refunds (docs/parts-ledger.md). */
import type pg from 'pg';
import type { partsCatalog } from '../../model/activity-catalog/parts.js';
import type { Activity } from '../../model/activity-catalog/index.js';
import { activitiesOf } from '../define.js';
import { checkPartsValue } from './check-parts-value.js';
import { disposeParts, findDisposableParts } from './disposals.js';
import { issueParts } from './issue-parts.js';
import { receiveIntoStock } from './receive-into-stock.js';
import { refund } from './refund.js';
import { recordDelivery, recordParcelReceived, shipReplacement } from './shipments.js';

export const partsDefinitions = [
  checkPartsValue, issueParts, receiveIntoStock, shipReplacement, recordDelivery, recordParcelReceived, refund, findDisposableParts, disposeParts,
] as const;

export function partsActivities(pool: pg.Pool): Record<keyof typeof partsCatalog, Activity> {
  return activitiesOf(pool, partsDefinitions);
}
