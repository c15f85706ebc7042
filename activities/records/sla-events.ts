/**
 * `record-sla-event`: one row per event of an SLA clock, sent by the engine (workflows/
 * case-slas.ts) under a key per event (`...:sla:<clock>:<cycle>:event-<n>`). The SLA report
 * counts cycles from the `stopped` rows and the `breached` rows of cycles still running.
 */
import type pg from 'pg';
import type { StepContext } from '../../model/activity-catalog/index.js';
import { invalidInput } from '../errors.js';
import { defineActivity, type InputOf } from '../define.js';
import { validInput } from '../validate.js';

export type SlaEventInput = InputOf<'record-sla-event'>;

/** One `sla_events` row under `key`; a second write of the same key is ignored. Returns whether it wrote. */
async function insertSlaEvent(client: pg.ClientBase, context: StepContext, key: string, event: SlaEventInput): Promise<boolean> {
  const written = await client.query(
    `INSERT INTO sla_events (event_key, case_id, process, version, clock, title, cycle, event_type, occurred_at, target, deadline, reason, rung, result, business_ms, calendar_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     ON CONFLICT (event_key) DO NOTHING`,
    [
      key, context.caseId, context.process, context.version, event.clock, event.title, event.cycle, event.type, event.at, event.target,
      event.deadline ?? null, event.reason ?? null, event.rung ?? null, event.result ?? null, Math.round(event.businessMs), Math.round(event.calendarMs),
    ],
  );
  return (written.rowCount ?? 0) > 0;
}

export const recordSlaEvent = defineActivity('record-sla-event', {
  event: (event) => `sla-${event.type}`,
  write: async ({ context, input: event, client }) => {
    await insertSlaEvent(client, context, context.idempotencyKey, event);
    return {
      result: { recorded: true },
      detail: { clock: event.clock, cycle: event.cycle, type: event.type, at: event.at, ...(event.result ? { outcome: event.result } : {}) },
    };
  },
});

/**
 * SLA events sent with the case history (activities/case-records.ts): each checked as
 * `record-sla-event` checks one, then written under its own key, once.
 */
export function checkSlaEvents(items: readonly { key?: unknown; event?: unknown }[]): { key: string; event: SlaEventInput }[] {
  return items.map((item, i) => {
    if (typeof item?.key !== 'string' || item.key === '') throw invalidInput('record-case-history', `\`slaEvents[${i}].key\` must be the event's key`);
    return { key: item.key, event: validInput('record-sla-event', item.event) };
  });
}

export async function insertSlaEvents(client: pg.ClientBase, context: StepContext, events: readonly { key: string; event: SlaEventInput }[]): Promise<number> {
  let recorded = 0;
  for (const { key, event } of events) if (await insertSlaEvent(client, context, key, event)) recorded++;
  return recorded;
}
