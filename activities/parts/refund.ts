/**
 * Refunds the customer by the original payment method (domain brief §3, return step 5).
 * Exactly one refund per case: `refunds.case_id` is unique. The same step visit retried or
 * replayed gets its refund back (`once`); any other step that tries a second refund for
 * the case is refused, naming the refund already made.
 */
import { refused } from '../errors.js';
import { defineActivity } from '../define.js';

interface RefundRow {
  refund_id: string;
  refund_key: string;
  amount: string;
  currency: string;
  refunded_at: Date;
}

function alreadyRefunded(caseId: string, existing: RefundRow): never {
  throw refused('refund', `case ${caseId} was already refunded: ${existing.refund_id} (${existing.amount} ${existing.currency} on ${existing.refunded_at.toISOString()}, by step visit ${existing.refund_key}); a case gets one refund`, {
    refundId: existing.refund_id,
  });
}

export const refund = defineActivity('refund', {
  event: 'refunded',
  write: async ({ context, input, client }) => {
    const existing = (await client.query<RefundRow>('SELECT refund_id, refund_key, amount, currency, refunded_at FROM refunds WHERE case_id = $1', [context.caseId])).rows[0];
    // The refund row knows the step visit that made it too: even without its audit row, a
    // retry of that visit gets its refund back rather than a refusal.
    if (existing?.refund_key === context.idempotencyKey) return { result: { refundId: existing.refund_id } };
    if (existing) alreadyRefunded(context.caseId, existing);
    // Two steps refunding at once: the second insert waits on the unique case_id, then does nothing.
    const inserted = await client.query<{ refund_id: string }>(
      `INSERT INTO refunds (refund_id, refund_key, case_id, order_id, amount, currency, payment_method)
       VALUES ('RF-' || lpad(nextval('refund_numbers')::text, 6, '0'), $1, $2, $3, $4, $5, $6)
       ON CONFLICT (case_id) DO NOTHING RETURNING refund_id`,
      [context.idempotencyKey, context.caseId, input.orderId, input.amount, input.currency, input.paymentMethod],
    );
    const refundId = inserted.rows[0]?.refund_id;
    if (!refundId) {
      const winner = await client.query<RefundRow>('SELECT refund_id, refund_key, amount, currency, refunded_at FROM refunds WHERE case_id = $1', [context.caseId]);
      alreadyRefunded(context.caseId, winner.rows[0] as RefundRow);
    }
    return { result: { refundId }, detail: { orderId: input.orderId, amount: input.amount, currency: input.currency, paymentMethod: input.paymentMethod } };
  },
});
