/** A small process with a parallel step and SLA clocks, and a case of it, for the rule tests. */
import { compileProcess } from '../../../dsl/compile.js';
import type { CaseState, CaseTask, Token } from '../../../workflows/case-state.js';

export const process = compileProcess({
  process: 'complaint-handling',
  version: 2,
  title: 'Complaint handling',
  roles: { agent: { title: 'Service agent' }, technician: { title: 'Technician' } },
  parameters: { region: { type: 'string', default: 'north', description: 'Where the case is handled' } },
  case: { summary: 'Complaint ${case.id} · ${input.customer.name}', customer: '${input.customer.id}', priority: '${input.severity}' },
  slas: {
    resolution: { title: 'Resolution', target: '24h' },
    reply: { title: 'First reply', target: '4h', escalations: [{ at: '50%' }] },
    followup: { title: 'Follow-up', target: '24h' },
    unused: { title: 'Never started', target: '1h', start: { enter: 'resolved' } },
  },
  steps: {
    classify: { title: 'Classify the complaint', task: { role: 'agent', outcomes: ['accept'] }, then: 'checks' },
    checks: {
      title: 'Checks',
      parallel: {
        technical: { steps: { inspect: { title: 'Inspect the device', task: { role: 'technician', outcomes: ['done'] } } } },
        commercial: { steps: { quote: { title: 'Prepare a quote', task: { role: 'agent', outcomes: ['done'] } } } },
      },
      then: 'resolved',
    },
    resolved: { title: 'Resolved', end: 'resolved' },
  },
});

export function task(id: string, fields: Partial<CaseTask> = {}): CaseTask {
  const stepId = id.split('#')[0] ?? id;
  const step = process.steps[stepId];
  return {
    id,
    stepId,
    title: step?.title ?? stepId,
    role: step?.kind === 'task' ? step.role : 'agent',
    outcomes: step?.kind === 'task' ? [...step.outcomes] : ['done'],
    openedAt: '2026-03-02T08:00:00.000Z',
    status: 'open',
    ...fields,
  };
}

export function token(id: string, stepId: string, fields: Partial<Token> = {}): Token {
  return { id, stepId, done: false, ...fields };
}

export function caseWith(fields: Partial<CaseState> = {}): CaseState {
  return {
    caseId: 'C-1',
    process: process.process,
    version: process.version,
    hash: 'h',
    title: 'Complaint C-1',
    status: 'open',
    openedAt: '2026-03-02T08:00:00.000Z',
    input: {},
    data: {},
    outcomes: {},
    visits: {},
    tokens: {},
    tasks: {},
    taskCounts: {},
    timeline: [],
    timelineDropped: 0,
    slas: {},
    run: 1,
    ...fields,
  };
}

export const byId = <T extends { id: string }>(items: T[]): Record<string, T> => Object.fromEntries(items.map((item) => [item.id, item]));
