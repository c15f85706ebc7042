/**
 * The runs whose histories are kept in test/histories and replayed by every test run, so an
 * interpreter change that would break a running case fails the build. Each scenario drives a
 * case the way services and people do; `npm run record:histories` runs them all on a fresh
 * Temporal dev server and PostgreSQL and rewrites the JSON files.
 *
 * Every shipped process needs at least one scenario (a test checks it); add scenarios for new
 * branches rather than replacing old files: an old history that still replays is the point.
 */
import type { AftercareClient } from '../../client/index.js';
import { openTaskOf, reaches } from '../helpers/cases.js';

export interface Scenario {
  /** File name (without .json) and the case id of the recorded run. */
  name: string;
  process: string;
  description: string;
  run(client: AftercareClient, caseId: string): Promise<void>;
}

const department = { id: 'tech.support', role: 'department' };
const agent = { id: 'li.na', role: 'agent' };
const supervisor = { id: 'chen.jie', role: 'supervisor' };

export const scenarios: Scenario[] = [
  {
    name: 'passed-on-question-answered',
    process: 'passed-on-question',
    description: 'record, answer through the Update, the follow-up window (shortened to 2 s) passes, answered',
    async run(client, caseId) {
      await client.openCase(
        'passed-on-question',
        { customer: { id: 'M-20931', name: 'Wang Li', phone: '138-0013-8000' }, question: 'Can the dryer be stacked on the washer?', channel: 'phone' },
        { caseId, parameters: { followUpWindow: '2s' } },
      );
      await openTaskOf(client, caseId, 'answer');
      await client.completeTask(caseId, 'answer', { outcome: 'answered', data: { reply: 'Yes, with stacking kit SK-2.' }, actor: department });
      await client.result(caseId);
    },
  },
  {
    name: 'every-step-small-amount-cancelled',
    process: 'every-step',
    description: 'fixture process: a claimed and reassigned task, then the case cancelled with a reason',
    async run(client, caseId) {
      await client.openCase('every-step', { customer: { id: 'C-1', name: 'Zhou Min' }, amount: 10 }, { caseId });
      const review = await openTaskOf(client, caseId, 'review');
      await client.claimTask(caseId, review.id, { id: 'zhao.lei', role: 'agent' });
      await client.reassignTask(caseId, review.id, agent.id, supervisor, { reason: 'on leave' });
      await client.cancelCase(caseId, 'customer withdrew', supervisor);
      await client.result(caseId);
    },
  },
  {
    name: 'every-step-rejected-by-manager',
    process: 'every-step',
    description: 'fixture process: the agent asks the manager, who rejects',
    async run(client, caseId) {
      await client.openCase('every-step', { customer: { id: 'C-2', name: 'Qian Hao' }, amount: 50 }, { caseId, parameters: { coolingOff: '1s' } });
      await client.completeTask(caseId, (await openTaskOf(client, caseId, 'review')).id, { outcome: 'ask-manager', data: { note: 'unusual' }, actor: agent });
      await client.completeTask(caseId, (await openTaskOf(client, caseId, 'manager-review')).id, { outcome: 'reject', actor: { id: 'wang.fang', role: 'manager' } });
      await client.result(caseId);
    },
  },
  {
    name: 'every-step-parallel-subprocess-loop',
    process: 'every-step',
    description: 'fixture process: parallel branches, a 1 s cooling-off, a subprocess, the confirm loop twice',
    async run(client, caseId) {
      await client.openCase('every-step', { customer: { id: 'C-3', name: 'Sun Li' }, amount: 5000 }, { caseId, owner: agent.id, parameters: { coolingOff: '1s' } });
      await client.completeTask(caseId, (await openTaskOf(client, caseId, 'review')).id, { outcome: 'approve', data: { note: 'ok' }, actor: agent });
      await client.completeTask(caseId, (await openTaskOf(client, caseId, 'collect-it')).id, { outcome: 'collected', actor: agent });
      await client.completeTask(caseId, (await openTaskOf(client, caseId, 'ship-it')).id, { outcome: 'shipped', actor: agent });
      await reaches(client, caseId, 'child');
      await client.completeTask(`${caseId}.child`, (await openTaskOf(client, `${caseId}.child`, 'work')).id, { outcome: 'done', actor: agent });
      await client.completeTask(caseId, (await openTaskOf(client, caseId, 'confirm')).id, { outcome: 'not-satisfied', actor: agent });
      await client.completeTask(caseId, (await openTaskOf(client, caseId, 'confirm')).id, { outcome: 'satisfied', actor: agent });
      await client.result(caseId);
    },
  },
];
