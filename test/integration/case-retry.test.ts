/**
 * Recovering a failed case (issue 15): an action whose activity fails for good fails the case
 * (`CaseStatus = "failed"`); once the cause is fixed, `retryCase` / `aftercare case retry` resets
 * the failed run to the workflow task that scheduled the activity, the step runs again, and the
 * case goes on to its end as the same case id — each record in PostgreSQL written once. On the
 * dev server with the real activities, `record-case` failing the first time for chosen cases.
 */
import { execFile } from 'node:child_process';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { recordCase } from '../../activities/case-records.js';
import type { StepContext } from '../../activities/index.js';
import { CaseFailedError, CaseRetryRefusedError } from '../../client/index.js';
import { eventually, openTaskOf } from '../helpers/cases.js';
import { runAftercare } from '../helpers/cli.js';
import { startCodecServer } from '../../worker/codec-server.js';
import { actors, testCodec, uniqueName } from '../helpers/env.js';
import { devServerSuite } from '../helpers/suites.js';

// A CLI run costs seconds of CPU (see cli.test.ts); the CLI test runs five.
vi.setConfig({ testTimeout: 300_000 });

/** Cases whose record-case fails, non-retryably, the first time it runs; `calls` counts its runs. */
const failFirst = new Set<string>();
const calls = new Map<string, number>();

const suite = devServerSuite({
  activities: (pool) => ({
    'record-case': async (context: StepContext, input: unknown) => {
      const n = (calls.get(context.caseId) ?? 0) + 1;
      calls.set(context.caseId, n);
      if (failFirst.has(context.caseId) && n === 1) throw ApplicationFailure.nonRetryable('the records database refused the row (disk full)', 'RecordsUnavailable');
      return recordCase(pool)(context, input);
    },
  }),
});

const customer = { id: 'M-20931', name: 'Wang Li' };
const aftercare = (...args: string[]) => runAftercare(args, { TEMPORAL_ADDRESS: inject('temporalAddress'), AFTERCARE_TASK_QUEUE: suite.taskQueue, DATABASE_URL: suite.db.url });

/** Opens a retried-step case, completes its task and waits for it to fail (when its record-case fails) or close. */
async function caseAfterTask(failing: boolean): Promise<string> {
  const caseId = uniqueName('R');
  if (failing) failFirst.add(caseId);
  await suite.client.openCase('retried-step', { customer, question: 'Can the dryer be stacked on the washer?' }, { caseId });
  const task = await openTaskOf(suite.client, caseId, 'confirm');
  await suite.client.completeTask(caseId, task.id, { outcome: 'confirmed', actor: actors.agent });
  if (failing) await expect(suite.client.result(caseId)).rejects.toBeInstanceOf(CaseFailedError);
  else await suite.client.result(caseId);
  return caseId;
}

const listedFailed = async (caseId: string) => (await suite.client.listCases({ status: 'failed', query: `CaseId = '${caseId}'` })).map((c) => c.caseId);

/** The case's rows in PostgreSQL: its case row, and its audit rows by type. */
async function recordsOf(caseId: string): Promise<{ cases: number; events: Record<string, number> }> {
  const cases = await suite.db.pool.query('SELECT count(*)::int AS n FROM cases WHERE case_id = $1', [caseId]);
  const events = await suite.db.pool.query<{ event_type: string; n: number }>('SELECT event_type, count(*)::int AS n FROM case_events WHERE case_id = $1 GROUP BY event_type ORDER BY event_type', [caseId]);
  return { cases: cases.rows[0].n as number, events: Object.fromEntries(events.rows.map((r) => [r.event_type, r.n])) };
}

/** The failure as the case reports it (the wording of the attempts is the retry policy's, not asserted). */
const recordFailure = { message: expect.stringMatching(/^step `record` \(Record the request\) failed: .*the records database refused the row \(disk full\)$/), type: 'ActionFailed' };

describe('retryCase', () => {
  it('runs the failed step again after the task that led to it, and the case completes with each record once', async () => {
    const caseId = await caseAfterTask(true);
    const failed = await suite.client.getCase(caseId);
    expect(failed.workflowStatus).toBe('FAILED');
    expect(failed.failure).toEqual(recordFailure);
    await eventually(async () => ((await listedFailed(caseId)).includes(caseId) ? true : undefined), `${caseId} listed as failed`);
    const before = await recordsOf(caseId);
    // The failure is in the audit trail, after what the case recorded before it.
    expect(before).toEqual({ cases: 0, events: { 'case-opened': 1, 'task-completed': 1, 'case-failed': 1 } });

    const retried = await suite.client.retryCase(caseId, { reason: 'disk space freed' });
    expect(retried).toEqual({ caseId, failedRunId: failed.runId, runId: expect.any(String), resetEventId: expect.any(Number), stepId: 'record', failure: recordFailure.message });
    expect(retried.runId).not.toBe(failed.runId);

    const result = await suite.client.result(caseId);
    expect(result.outcome).toBe('done');
    const view = await suite.client.getCase(caseId);
    expect(view).toMatchObject({ runId: retried.runId, workflowStatus: 'COMPLETED', status: 'closed', outcome: 'done' });
    expect(view.failure).toBeUndefined();
    // The task completion of the failed run's last workflow task was applied again, once.
    expect(Object.values(view.tasks).map((t) => [t.stepId, t.status, t.completedBy, t.outcome])).toEqual([['confirm', 'completed', actors.agent.id, 'confirmed']]);
    expect(view.timeline.filter((e) => e.type === 'task-completed')).toHaveLength(1);
    expect(calls.get(caseId)).toBe(2);

    // The reason is in the new run's history, with the reset.
    const events = (await suite.client.temporal.workflow.getHandle(caseId, retried.runId).fetchHistory()).events ?? [];
    const reset = events.map((e) => e.workflowTaskFailedEventAttributes).find((a) => a?.baseRunId === failed.runId);
    expect(reset?.failure?.message).toBe('aftercare case retry: disk space freed');
    // The completion came in the workflow task the case was reset to: Temporal admitted it again, after the reset.
    const resetAt = events.findIndex((e) => e.workflowTaskFailedEventAttributes?.baseRunId === failed.runId);
    expect(events.slice(resetAt).filter((e) => e.workflowExecutionUpdateAdmittedEventAttributes).map((e) => e.workflowExecutionUpdateAdmittedEventAttributes?.request?.input?.name).filter((name) => name !== 'waitForTasks')).toEqual(['completeTask']);

    // Each record once: the rows written before the failure are not written again.
    expect(await recordsOf(caseId)).toEqual({ cases: 1, events: { 'case-closed': 1, 'case-failed': 1, 'case-opened': 1, 'case-recorded': 1, 'task-completed': 1 } });
    // The failed run is no longer a failed case; the case is closed.
    await eventually(async () => ((await listedFailed(caseId)).length === 0 ? true : undefined), `${caseId} no longer listed as failed`);
    const closed = await eventually(async () => (await suite.client.listCases({ status: 'closed', query: `CaseId = '${caseId}'` })).find((c) => c.runId === retried.runId), `${caseId} listed as closed`);
    expect(closed).toMatchObject({ caseId, outcome: 'done', workflowStatus: 'COMPLETED' });
  });

  it('refuses a case that does not exist, one still running and one closed normally, changing nothing', async () => {
    const missing = uniqueName('R');
    await expect(suite.client.retryCase(missing)).rejects.toThrow(new CaseRetryRefusedError(missing, 'CASE_NOT_FOUND', `there is no case ${missing}`));

    const running = uniqueName('R');
    const opened = await suite.client.openCase('retried-step', { customer, question: 'Still waiting?' }, { caseId: running });
    await openTaskOf(suite.client, running, 'confirm');
    const refusal = await suite.client.retryCase(running).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(CaseRetryRefusedError);
    expect(refusal).toMatchObject({ code: 'CASE_NOT_FAILED', reason: `case ${running} is still running (run ${opened.runId}); only a failed case can be retried` });
    expect((await suite.client.getCase(running)).runId).toBe(opened.runId);

    const closed = await caseAfterTask(false);
    const before = await suite.client.getCase(closed);
    await expect(suite.client.retryCase(closed)).rejects.toMatchObject({ code: 'CASE_NOT_FAILED', reason: `case ${closed} closed normally with outcome done; only a failed case can be retried` });
    expect((await suite.client.getCase(closed)).runId).toBe(before.runId);
  });
});

describe('aftercare case retry', () => {
  it('shows why a case failed, retries it as an operator types it, and refuses to retry it twice', async () => {
    const caseId = await caseAfterTask(true);
    const status = await aftercare('case', 'status', caseId);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^Case ${caseId} · retried-step v1 · failed`));
    expect(status.stdout).toMatch(/^Failure +step `record` \(Record the request\) failed: .*the records database refused the row \(disk full\) \[ActionFailed\]$/m);
    expect(status.stdout).toContain(`Recovery     fix the cause, then: aftercare case retry ${caseId} --reason "<what was fixed>"`);

    const retried = await aftercare('case', 'retry', caseId, '--reason', 'disk space freed');
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stdout).toMatch(new RegExp(`^case ${caseId} retried from step record: run \\S+ goes on from event \\d+ of failed run \\S+\nit had failed with: step \`record\``));
    expect((await suite.client.result(caseId)).outcome).toBe('done');

    const again = await aftercare('case', 'retry', caseId);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`refused (CASE_NOT_FAILED): case ${caseId} closed normally with outcome done; only a failed case can be retried\n`);
    const missing = await aftercare('case', 'retry', 'R-no-such-case', '--json');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual({ error: { code: 'CASE_NOT_FOUND', message: 'there is no case R-no-such-case', caseId: 'R-no-such-case' } });
    expect(await recordsOf(caseId)).toEqual({ cases: 1, events: { 'case-closed': 1, 'case-failed': 1, 'case-opened': 1, 'case-recorded': 1, 'task-completed': 1 } });
  });
});

describe("Temporal's own reset, as docs/operators.md gives it", () => {
  it('recovers a failed case from the event the failed activity names', async () => {
    const caseId = await caseAfterTask(true);
    const temporalCli = (...args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(inject('temporalCli'), [...args, '--address', inject('temporalAddress')], { timeout: 60_000 }, (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr }));
      });
    // Payloads are encrypted: the operator reads the history through the codec server, with a token.
    const codecServer = await startCodecServer({ codec: testCodec(), port: 0, tokens: ['operator-token'], trustedOrigins: [] });
    const shown = await temporalCli('workflow', 'show', '--workflow-id', caseId, '--detailed', '--codec-endpoint', codecServer.url, '--codec-auth', 'Bearer operator-token').finally(() => codecServer.stop());
    expect(shown.code, shown.stderr).toBe(0);
    // The guide's reading: the ActivityTaskScheduled section of the failed step's activity, and its workflowTaskCompletedEventId.
    const sections = shown.stdout.split(/^-+ \[\d+\] /m);
    const scheduled = sections.filter((section) => section.startsWith('ActivityTaskScheduled') && /^activityType\.name: record-case$/m.test(section));
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]).toMatch(/^userMetadata\.summary: Record the request$/m);
    const eventId = /^workflowTaskCompletedEventId: (\d+)$/m.exec(scheduled[0] ?? '')?.[1];
    expect(eventId).toMatch(/^\d+$/);

    const reset = await temporalCli('workflow', 'reset', '--workflow-id', caseId, '--event-id', eventId ?? '', '--reason', 'disk space freed');
    expect(reset.code, reset.stderr).toBe(0);
    expect((await suite.client.result(caseId)).outcome).toBe('done');
    expect(await recordsOf(caseId)).toEqual({ cases: 1, events: { 'case-closed': 1, 'case-failed': 1, 'case-opened': 1, 'case-recorded': 1, 'task-completed': 1 } });
  });
});
