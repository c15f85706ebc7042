/**
 * Long-running cases continue as new and keep everything: open tasks, running timers,
 * parallel branches, data, visits and the message handlers. The threshold is set low so the
 * case hands over at nearly every point where it waits.
 */
import { describe, expect, it } from 'vitest';
import { openTaskOf, reaches } from '../helpers/cases.js';
import { actors, uniqueName } from '../helpers/env.js';
import { timeSkippingSuite } from '../helpers/suites.js';

const suite = timeSkippingSuite();

// Completions here do not wait for the case to settle (`waitFor: false`): on the time-skipping
// test server (1.40.0), the query or Update that wait sends right after a completion that
// makes the case continue as new is lost, and the server then never skips time again
// (env.sleep hangs). The dev server answers the same sequence (test/integration/waiting.test.ts).
const noWait = { waitFor: false } as const;

describe('continue-as-new', () => {
  it('carries tasks, branches, a running timer and the handlers across runs to the same end', async () => {
    const caseId = uniqueName('N');
    const opened = await suite.client.openCase('every-step', { customer: { id: 'C-9', name: 'Sun Li' }, amount: 5000 }, { caseId, owner: actors.agent.id, continueAsNewAfterEvents: 10 });

    await suite.client.completeTask(caseId, (await openTaskOf(suite.client, caseId, 'review')).id, { outcome: 'approve', data: { note: 'ok' }, actor: actors.agent, ...noWait });
    // Both branches wait; the case may hand over to a new run while they do.
    const ship = await openTaskOf(suite.client, caseId, 'ship-it');
    await suite.client.completeTask(caseId, ship.id, { outcome: 'shipped', actor: actors.agent, ...noWait });
    const collect = await openTaskOf(suite.client, caseId, 'collect-it');
    await suite.client.completeTask(caseId, collect.id, { outcome: 'collected', actor: actors.agent, ...noWait });
    await reaches(suite.client, caseId, 'cooling-off');
    await suite.env.sleep('1 day');
    const childId = `${caseId}.child`;
    await suite.client.completeTask(childId, (await openTaskOf(suite.client, childId, 'work')).id, { outcome: 'done', actor: actors.agent, ...noWait });
    const confirm = await openTaskOf(suite.client, caseId, 'confirm');
    await suite.client.completeTask(caseId, confirm.id, { outcome: 'not-satisfied', actor: actors.agent, ...noWait });
    const again = await openTaskOf(suite.client, caseId, 'confirm');
    expect(again.id).toBe('confirm#2');
    await suite.client.completeTask(caseId, again.id, { outcome: 'satisfied', actor: actors.agent, ...noWait });

    const result = await suite.client.result(caseId);
    expect(result).toMatchObject({ outcome: 'resolved', data: { review: { note: 'ok' }, child: { outcome: 'done' } } });

    const view = await suite.client.getCase(caseId);
    const handovers = view.timeline.filter((e) => e.type === 'continued-as-new');
    expect(handovers.length).toBeGreaterThanOrEqual(3);
    expect(view.run).toBe(handovers.length + 1);
    expect(view.runId).not.toBe(opened.runId);
    expect(view.visits).toMatchObject({ review: 1, confirm: 2, 'ship-it': 1, 'collect-it': 1 });
    expect(Object.keys(view.tasks).sort()).toEqual(['collect-it#1', 'confirm#1', 'confirm#2', 'review#1', 'ship-it#1']);
    // The whole timeline, across runs, in order.
    const entered = view.timeline.filter((e) => e.type === 'step-entered').map((e) => e.step);
    expect(entered).toEqual(['record', 'review', 'route', 'ship-and-collect', 'ship-it', 'collect-it', 'cooling-off', 'child', 'confirm', 'confirm', 'resolved']);
    // The one-day wait kept its instant across the hand-over.
    const started = view.timeline.find((e) => e.type === 'timer-started');
    const fired = view.timeline.find((e) => e.type === 'timer-fired');
    expect(Date.parse(fired?.at ?? '') - Date.parse(started?.at ?? '')).toBeGreaterThanOrEqual(86_400_000);
  });
});
