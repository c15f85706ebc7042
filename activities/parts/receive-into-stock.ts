/**
 * Receives goods into stock (domain brief §3: the original product of an exchange is received
 * into stock; §4: supplier deliveries after goods-in inspection). Damaged goods enter the
 * book flagged, so that they are never issued and the periodic check proposes them for disposal.
 */
import { appendMovement, stockOf } from './ledger.js';
import type { MovedLine } from './types.js';
import { refuseRepeatedLines } from './validate.js';
import { defineActivity } from '../define.js';

export const receiveIntoStock = defineActivity('receive-into-stock', {
  check: (input, activity) => refuseRepeatedLines(activity, 'items', input.items.map((l) => `${l.partNo} (${l.condition})`)),
  event: 'stock-received',
  write: async ({ activity, context, input, client }) => {
    await stockOf(client, activity, 'items[#].partNo', input.items.map((l) => l.partNo), { lock: true });
    // A supplier delivery is a receipt; goods coming back from a customer or a repair are returns.
    const kind = input.reason === 'supplier-delivery' ? 'receipt' : 'return';
    const received: MovedLine[] = [];
    for (const [index, { partNo, quantity, condition }] of input.items.entries()) {
      let onHandAfter = await appendMovement(client, {
        movementKey: `${context.idempotencyKey}:${index}`,
        partNo,
        kind,
        quantity,
        condition,
        reason: input.reason,
        caseId: context.caseId,
        ...(input.reference ? { reference: input.reference } : {}),
      });
      if (condition === 'damaged') {
        const flagged = await client.query<{ on_hand: number }>('UPDATE parts_stock SET damaged = damaged + $2 WHERE part_no = $1 RETURNING on_hand', [partNo, quantity]);
        onHandAfter = flagged.rows[0]?.on_hand ?? onHandAfter;
      }
      received.push({ partNo, quantity, onHandAfter });
    }
    return { result: { received }, detail: { reason: input.reason, reference: input.reference ?? null, items: input.items } };
  },
});
