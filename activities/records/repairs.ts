/**
 * `record-repair`: what the technician found and did on an open work order. Attempts count
 * 1, 2, ... per work order; an attempt above 1 is a re-repair, which the monthly report counts
 * by product model ("the same fault must not be repaired twice without examining the first").
 */
import { openOrder } from './work-orders.js';
import { defineActivity } from '../define.js';

export const recordRepair = defineActivity('record-repair', {
  event: 'repair-recorded',
  write: async ({ activity, context, input: repair, client }) => {
    // Locks the work order row: attempts of one order are numbered one at a time.
    await openOrder(client, activity, repair.workOrderId);
    const row = await client.query<{ repair_id: string; attempt: number }>(
      `INSERT INTO repairs (repair_key, work_order_id, case_id, attempt, technician_id, diagnosis, work, result, parts_used)
       SELECT $1, $2, $3, (SELECT coalesce(max(attempt), 0) + 1 FROM repairs WHERE work_order_id = $2), o.technician_id, $4, $5, $6, $7
         FROM work_orders o WHERE o.work_order_id = $2
       RETURNING repair_id, attempt`,
      [context.idempotencyKey, repair.workOrderId, context.caseId, repair.diagnosis, repair.work, repair.result, JSON.stringify(repair.partsUsed ?? [])],
    );
    const recorded = row.rows[0] as { repair_id: string; attempt: number };
    return {
      result: { repairId: recorded.repair_id, attempt: recorded.attempt },
      detail: { workOrderId: repair.workOrderId, result: repair.result, partsUsed: repair.partsUsed ?? [] },
    };
  },
});
