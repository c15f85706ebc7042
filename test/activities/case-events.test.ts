/** The engine's case-history activity on PostgreSQL: audit rows and SLA events, each once, whatever the retries. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordCaseHistory } from '../../activities/case-records.js';
import type { StepContext } from '../../model/activity-catalog/index.js';
import { activityCatalog } from '../../model/activity-catalog/index.js';
import { testDatabase, type TestDatabase } from '../helpers/env.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db?.close());

const context = (caseId: string): StepContext => ({ caseId, process: 'complaint', version: 1, stepId: 'history', visit: 0, idempotencyKey: `${caseId}:history:3` });
const entries = [
  { seq: 3, at: '2026-11-26T09:00:00.000Z', type: 'task-completed', step: 'classify', task: 'classify#1', actor: 'li.na', outcome: 'general-enquiry' },
  { seq: 4, at: '2026-11-26T09:00:00.000Z', type: 'case-closed', outcome: 'answered' },
];
const slaEvent = (type: string, extra: Record<string, unknown> = {}) => ({ clock: 'reply', cycle: 1, type, at: '2026-11-26T09:00:00.000Z', target: '24h', businessMs: 0, calendarMs: 3_600_000, title: 'Reply', ...extra });

describe('record-case-history', () => {
  it('writes each audit entry and SLA event once, with when it happened and who did it, however often the batch is retried', async () => {
    const record = recordCaseHistory(db.pool);
    const batch = { entries, slaEvents: [{ key: 'AUD-1:sla:reply:1:event-2', event: slaEvent('stopped', { result: 'met' }) }] };
    expect(await record(context('AUD-1'), batch)).toEqual({ entries: 2, slaEvents: 1 });
    expect(await record(context('AUD-1'), batch)).toEqual({ entries: 0, slaEvents: 0 });
    const { rows } = await db.pool.query("SELECT event_key, step_id, event_type, actor, detail->>'outcome' AS outcome, occurred_at FROM case_events WHERE case_id = 'AUD-1' ORDER BY event_key");
    expect(rows).toEqual([
      { event_key: 'AUD-1:timeline:3', step_id: 'classify', event_type: 'task-completed', actor: 'li.na', outcome: 'general-enquiry', occurred_at: new Date('2026-11-26T09:00:00.000Z') },
      { event_key: 'AUD-1:timeline:4', step_id: '', event_type: 'case-closed', actor: null, outcome: 'answered', occurred_at: new Date('2026-11-26T09:00:00.000Z') },
    ]);
    const sla = await db.pool.query("SELECT event_key, event_type, result, calendar_ms FROM sla_events WHERE case_id = 'AUD-1'");
    expect(sla.rows).toEqual([{ event_key: 'AUD-1:sla:reply:1:event-2', event_type: 'stopped', result: 'met', calendar_ms: '3600000' }]);
  });

  it('refuses an entry without its number, or an SLA event the SLA records would refuse, and writes none of the batch', async () => {
    const record = recordCaseHistory(db.pool);
    await expect(record(context('AUD-2'), { entries: [{ ...entries[0], seq: 'x' } as never] })).rejects.toMatchObject({ type: 'InvalidActivityInput', message: expect.stringMatching(/entries\[0\]/) });
    await expect(record(context('AUD-2'), { entries, slaEvents: [{ key: 'AUD-2:e', event: slaEvent('stopped') }] })).rejects.toMatchObject({
      type: 'InvalidActivityInput',
      message: expect.stringMatching(/record-sla-event: .*result/),
    });
    expect((await db.pool.query("SELECT 1 FROM case_events WHERE case_id = 'AUD-2'")).rows).toEqual([]);
    expect((await db.pool.query("SELECT 1 FROM sla_events WHERE case_id = 'AUD-2'")).rows).toEqual([]);
  });

  it('is in the catalog, so the workflow may call it', () => {
    expect(Object.keys(activityCatalog)).toContain('record-case-history');
  });
});
