/** The engine's audit-trail activity on PostgreSQL: each timeline entry once, whatever the retries. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordCaseEvents } from '../../activities/case-records.js';
import type { StepContext } from '../../activities/catalog.js';
import { testDatabase, type TestDatabase } from '../helpers/env.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db?.close());

const context = (caseId: string): StepContext => ({ caseId, process: 'complaint', version: 1, stepId: 'audit', visit: 3, idempotencyKey: `${caseId}:audit:3` });
const entries = [
  { seq: 3, at: '2026-11-26T09:00:00.000Z', type: 'task-completed', step: 'classify', task: 'classify#1', actor: 'li.na', outcome: 'general-enquiry' },
  { seq: 4, at: '2026-11-26T09:00:00.000Z', type: 'case-closed', outcome: 'answered' },
];

describe('record-case-events', () => {
  it('writes each entry once, with when it happened and who did it, however often the batch is retried', async () => {
    const record = recordCaseEvents(db.pool);
    expect(await record(context('AUD-1'), { entries })).toEqual({ recorded: 2 });
    expect(await record(context('AUD-1'), { entries })).toEqual({ recorded: 0 });
    const { rows } = await db.pool.query("SELECT event_key, step_id, event_type, actor, detail->>'outcome' AS outcome, occurred_at FROM case_events WHERE case_id = 'AUD-1' ORDER BY event_key");
    expect(rows).toEqual([
      { event_key: 'AUD-1:timeline:3', step_id: 'classify', event_type: 'task-completed', actor: 'li.na', outcome: 'general-enquiry', occurred_at: new Date('2026-11-26T09:00:00.000Z') },
      { event_key: 'AUD-1:timeline:4', step_id: '', event_type: 'case-closed', actor: null, outcome: 'answered', occurred_at: new Date('2026-11-26T09:00:00.000Z') },
    ]);
  });

  it('refuses a batch without entries, or an entry without its number, and writes nothing', async () => {
    const record = recordCaseEvents(db.pool);
    await expect(record(context('AUD-2'), { entries: [] })).rejects.toMatchObject({ type: 'InvalidActivityInput', nonRetryable: true });
    await expect(record(context('AUD-2'), { entries: [{ ...entries[0], seq: 'x' } as never] })).rejects.toThrow(/entries\[0\]/);
    const { rows } = await db.pool.query("SELECT 1 FROM case_events WHERE case_id = 'AUD-2'");
    expect(rows).toEqual([]);
  });
});
