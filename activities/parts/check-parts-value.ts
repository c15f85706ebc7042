/**
 * Prices a parts requisition (domain brief §2.6: the parts group checks the requisition;
 * valuable or scarce parts need the manager's approval). Reads the ledger only.
 */
import type pg from 'pg';
import type { StepContext } from '../../model/activity-catalog/index.js';
import { issuable, stockOf, toCents } from './ledger.js';
import type { CheckPartsValueInput, CheckPartsValueOutput, ValuedLine } from './types.js';
import { refuseRepeatedLines, validInput } from './validate.js';

export function checkPartsValue(pool: pg.Pool) {
  return async function checkPartsValueActivity(_context: StepContext, raw: unknown): Promise<CheckPartsValueOutput> {
    const input = validInput<CheckPartsValueInput>('check-parts-value', raw);
    refuseRepeatedLines('check-parts-value', 'parts', input.parts.map((l) => l.partNo));
    const stock = await stockOf(pool, 'check-parts-value', 'parts[#].partNo', input.parts.map((l) => l.partNo));
    const lines: ValuedLine[] = input.parts.map(({ partNo, quantity }) => {
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
  };
}
