/** Driving a shipped process through its tasks the way people do, for the process tests. */
import type { AftercareClient, CaseView } from '../../client/index.js';
import type { ActAs } from '../../client/acting.js';
import { eventually, openTaskOf } from './cases.js';

/** Waits for the open task of `stepId` and completes it with `outcome` (and form `data`). */
export async function complete(client: AftercareClient, caseId: string, stepId: string, outcome: string, actor: ActAs, data?: Record<string, unknown>): Promise<void> {
  const task = await openTaskOf(client, caseId, stepId);
  await client.completeTask(caseId, task.id, { outcome, actor, ...(data ? { data } : {}) });
}

/** The steps the case entered, in order (from its timeline). */
export async function stepsEntered(client: AftercareClient, caseId: string): Promise<string[]> {
  const view = await client.getCase(caseId);
  return view.timeline.filter((e) => e.type === 'step-entered').map((e) => e.step ?? '');
}

/** Waits until the case is closed, and returns its final view. */
export async function closed(client: AftercareClient, caseId: string): Promise<CaseView> {
  await client.result(caseId);
  return eventually(async () => {
    const view = await client.getCase(caseId);
    return view.status === 'closed' ? view : undefined;
  }, `case ${caseId} to close`);
}
