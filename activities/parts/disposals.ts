/**
 * Parts disposal (domain brief §4): the periodic check finds units flagged damaged, expired or
 * obsolete; after the manager's approval they are sold as scrap or recycled, the ledger is
 * reduced and the proceeds recorded.
 */
import { defineActivity } from '../define.js';
import { refused } from '../errors.js';
import { appendMovement, describePart, stockOf, type DisposalReason, type StockRow } from './ledger.js';
import type { DisposablePart, MovedLine } from './types.js';
import { refuseRepeatedLines } from './validate.js';

const allReasons: readonly DisposalReason[] = ['damaged', 'expired', 'obsolete'];

export const findDisposableParts = defineActivity('find-disposable-parts', {
  read: async ({ input, pool }) => {
    const reasons = input.reasons ?? allReasons;
    const found = await pool.query<{ part_no: string; name: string; damaged: number; expired: number; obsolete: number }>(
      `SELECT s.part_no, p.name, s.damaged, s.expired, s.obsolete FROM parts_stock s JOIN parts p USING (part_no)
       WHERE s.damaged + s.expired + s.obsolete > 0 ORDER BY s.part_no`,
    );
    const parts: DisposablePart[] = found.rows.flatMap((row) =>
      allReasons.filter((reason) => reasons.includes(reason) && row[reason] > 0).map((reason) => ({ partNo: row.part_no, name: row.name, quantity: row[reason], reason })),
    );
    return { parts, count: parts.length };
  },
});

export const disposeParts = defineActivity('dispose-parts', {
  check: (input, activity) => refuseRepeatedLines(activity, 'parts', input.parts.map((l) => `${l.partNo} (${l.reason})`)),
  event: 'parts-disposed',
  write: async ({ activity, context, input, client }) => {
    const stock = await stockOf(client, activity, 'parts[#].partNo', input.parts.map((l) => l.partNo), { lock: true });
    // Only units flagged for the reason given can go, and never more than are on the shelf.
    const excess = input.parts.flatMap(({ partNo, quantity, reason }) => {
      const row = stock.get(partNo) as StockRow;
      return quantity > row[reason] ? [`${describePart(row)}: ${row[reason]} flagged ${reason} of ${row.onHand} on hand, ${quantity} to dispose of`] : [];
    });
    if (excess.length > 0) throw refused(activity, `more than can be disposed of: ${excess.join('; ')}`);

    const next = await client.query<{ n: string }>(`SELECT nextval('disposal_numbers')::text AS n`);
    const disposalId = `DP-${(next.rows[0]?.n ?? '0').padStart(6, '0')}`;
    await client.query(
      `INSERT INTO disposals (disposal_id, disposal_key, case_id, method, proceeds, lines) VALUES ($1, $2, $3, $4, $5, $6)`,
      [disposalId, context.idempotencyKey, context.caseId, input.method, input.proceeds, JSON.stringify(input.parts)],
    );
    const movements: MovedLine[] = [];
    for (const [index, { partNo, quantity, reason }] of input.parts.entries()) {
      // The flag comes down first: flagged units may never exceed what is on hand, even mid-transaction.
      await client.query(`UPDATE parts_stock SET ${reason} = ${reason} - $2 WHERE part_no = $1`, [partNo, quantity]);
      const onHandAfter = await appendMovement(client, {
        movementKey: `${context.idempotencyKey}:${index}`,
        partNo,
        kind: 'disposal',
        quantity,
        reason,
        caseId: context.caseId,
        reference: disposalId,
      });
      movements.push({ partNo, quantity, onHandAfter });
    }
    return { result: { disposalId, movements }, detail: { method: input.method, proceeds: input.proceeds, parts: input.parts } };
  },
});
