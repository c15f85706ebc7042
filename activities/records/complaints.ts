/**
 * `record-complaint` and `update-complaint`: the complaint of a case, from receipt (who, by
 * which channel, what happened, what they ask) through classification, cause, validity and
 * resolution (domain brief §1). One complaint per case: its number is the case's for good.
 */
import { refused } from '../errors.js';
import { defineActivity, type InputOf } from '../define.js';

export type UpdateComplaintInput = InputOf<'update-complaint'>;

export const recordComplaint = defineActivity('record-complaint', {
  event: 'complaint-recorded',
  write: async ({ context, input: complaint, client }) => {
    // A loop back to the receiving step finds the case's complaint and keeps it as it is.
    const inserted = await client.query<{ complaint_id: string }>(
      `INSERT INTO complaints (case_id, customer_id, customer_name, customer_phone, channel, description, demand, product_model, product_serial, owner)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (case_id) DO NOTHING
       RETURNING complaint_id`,
      [
        context.caseId, complaint.customer.id, complaint.customer.name, complaint.customer.phone ?? null, complaint.channel, complaint.description,
        complaint.demand ?? null, complaint.product?.model ?? null, complaint.product?.serial ?? null, complaint.owner ?? null,
      ],
    );
    const created = inserted.rows[0] !== undefined;
    const complaintId = created
      ? (inserted.rows[0] as { complaint_id: string }).complaint_id
      : ((await client.query<{ complaint_id: string }>('SELECT complaint_id FROM complaints WHERE case_id = $1', [context.caseId])).rows[0] as { complaint_id: string }).complaint_id;
    return {
      result: { complaintId },
      detail: { created, customer: complaint.customer.id, channel: complaint.channel },
      ...(complaint.owner ? { actor: complaint.owner } : {}),
    };
  },
});

/** Input keys and the columns they update. */
const columns = {
  category: 'category',
  department: 'department',
  cause: 'cause',
  valid: 'valid',
  resolution: 'resolution',
  outcome: 'outcome',
  deadline: 'deadline',
  meetingOwner: 'meeting_owner',
} as const satisfies Record<keyof UpdateComplaintInput, string>;

export const updateComplaint = defineActivity('update-complaint', {
  event: 'complaint-updated',
  write: async ({ activity, context, input: changes, client }) => {
    const keys = (Object.keys(columns) as (keyof UpdateComplaintInput)[]).filter((key) => changes[key] !== undefined);
    const assignments = keys.map((key, i) => `${columns[key]} = $${i + 2}`);
    const updated = await client.query<{ complaint_id: string }>(
      `UPDATE complaints SET ${[...assignments, 'updated_at = now()'].join(', ')} WHERE case_id = $1 RETURNING complaint_id`,
      [context.caseId, ...keys.map((key) => changes[key])],
    );
    const row = updated.rows[0];
    if (!row) throw refused(activity, `case ${context.caseId} has no complaint to update: record it first with record-complaint`, { caseId: context.caseId });
    return { result: { complaintId: row.complaint_id }, detail: { changes: Object.fromEntries(keys.map((key) => [key, changes[key]])) } };
  },
});
