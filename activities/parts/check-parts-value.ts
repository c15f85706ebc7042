/**
 * Prices a parts requisition (domain brief §2.6: the parts group checks the requisition;
 * valuable or scarce parts need the manager's approval). Reads the ledger only.
 */
import { defineActivity } from '../define.js';
import { issuable, stockOf, toCents } from './ledger.js';
import { refuseRepeatedLines } from './validate.js';

export const checkPartsValue = defineActivity('check-parts-value', {
  check: (input, activity) => refuseRepeatedLines(activity, 'parts', input.parts.map((l) => l.partNo)),
  read: async ({ activity, input, pool }) => {
    const stock = await stockOf(pool, activity, 'parts[#].partNo', input.parts.map((l) => l.partNo));
    const lines = input.parts.map(({ partNo, quantity }) => {
      const row = stock.get(partNo);
      if (!row) throw new Error(`unreachable: ${partNo} was checked`);
      return { partNo, name: row.name, quantity, unitCost: row.unitCost, onHand: row.onHand, issuable: issuable(row), valuable: row.valuable, scarce: row.scarce };
    });
    const totalCents = lines.reduce((sum, line) => sum + toCents(line.unitCost) * line.quantity, 0);
    const total = totalCents / 100;
    return {
      total,
      needsApproval: totalCents >= toCents(input.approvalThreshold) || lines.some((l) => l.valuable || l.scarce),
      available: lines.every((l) => l.quantity <= l.issuable),
      lines,
    };
  },
});
