/**
 * `record-approval`: a manager's decision on an exchange, a return, a parts requisition, a
 * disposal, a resolution or a quote, with the amount at stake: the manuals require these to be
 * on record ("every step recorded so assets stay safe").
 */
import { defineActivity } from '../define.js';

export const recordApproval = defineActivity('record-approval', {
  event: (approval) => `approval-${approval.decision}`,
  write: async ({ context, input: approval, client }) => {
    const row = await client.query<{ approval_id: string }>(
      `INSERT INTO approvals (approval_key, case_id, subject, decision, approver_id, approver_role, amount, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       RETURNING approval_id`,
      [context.idempotencyKey, context.caseId, approval.subject, approval.decision, approval.approver?.id ?? null, approval.approver?.role ?? null, approval.amount ?? null, approval.note ?? null],
    );
    return {
      result: { approvalId: (row.rows[0] as { approval_id: string }).approval_id },
      detail: { subject: approval.subject, decision: approval.decision, ...(approval.amount !== undefined ? { amount: approval.amount } : {}) },
      ...(approval.approver ? { actor: approval.approver.id } : {}),
    };
  },
});
