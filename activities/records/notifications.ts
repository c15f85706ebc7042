/**
 * `notify`: queues a message in the `notifications` outbox. Nothing is sent from here: a
 * sender drains the outbox (see docs/records.md for its query), so a workflow retry can never
 * send a message twice, and a message due "within working hours" waits for `not_before`.
 */
import { iso } from '../once.js';
import { defineActivity } from '../define.js';

export const notify = defineActivity('notify', {
  event: 'notification-queued',
  write: async ({ context, input: message, client }) => {
    const { recipient } = message;
    const row = await client.query<{ notification_id: string; queued_at: Date }>(
      `INSERT INTO notifications (notification_key, case_id, recipient_role, recipient_person, recipient_customer, channel, subject, body, not_before)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (notification_key) DO UPDATE SET notification_key = EXCLUDED.notification_key
       RETURNING notification_id, queued_at`,
      [context.idempotencyKey, context.caseId, recipient.role ?? null, recipient.person ?? null, recipient.customer ?? null, message.channel, message.subject, message.body, message.notBefore ?? null],
    );
    const queued = row.rows[0] as { notification_id: string; queued_at: Date };
    return {
      result: { notificationId: Number(queued.notification_id), queuedAt: iso(queued.queued_at) },
      detail: { recipient, channel: message.channel, subject: message.subject },
    };
  },
});

/**
 * What a sender runs, in one transaction, to take the next due messages: unsent, past their
 * `not_before`, oldest due first. `FOR UPDATE SKIP LOCKED` lets several senders drain the
 * outbox at once without taking the same message. $1 is the batch size.
 */
export const dueNotificationsQuery = `SELECT notification_id, case_id, recipient_role, recipient_person, recipient_customer, channel, subject, body
  FROM notifications
 WHERE sent_at IS NULL AND (not_before IS NULL OR not_before <= now())
 ORDER BY coalesce(not_before, queued_at), notification_id
 LIMIT $1
 FOR UPDATE SKIP LOCKED`;

/** After a message went out ($1 = notification_id), in the same transaction. */
export const markSentQuery = 'UPDATE notifications SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE notification_id = $1';

/** After a message failed ($1 = notification_id, $2 = the error): it stays due for the next run. */
export const markFailedQuery = 'UPDATE notifications SET attempts = attempts + 1, last_error = $2 WHERE notification_id = $1';
