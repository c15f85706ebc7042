/**
 * `close-case-record`: the case's closing and outcome on its `cases` row. A case that never
 * ran `record-case` gets its row here, so every closed case is in the table the reports read.
 * A reopened case that closes again (a later step visit) moves the closing to the new time.
 */
import { iso } from '../once.js';
import { defineActivity } from '../define.js';

export const closeCaseRecord = defineActivity('close-case-record', {
  event: 'case-closed',
  write: async ({ context, input: closing, client }) => {
    const row = await client.query<{ closed_at: Date }>(
      `INSERT INTO cases (case_id, process, version, closed_at, outcome, closing_summary)
       VALUES ($1, $2, $3, now(), $4, $5)
       ON CONFLICT (case_id) DO UPDATE SET closed_at = now(), outcome = EXCLUDED.outcome, closing_summary = EXCLUDED.closing_summary
       RETURNING closed_at`,
      [context.caseId, context.process, context.version, closing.outcome, closing.summary ?? null],
    );
    return { result: { closedAt: iso((row.rows[0] as { closed_at: Date }).closed_at) }, detail: { outcome: closing.outcome } };
  },
});
