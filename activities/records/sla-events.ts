/**
 * `record-sla-event`: one row per event of an SLA clock, sent by the engine (workflows/
 * case-slas.ts) under a key per event (`...:sla:<clock>:<cycle>:event-<n>`). The SLA report
 * counts cycles from the `stopped` rows and the `breached` rows of cycles still running.
 */
import type pg from 'pg';
import type { StepContext } from '../catalog.js';
import { once } from './once.js';
import type { InputOf, OutputOf } from './schema-types.js';
import { validInput } from './validate.js';

export type SlaEventInput = InputOf<'record-sla-event'>;
export type SlaEventResult = OutputOf<'record-sla-event'>;

export function recordSlaEvent(pool: pg.Pool) {
  return async function recordSlaEventActivity(context: StepContext, input: SlaEventInput): Promise<SlaEventResult> {
    const event = validInput<SlaEventInput>('record-sla-event', input);
    return once(pool, 'record-sla-event', context, `sla-${event.type}`, async (client) => {
      await client.query(
        `INSERT INTO sla_events (event_key, case_id, process, version, clock, title, cycle, event_type, occurred_at, target, deadline, reason, rung, result, business_ms, calendar_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (event_key) DO NOTHING`,
        [
          context.idempotencyKey, context.caseId, context.process, context.version, event.clock, event.title, event.cycle, event.type, event.at, event.target,
          event.deadline ?? null, event.reason ?? null, event.rung ?? null, event.result ?? null, Math.round(event.businessMs), Math.round(event.calendarMs),
        ],
      );
      return {
        result: { recorded: true },
        detail: { clock: event.clock, cycle: event.cycle, type: event.type, at: event.at, ...(event.result ? { outcome: event.result } : {}) },
      };
    });
  };
}
