/** Helpers for driving cases in tests the way a service would. */
import type { Client } from '@temporalio/client';
import type { AftercareClient, CaseTask, CaseView } from '../../client/index.js';

/** Polls `probe` (real time) until it returns a value; throws with `what` after `timeout`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeout = 15_000): Promise<T> {
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the case has an open task of `stepId`, and returns it. */
export function openTaskOf(client: AftercareClient, caseId: string, stepId: string, timeout = 15_000): Promise<CaseTask> {
  return eventually(
    async () => Object.values((await client.getCase(caseId)).tasks).find((t) => t.stepId === stepId && t.status === 'open'),
    `an open task of step ${stepId} in case ${caseId}`,
    timeout,
  );
}

/** Waits until the case waits at `stepId`. */
export function reaches(client: AftercareClient, caseId: string, stepId: string, timeout = 15_000): Promise<CaseView> {
  return eventually(
    async () => {
      const view = await client.getCase(caseId);
      return Object.values(view.tokens).some((t) => !t.done && t.stepId === stepId && t.wait !== undefined) ? view : undefined;
    },
    `case ${caseId} to wait at ${stepId}`,
    timeout,
  );
}

/**
 * The number of events in the case's history once no workflow task is pending: a query can
 * answer before the task that produced the state has completed and written its events.
 */
export async function settledHistoryLength(temporal: Client, caseId: string): Promise<number> {
  const handle = temporal.workflow.getHandle(caseId);
  let previous = -1;
  return eventually(async () => {
    const description = await handle.describe();
    const length = (await handle.fetchHistory()).events?.length ?? 0;
    const pending = description.raw.pendingWorkflowTask;
    const stable = !pending && length === previous;
    previous = length;
    return stable ? length : undefined;
  }, `the history of ${caseId} to settle`);
}
