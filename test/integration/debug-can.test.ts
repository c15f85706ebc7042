import { it } from 'vitest';
import { openTaskOf } from '../helpers/cases.js';
import { actors, uniqueName } from '../helpers/env.js';
import { devServerSuite } from '../helpers/suites.js';
const suite = devServerSuite();
it('can on dev server', async () => {
  const caseId = uniqueName('N');
  await suite.client.openCase('every-step', { customer: { id: 'C-9', name: 'Sun Li' }, amount: 5000 }, { caseId, owner: actors.agent.id, continueAsNewAfterEvents: 10 });
  await suite.client.completeTask(caseId, (await openTaskOf(suite.client, caseId, 'review')).id, { outcome: 'approve', data: { note: 'ok' }, actor: actors.agent, waitFor: process.env.NOWAIT ? false : undefined });
  const ship = await openTaskOf(suite.client, caseId, 'ship-it');
  const r = await suite.client.completeTask(caseId, ship.id, { outcome: 'shipped', actor: actors.agent, waitFor: process.env.NOWAIT ? false : undefined });
  console.error('R', JSON.stringify(r.progress));
  for (let i = 0; i < 3; i++) {
    const t = Date.now();
    try { const v = await suite.client.getCase(caseId); console.error('G', Date.now() - t, v.run, JSON.stringify(Object.values(v.tasks).map((x) => x.id + ':' + x.status)), v.workflowStatus); } catch (e) { console.error('E', Date.now() - t, (e as Error).message); }
  }
  const h = await suite.client.temporal.workflow.getHandle(caseId).describe();
  console.error('D', h.status.name, h.runId);
});
