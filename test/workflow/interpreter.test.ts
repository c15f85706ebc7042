/**
 * The interpreter's semantics on the time-skipping server with stub activities — no
 * PostgreSQL: what an action returns is saved and read by a decision, failure policies
 * (go to a step, escalate to a role who retries or handles it by hand), a loop's visit bound,
 * parallel branches joining, a durable wait, a subprocess, task routing by outcome, cancel.
 * Everything is asserted from the case's state (the `case` query) and its result.
 * Fixture: test/fixtures/processes/interpreter.yaml (and child-process.yaml).
 */
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { StepContext } from '../../activities/index.js';
import type { CaseView } from '../../client/index.js';
import { eventually, openTaskOf, reaches } from '../helpers/cases.js';
import { actors, uniqueName } from '../helpers/env.js';
import { startedTimers } from '../helpers/history.js';
import { stubActivitiesSuite } from '../helpers/suites.js';

const DAY = 86_400_000;
const failedOnce = new Set<string>();

/** The stubs: the serial number says how each behaves. */
const suite = stubActivitiesSuite({
  'check-warranty': async (context: StepContext, input: { serial?: string }) => {
    const serial = input.serial ?? '';
    if (serial.startsWith('BAD')) throw ApplicationFailure.nonRetryable(`no product ${serial}`, 'NotFound');
    if (serial.startsWith('FLAKY') && !failedOnce.has(context.caseId)) {
      failedOnce.add(context.caseId);
      throw ApplicationFailure.nonRetryable('warranty service down', 'Unavailable');
    }
    return { inWarranty: !serial.startsWith('OUT'), warrantyEnds: '2028-01-09' };
  },
  'record-case': async (context: StepContext, input: { summary?: string }) => {
    if (input.summary?.includes('NOREC')) throw ApplicationFailure.nonRetryable('records refused it', 'InvalidInput');
    return { caseId: context.caseId, recordedAt: '2026-12-01T00:00:00.000Z' };
  },
});

const open = async (serial: string) => {
  const caseId = uniqueName('I');
  await suite.client.openCase('interpreter', { serial, amount: 300 }, { caseId });
  return caseId;
};
const complete = async (caseId: string, stepId: string, outcome: string, actor = actors.agent) => {
  const task = await openTaskOf(suite.client, caseId, stepId);
  await suite.client.completeTask(caseId, task.id, { outcome, actor });
  return task;
};
const entered = (view: CaseView) => view.timeline.filter((e) => e.type === 'step-entered').map((e) => e.step);
const openTasks = (view: CaseView) => Object.values(view.tasks).filter((t) => t.status === 'open').map((t) => t.stepId).sort();
const callsOf = (caseId: string, activity: string) => suite.callsOf(caseId).filter((c) => c.activity === activity);

describe('actions and decisions', () => {
  it('saves an action’s result with save-as, and a decision reads it', async () => {
    const caseId = await open('IN-1');
    const view = await reaches(suite.client, caseId, 'fix-it');
    expect(view.data.warranty).toEqual({ inWarranty: true, warrantyEnds: '2028-01-09' });
    expect(view.data.record).toEqual({ caseId, recordedAt: '2026-12-01T00:00:00.000Z' });
    // In warranty: straight to recording, no quote.
    expect(entered(view).slice(0, 4)).toEqual(['check', 'covered', 'record', 'both']);
    // The action got its `with:` evaluated, and the step's context.
    expect(callsOf(caseId, 'check-warranty')).toEqual([
      {
        activity: 'check-warranty',
        context: { caseId, process: 'interpreter', version: 1, stepId: 'check', visit: 1, idempotencyKey: `${caseId}:check:1` },
        input: { productModel: 'WM-80', serial: 'IN-1', purchaseDate: '2026-01-10', warrantyMonths: 24 },
      },
    ]);
    expect(callsOf(caseId, 'record-case').map((c) => c.input)).toEqual([{ summary: 'repair IN-1' }]);
    await suite.client.cancelCase(caseId, 'test over', actors.supervisor);
  });

  it('takes the decision’s otherwise path, and routes a task by its outcome', async () => {
    const caseId = await open('OUT-2');
    const quote = await complete(caseId, 'quote', 'accepted');
    expect(quote.outcomes).toEqual(['accepted', 'declined', 'revise']);
    const view = await reaches(suite.client, caseId, 'fix-it');
    expect(view.data.warranty).toMatchObject({ inWarranty: false });
    expect(entered(view).slice(0, 5)).toEqual(['check', 'covered', 'quote', 'record', 'both']);
    expect(view.outcomes).toMatchObject({ quote: 'accepted' });
    await suite.client.cancelCase(caseId, 'test over', actors.supervisor);
  });
});

describe('visit bounds', () => {
  it('enters a looping step at most `visits.max` times, then goes to the step the bound names', async () => {
    const caseId = await open('OUT-3');
    expect((await complete(caseId, 'quote', 'revise')).id).toBe('quote#1');
    expect((await complete(caseId, 'quote', 'revise')).id).toBe('quote#2');
    expect((await suite.client.result(caseId)).outcome).toBe('declined');
    const view = await suite.client.getCase(caseId);
    expect(view.visits.quote).toBe(2);
    expect(view.timeline.find((e) => e.type === 'visits-exceeded')).toMatchObject({ step: 'quote' });
    expect(entered(view)).toEqual(['check', 'covered', 'quote', 'quote', 'declined']);
    // No third quote task, and the loop never reached the record action.
    expect(Object.keys(view.tasks)).toEqual(['quote#1', 'quote#2']);
    expect(callsOf(caseId, 'record-case')).toEqual([]);
  });
});

describe('failure policies', () => {
  it('goes to the step `on-failure` names when an action fails', async () => {
    const caseId = await open('IN-NOREC');
    await complete(caseId, 'record-by-hand', 'recorded');
    const view = await reaches(suite.client, caseId, 'fix-it');
    expect(view.timeline.find((e) => e.type === 'action-failed')).toMatchObject({ step: 'record' });
    expect(view.data.record).toBeUndefined();
    expect(entered(view).slice(0, 5)).toEqual(['check', 'covered', 'record', 'record-by-hand', 'both']);
    // `retry: { attempts: 1 }`: one call, no retry.
    expect(callsOf(caseId, 'record-case')).toHaveLength(1);
    await suite.client.cancelCase(caseId, 'test over', actors.supervisor);
  });

  it('escalates a failed action to a role; `retry` runs it again, and its result is saved', async () => {
    const caseId = await open('FLAKY-4');
    const task = await openTaskOf(suite.client, caseId, 'check');
    expect(task).toMatchObject({ role: 'supervisor', outcomes: ['retry', 'handled-manually'], escalation: { activity: 'check-warranty' } });
    expect(task.escalation?.error).toContain('warranty service down');
    await suite.client.completeTask(caseId, task.id, { outcome: 'retry', actor: actors.supervisor });
    const view = await reaches(suite.client, caseId, 'fix-it');
    expect(view.data.warranty).toEqual({ inWarranty: true, warrantyEnds: '2028-01-09' });
    expect(view.timeline.filter((e) => e.type === 'action-failed')).toHaveLength(1);
    expect(view.tasks[task.id]?.status).toBe('completed');
    // The same step visit both times: the same idempotency key.
    expect(callsOf(caseId, 'check-warranty').map((c) => c.context.idempotencyKey)).toEqual([`${caseId}:check:1`, `${caseId}:check:1`]);
    await suite.client.cancelCase(caseId, 'test over', actors.supervisor);
  });

  it('escalates again when the retried action fails again, and goes on when it is handled by hand', async () => {
    const caseId = await open('BAD-5');
    const first = await openTaskOf(suite.client, caseId, 'check');
    await suite.client.completeTask(caseId, first.id, { outcome: 'retry', actor: actors.supervisor });
    const second = await eventually(async () => {
      const t = await openTaskOf(suite.client, caseId, 'check');
      return t.id === first.id ? undefined : t;
    }, 'a second escalation');
    expect(second.id).toBe('check#2');
    await suite.client.completeTask(caseId, second.id, { outcome: 'handled-manually', actor: actors.supervisor });
    // Handled by hand: the step's `then`, with nothing saved — so the decision's `has()` fails
    // and it takes its otherwise path, the quote.
    await openTaskOf(suite.client, caseId, 'quote');
    const view = await suite.client.getCase(caseId);
    expect(view.data.warranty).toBeUndefined();
    expect(entered(view)).toEqual(['check', 'covered', 'quote']);
    expect(view.timeline.filter((e) => e.type === 'action-failed')).toHaveLength(2);
    expect(view.tasks[second.id]?.status).toBe('completed');
    expect(view.timeline.find((e) => e.type === 'task-completed' && e.task === second.id)).toMatchObject({ outcome: 'handled-manually', actor: actors.supervisor.id });
    expect(callsOf(caseId, 'check-warranty')).toHaveLength(2);
    await suite.client.cancelCase(caseId, 'test over', actors.supervisor);
  });
});

describe('parallel branches, a wait and a subprocess', () => {
  it('joins the branches when both are done, waits two days on a timer, then runs the child case', async () => {
    const caseId = await open('IN-6');
    await openTaskOf(suite.client, caseId, 'fix-it');
    await openTaskOf(suite.client, caseId, 'inform-customer');
    expect(openTasks(await suite.client.getCase(caseId))).toEqual(['fix-it', 'inform-customer']);

    // One branch done: the parallel step still waits for the other.
    await complete(caseId, 'fix-it', 'fixed');
    let view = await reaches(suite.client, caseId, 'inform-customer');
    expect(view.tokens.root?.stepId).toBe('both');
    expect(openTasks(view)).toEqual(['inform-customer']);
    await complete(caseId, 'inform-customer', 'informed');

    // The wait: a durable timer for two days from entering it.
    view = await reaches(suite.client, caseId, 'settle');
    const wait = Object.values(view.tokens).find((t) => !t.done && t.stepId === 'settle')?.wait;
    expect(wait?.kind).toBe('timer');
    const until = (wait as { until: number }).until;
    const timer = (await startedTimers(suite.env.client, caseId)).find((t) => t.summary?.startsWith('Let it settle'));
    expect(timer?.firesAt).toBe(until);
    expect(until - (timer?.askedAt ?? 0)).toBe(2 * DAY);
    expect(Object.keys(view.tasks)).not.toContain(`${caseId}.child`);

    await suite.env.sleep('2 days');
    const childId = `${caseId}.child`;
    await complete(childId, 'work', 'done');
    const result = await suite.client.result(caseId);
    expect(result.outcome).toBe('repaired');
    expect(result.data).toMatchObject({ child: { caseId: childId, outcome: 'done' }, warranty: { inWarranty: true } });
    view = await suite.client.getCase(caseId);
    expect(view.status).toBe('closed');
    expect(entered(view)).toEqual(['check', 'covered', 'record', 'both', 'fix-it', 'inform-customer', 'settle', 'child', 'repaired']);
    expect((await suite.client.getCase(childId)).parent).toMatchObject({ caseId, stepId: 'child' });
    expect((await startedTimers(suite.env.client, caseId)).find((t) => t.firesAt === until)?.fired).toBe(true);
  });
});

describe('cancel', () => {
  it('cancels the open tasks of every branch and ends the case; nothing more runs', async () => {
    const caseId = await open('IN-7');
    await openTaskOf(suite.client, caseId, 'fix-it');
    await openTaskOf(suite.client, caseId, 'inform-customer');
    const before = suite.callsOf(caseId).filter((c) => c.activity !== 'record-case-history').length;
    expect(await suite.client.cancelCase(caseId, 'customer withdrew', actors.supervisor)).toEqual({ caseId, outcome: 'cancelled' });
    expect((await suite.client.result(caseId)).outcome).toBe('cancelled');
    const view = await suite.client.getCase(caseId);
    expect(view.tasks['fix-it#1']?.status).toBe('cancelled');
    expect(view.tasks['inform-customer#1']?.status).toBe('cancelled');
    expect(view.timeline.find((e) => e.type === 'case-cancelled')).toMatchObject({ actor: actors.supervisor.id, detail: 'customer withdrew' });
    expect(entered(view)).not.toContain('settle');
    expect(suite.callsOf(caseId).filter((c) => c.activity !== 'record-case-history')).toHaveLength(before);
    await expect(suite.client.completeTask(caseId, 'fix-it#1', { outcome: 'fixed', actor: actors.agent })).rejects.toBeDefined();
  });
});
