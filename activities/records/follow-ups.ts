/**
 * `record-follow-up`: a follow-up visit and whether the customer is satisfied. Not satisfied
 * sends the case back to handling "until the customer is satisfied" (domain brief), so a case
 * has rounds 1, 2, ...; each step visit records one round.
 */
import { defineActivity } from '../define.js';

export const recordFollowUp = defineActivity('record-follow-up', {
  event: 'follow-up-recorded',
  write: async ({ context, input: visit, client }) => {
    // Rounds are numbered per case: parallel branches of one case take turns.
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`follow-ups:${context.caseId}`]);
    const row = await client.query<{ follow_up_id: string; round: number }>(
      `INSERT INTO follow_ups (follow_up_key, case_id, round, subject, satisfied, notes)
       VALUES ($1, $2, (SELECT coalesce(max(round), 0) + 1 FROM follow_ups WHERE case_id = $2), $3, $4, $5)
       RETURNING follow_up_id, round`,
      [context.idempotencyKey, context.caseId, visit.subject, visit.satisfied, visit.notes ?? null],
    );
    const recorded = row.rows[0] as { follow_up_id: string; round: number };
    return { result: { followUpId: recorded.follow_up_id, round: recorded.round }, detail: { subject: visit.subject, satisfied: visit.satisfied } };
  },
});
