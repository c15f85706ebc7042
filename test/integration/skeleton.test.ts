/**
 * The walking skeleton on the real thing: the Temporal dev server and PostgreSQL. A service
 * opens a passed-on question, the department answers it through the `completeTask` Update,
 * the durable timer fires, the case closes, and the case row is in PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actors, devServerWorker, testDatabase, uniqueName, type TestDatabase } from '../helpers/env.js';

describe('the passed-on question on the dev server', () => {
  let db: TestDatabase;
  let env: Awaited<ReturnType<typeof devServerWorker>>;

  beforeAll(async () => {
    db = await testDatabase();
    env = await devServerWorker(db.pool);
  });
  afterAll(async () => {
    await env?.close();
    await db?.close();
  });

  it('runs from opening to its end: action, human task through an Update, durable timer', async () => {
    const caseId = uniqueName('Q');
    const input = { customer: { id: 'M-20931', name: 'Wang Li', phone: '138-0013-8000' }, question: 'Can the dryer be stacked on the washer?', channel: 'phone' };
    await env.worker.runUntil(async () => {
      const opened = await env.client.openCase('passed-on-question', input, { caseId, parameters: { followUpWindow: '2s' } });
      expect(opened).toMatchObject({ caseId, process: 'passed-on-question', version: 2, created: true });
      expect(opened.summary).toBe(`Question ${caseId} · Wang Li · Can the dryer be stacked on the washer?`);

      await expect.poll(async () => Object.values((await env.client.getCase(caseId)).tasks).map((t) => `${t.id}:${t.status}`), { timeout: 10_000 }).toEqual(['answer#1:open']);
      const view = await env.client.getCase(caseId);
      expect(view.tasks['answer#1']).toMatchObject({ role: 'department', outcomes: ['answered'] });
      expect(Date.parse(view.tasks['answer#1']?.dueAt ?? '') - Date.parse(view.tasks['answer#1']?.openedAt ?? '')).toBe(24 * 3600_000);

      const done = await env.client.completeTask(caseId, 'answer', { outcome: 'answered', data: { reply: 'Yes, with the stacking kit SK-2.' }, actor: actors.department });
      expect(done).toMatchObject({ caseId, taskId: 'answer#1', outcome: 'answered', completedBy: 'tech.support' });

      const result = await env.client.result(caseId);
      expect(result).toMatchObject({ caseId, outcome: 'answered', data: { reply: { reply: 'Yes, with the stacking kit SK-2.' } } });
    });

    const row = await db.pool.query('SELECT case_id, process, version, customer_id, summary FROM cases WHERE case_id = $1', [caseId]);
    expect(row.rows).toEqual([{ case_id: caseId, process: 'passed-on-question', version: 2, customer_id: 'M-20931', summary: 'Can the dryer be stacked on the washer?' }]);
    // The audit trail: the action's own row, and the engine's rows of who did what when.
    const events = await db.pool.query("SELECT event_type, actor, step_id, detail->>'outcome' AS outcome FROM case_events WHERE case_id = $1 ORDER BY coalesce(occurred_at, recorded_at), event_key", [caseId]);
    expect(events.rows).toEqual([
      { event_type: 'case-opened', actor: null, step_id: '', outcome: null },
      { event_type: 'case-recorded', actor: null, step_id: 'record', outcome: null },
      { event_type: 'task-completed', actor: 'tech.support', step_id: 'answer', outcome: 'answered' },
      { event_type: 'case-closed', actor: null, step_id: '', outcome: 'answered' },
    ]);
  });
});
