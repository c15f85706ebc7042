/**
 * Issues parts against a requisition tied to a work order (domain brief §2.6, §4): one `issue`
 * movement per line, all lines or none.
 */
import { refused } from '../errors.js';
import { appendMovement, describePart, issuable, stockOf, type StockRow } from './ledger.js';
import type { MovedLine } from './types.js';
import { refuseRepeatedLines } from './validate.js';
import { defineActivity } from '../define.js';

/** What a shortage says: the part, what is on hand (and how much of it can be issued), what was asked. */
export function shortage(row: StockRow, requested: number): string {
  const flagged = row.onHand - issuable(row);
  const onHand = flagged > 0 ? `${row.onHand} on hand (${flagged} of them damaged, expired or obsolete, ${issuable(row)} issuable)` : `${row.onHand} on hand`;
  return `not enough stock of ${describePart(row)}: ${onHand}, ${requested} requested`;
}

export const issueParts = defineActivity('issue-parts', {
  check: (input, activity) => refuseRepeatedLines(activity, 'parts', input.parts.map((l) => l.partNo)),
  event: 'parts-issued',
  write: async ({ activity, context, input, client }) => {
    const stock = await stockOf(client, activity, 'parts[#].partNo', input.parts.map((l) => l.partNo), { lock: true });
    // Every line is checked before the first is written: a requisition is issued whole or not at all.
    const short = input.parts.flatMap(({ partNo, quantity }) => {
      const row = stock.get(partNo) as StockRow;
      return quantity > issuable(row) ? [{ row, quantity }] : [];
    });
    if (short.length > 0) {
      throw refused(activity, short.map(({ row, quantity }) => shortage(row, quantity)).join('; '), {
        short: short.map(({ row, quantity }) => ({ partNo: row.partNo, onHand: row.onHand, issuable: issuable(row), requested: quantity })),
      });
    }
    const issued: MovedLine[] = [];
    for (const [index, { partNo, quantity }] of input.parts.entries()) {
      const onHandAfter = await appendMovement(client, {
        movementKey: `${context.idempotencyKey}:${index}`,
        partNo,
        kind: 'issue',
        quantity,
        caseId: context.caseId,
        reason: 'requisition',
        ...(input.workOrderId ? { reference: input.workOrderId } : {}),
      });
      issued.push({ partNo, quantity, onHandAfter });
    }
    return { result: { issued }, detail: { workOrderId: input.workOrderId ?? null, approvedBy: input.approvedBy ?? null }, ...(input.approvedBy ? { actor: input.approvedBy } : {}) };
  },
});
