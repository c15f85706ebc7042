/**
 * Engine revision 2 on the dev server with PostgreSQL (workflows/engine.ts): a new case records
 * no patch markers (and so no TemporalChangeVersion upserts), its records travel with its own
 * activity or in a local activity — never a `record-case-history` activity of their own — and
 * the audit trail and SLA events still reach PostgreSQL complete, each row once.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it, vi } from 'vitest';
import { openTaskOf } from '../helpers/cases.js';
import { complete } from '../helpers/drive.js';
import { actAs, testCodec, uniqueName } from '../helpers/env.js';
import { devServerSuite } from '../helpers/suites.js';

vi.setConfig({ testTimeout: 120_000 });

const suite = devServerSuite();

describe('a case of engine revision 2', () => {
  it('records no patch marker and no records activity of its own, and its audit trail reaches PostgreSQL once each', async () => {
    const caseId = uniqueName('P');
    await suite.client.openCase(
      'passed-on-question',
      { customer: { id: 'M-20931', name: 'Wang Li', phone: '138-0013-8000' }, question: 'Can the dryer be stacked on the washer?', channel: 'phone' },
      { caseId, parameters: { followUpWindow: '1s' } },
    );
    await openTaskOf(suite.client, caseId, 'answer');
    await suite.client.completeTask(caseId, 'answer', { outcome: 'answered', data: { reply: 'Yes, with stacking kit SK-2.' }, actor: actAs('tech.support', 'department') });
    await suite.client.result(caseId);

    const events = (await suite.client.temporal.workflow.getHandle(caseId).fetchHistory()).events ?? [];
    const [started] = await testCodec().decode(events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? []);
    expect(defaultPayloadConverter.fromPayload<{ engine?: number }>(started!).engine).toBe(2);
    const markers = events.map((e) => e.markerRecordedEventAttributes?.markerName).filter(Boolean);
    expect(markers.filter((name) => name !== 'core_local_activity')).toEqual([]);
    expect(markers.length).toBeGreaterThan(0);
    const upserted = events.flatMap((e) => Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}));
    expect(upserted).not.toContain('TemporalChangeVersion');
    const activities = events.map((e) => e.activityTaskScheduledEventAttributes).filter((a) => a !== undefined && a !== null);
    expect(activities.map((a) => a.activityType?.name)).toEqual(['record-case']);

    // The opening's records went with record-case, as its third argument.
    const carried = defaultPayloadConverter.fromPayload<{ input: { entries: { type: string }[] } }>((await testCodec().decode(activities[0]?.input?.payloads ?? []))[2]!);
    expect(carried.input.entries.map((e) => e.type)).toContain('case-opened');

    expect(await auditTrail(caseId)).toEqual(['case-opened', 'task-completed', 'case-closed']);
  });

  it('writes every SLA event of a complaint and every person’s action, from local activities', async () => {
    const caseId = uniqueName('CP');
    await suite.client.openCase('complaint', { customer: { id: 'M-10442', name: 'Zhao Min' }, channel: 'chat', description: 'Which detergent suits the WM-80?' }, { caseId });
    const agent = actAs('li.na', 'agent');
    await complete(suite.client, caseId, 'classify', 'general-enquiry', agent, { department: 'customer service' });
    await complete(suite.client, caseId, 'answer-enquiry', 'answered', agent, { answer: 'Low-foam powder.' });
    await suite.client.result(caseId);

    const events = (await suite.client.temporal.workflow.getHandle(caseId).fetchHistory()).events ?? [];
    expect(events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean)).not.toContain('record-case-history');
    expect(await auditTrail(caseId)).toEqual(['case-opened', 'task-completed', 'task-completed', 'case-closed']);
    const clockEvents = (await suite.client.getCase(caseId)).timeline.filter((entry) => entry.type.startsWith('sla-'));
    expect(clockEvents.length).toBeGreaterThan(0);
    const sla = await suite.db.pool.query('SELECT event_type FROM sla_events WHERE case_id = $1 ORDER BY occurred_at, event_key', [caseId]);
    expect(sla.rows.map((r) => `sla-${r.event_type}`).sort()).toEqual(clockEvents.map((e) => e.type).sort());
  });
});

/** The engine's audit rows of a case, in the order they happened. */
async function auditTrail(caseId: string): Promise<string[]> {
  const { rows } = await suite.db.pool.query('SELECT event_type FROM case_events WHERE case_id = $1 AND event_key LIKE $2 ORDER BY occurred_at, event_key', [caseId, `${caseId}:timeline:%`]);
  return rows.map((r) => r.event_type as string);
}
