/**
 * What operators see of a case (workflows/presentation.ts): the summary and searchable fields
 * a case opens with, the search attributes the workflow keeps up to date, and the markdown of
 * its live details.
 */
import { describe, expect, it } from 'vitest';
import { compileProcess } from '../../../dsl/compile.js';
import type { CaseState } from '../../../workflows/case-state.js';
import { caseDetails, initialSearchAttributes, presentCase, searchAttributeValues } from '../../../workflows/presentation.js';
import {
  AssigneesKey,
  CaseIdKey,
  CaseOutcomeKey,
  CaseOwnerKey,
  CaseStatusKey,
  CaseSummaryKey,
  CurrentStepsKey,
  CustomerIdKey,
  DefinitionVersionKey,
  NextDueAtKey,
  PriorityKey,
  ProcessKey,
  SlaDeadlineKey,
  SlaStateKey,
  WaitingOnRolesKey,
} from '../../../workflows/search-attributes.js';
import { newClock, pauseClock, reachRung, startClock, stopClock, type SlaClockState } from '../../../workflows/sla-clock.js';
import { byId, caseWith, process, task, token } from './case-fixture.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-02T08:00:00Z');
const openedAt = T0;
const input = { customer: { name: 'Ann Lee', id: 'K-7' }, severity: 'high' };
const noTemplates = () => {
  throw new Error('no template expected');
};

function clock(id: string, build: (state: SlaClockState) => void): SlaClockState {
  const spec = process.slas.find((s) => s.id === id);
  if (!spec) throw new Error(`no SLA ${id}`);
  const state = newClock(spec);
  startClock(state, spec, T0, undefined, noTemplates);
  build(state);
  return state;
}

/** Resolution runs (due 3 Mar 08:00), first reply warned at 50 % (due 2 Mar 12:00), follow-up paused in its second cycle. */
function clocks(): Record<string, SlaClockState> {
  const reply = process.slas.find((s) => s.id === 'reply');
  const followup = process.slas.find((s) => s.id === 'followup');
  return {
    resolution: clock('resolution', () => {}),
    reply: clock('reply', (state) => reachRung(state, reply as never, 0, T0 + 2 * HOUR, undefined)),
    followup: clock('followup', (state) => {
      stopClock(state, T0 + HOUR, undefined);
      startClock(state, followup as never, T0 + 2 * HOUR, undefined, noTemplates);
      pauseClock(state, T0 + 3 * HOUR, 'waiting for parts', undefined);
    }),
    unused: newClock(process.slas.find((s) => s.id === 'unused') as never),
  };
}

/** A case in its parallel checks: a technician's task assigned to tim, an agent's task unassigned. */
function inChecks(): CaseState {
  return caseWith({
    owner: 'ann',
    priority: 'high',
    customer: 'K-7',
    tokens: byId([
      token('root', 'checks', { wait: { kind: 'branches', children: ['t1', 't2'] } }),
      token('t1', 'inspect', { parent: 'root', branch: 'technical', wait: { kind: 'task', taskId: 'inspect#1' } }),
      token('t2', 'quote', { parent: 'root', branch: 'commercial', wait: { kind: 'task', taskId: 'quote#1' } }),
    ]),
    tasks: byId([
      task('classify#1', { status: 'completed', completedBy: 'ann', outcome: 'accept', dueAt: '2026-03-02T09:00:00.000Z' }),
      task('inspect#1', { assignee: 'tim', dueAt: '2026-03-03T17:00:00.000Z' }),
      task('quote#1', { dueAt: '2026-03-03T12:00:00.000Z' }),
    ]),
    slas: clocks(),
    timeline: [
      { at: '2026-03-02T08:00:00.000Z', type: 'case-opened' },
      { at: '2026-03-02T08:00:05.000Z', type: 'task-opened', step: 'classify', task: 'classify#1' },
      { at: '2026-03-02T09:00:00.000Z', type: 'task-completed', step: 'classify', task: 'classify#1', outcome: 'accept', actor: 'ann' },
      { at: '2026-03-02T09:00:00.000Z', type: 'step-entered', step: 'checks' },
      { at: '2026-03-02T09:00:01.250Z', type: 'task-opened', step: 'inspect', task: 'inspect#1' },
      { at: '2026-03-02T10:00:00.000Z', type: 'sla-warning', clock: 'reply' },
    ],
  });
}

describe('presentCase', () => {
  it('computes the summary, customer and priority from the case block', () => {
    expect(presentCase(process, 'C-1', input, openedAt)).toEqual({ summary: 'Complaint C-1 · Ann Lee', searchSummary: 'Complaint C-1 · •••', customer: 'K-7', priority: 'high' });
  });

  it('masks every value under input.customer but its id in the search summary, whatever the template', () => {
    const nosy = { ...process, presentation: { summary: '${input.customer.name} ${input.customer.phone} ${input.customer.address.city} ${input.customer.id} ${input.topic}' } };
    const presented = presentCase(nosy, 'C-1', { customer: { id: 'K-7', name: 'Ann Lee', phone: '139-1088-2231', address: { city: 'Hangzhou' } }, topic: 'noise' }, openedAt);
    expect(presented.summary).toBe('Ann Lee 139-1088-2231 Hangzhou K-7 noise');
    expect(presented.searchSummary).toBe('••• ••• ••• K-7 noise');
  });

  it('falls back to the process title and case id when the summary cannot be computed, and leaves out what is missing', () => {
    expect(presentCase(process, 'C-1', {}, openedAt)).toEqual({ summary: 'Complaint handling C-1', searchSummary: 'Complaint handling C-1' });
  });

  it('falls back to the title and case id when the process has no case block', () => {
    const bare = compileProcess({ process: 'bare', version: 1, title: 'Bare', roles: { agent: { title: 'Agent' } }, steps: { done: { title: 'Done', end: 'done' } } });
    expect(presentCase(bare, 'B-9', {}, openedAt)).toEqual({ summary: 'Bare B-9', searchSummary: 'Bare B-9' });
  });

  it('writes values that are not text as JSON and leaves out empty ones', () => {
    expect(presentCase(process, 'C-1', { customer: { name: 'Ann', id: '' }, severity: 3 }, openedAt)).toEqual({ summary: 'Complaint C-1 · Ann', searchSummary: 'Complaint C-1 · •••', priority: '3' });
  });

  it('shortens a summary over 200 characters to 197 and an ellipsis', () => {
    const summary = presentCase(process, 'C-1', { ...input, customer: { ...input.customer, name: 'x'.repeat(300) } }, openedAt).summary;
    expect(summary).toHaveLength(200);
    expect(summary).toBe(`Complaint C-1 · ${'x'.repeat(197 - 'Complaint C-1 · '.length)}...`);
  });

  it('lets the summary use the case, the parameters and the opening time', () => {
    const withCase = { ...process, presentation: { summary: '${case.process} v${case.version} ${params.region} ${case.openedAt}' } };
    expect(presentCase(withCase, 'C-1', {}, openedAt).summary).toBe('complaint-handling v2 north 2026-03-02T08:00:00.000Z');
  });
});

describe('initialSearchAttributes', () => {
  it('sets the case id, process, version, status and summary, and the customer, priority and owner when known', () => {
    expect(initialSearchAttributes(process, 'C-1', { summary: 'Complaint C-1 · Ann Lee', searchSummary: 'Complaint C-1 · •••', customer: 'K-7', priority: 'high' }, 'ann')).toEqual([
      { key: CaseIdKey, value: 'C-1' },
      { key: ProcessKey, value: 'complaint-handling' },
      { key: DefinitionVersionKey, value: 2 },
      { key: CaseStatusKey, value: 'open' },
      { key: CaseSummaryKey, value: 'Complaint C-1 · •••' },
      { key: CustomerIdKey, value: 'K-7' },
      { key: PriorityKey, value: 'high' },
      { key: CaseOwnerKey, value: 'ann' },
    ]);
  });

  it('leaves out the customer, priority and owner when there are none', () => {
    expect(initialSearchAttributes(process, 'C-1', { summary: 's', searchSummary: 's' }).map((p) => p.key.name)).toEqual(['CaseId', 'Process', 'DefinitionVersion', 'CaseStatus', 'CaseSummary']);
  });
});

describe('searchAttributeValues', () => {
  const plain = (state: CaseState) => Object.fromEntries([...searchAttributeValues(state)].map(([name, { value }]) => [name, value]));

  it('gives every maintained attribute of an open case: steps, waiting roles, assignees, the earliest due time and the SLA state', () => {
    expect(plain(inChecks())).toEqual({
      CaseStatus: 'open',
      CaseOutcome: null,
      CurrentSteps: ['inspect', 'quote'],
      WaitingOnRoles: ['agent', 'technician'],
      Assignees: ['tim'],
      NextDueAt: new Date('2026-03-03T12:00:00.000Z'),
      CaseOwner: 'ann',
      Priority: 'high',
      CustomerId: 'K-7',
      SlaState: 'warning',
      SlaDeadline: new Date('2026-03-02T12:00:00.000Z'),
    });
  });

  it('pairs each value with its search attribute key', () => {
    const keys = { CaseStatus: CaseStatusKey, CaseOutcome: CaseOutcomeKey, CurrentSteps: CurrentStepsKey, WaitingOnRoles: WaitingOnRolesKey, Assignees: AssigneesKey, NextDueAt: NextDueAtKey, CaseOwner: CaseOwnerKey, Priority: PriorityKey, CustomerId: CustomerIdKey, SlaState: SlaStateKey, SlaDeadline: SlaDeadlineKey };
    for (const [name, { pair, value }] of searchAttributeValues(inChecks())) {
      expect(pair).toEqual({ key: keys[name as keyof typeof keys], value });
    }
  });

  it('clears the steps, roles, assignees, due time and SLA deadline of a closed case, and sets its outcome', () => {
    const state = { ...inChecks(), status: 'closed' as const, outcome: 'resolved', tasks: {}, owner: undefined, priority: undefined, customer: undefined };
    expect(plain(state)).toEqual({
      CaseStatus: 'closed',
      CaseOutcome: 'resolved',
      CurrentSteps: null,
      WaitingOnRoles: null,
      Assignees: null,
      NextDueAt: null,
      CaseOwner: null,
      Priority: null,
      CustomerId: null,
      SlaState: 'warning',
      SlaDeadline: null,
    });
  });

  it('has no SLA state for a case whose clocks have not started', () => {
    expect(plain(caseWith({ slas: { unused: clocks().unused as SlaClockState } })).SlaState).toBeNull();
  });
});

describe('caseDetails', () => {
  it('shows where the case is, who must act by when, its time limits and the latest events, newest first', () => {
    expect(caseDetails(inChecks(), process)).toBe(
      [
        '**Complaint handling** · version 2 · open',
        '',
        'Owner: ann',
        '',
        'Priority: **high**',
        '',
        '**Current steps**',
        '',
        '- Inspect the device (`inspect`)',
        '- Prepare a quote (`quote`)',
        '',
        '**Open tasks**',
        '',
        '- Inspect the device (`inspect#1`): role **technician**, assigned to tim, due 2026-03-03 17:00 UTC',
        '- Prepare a quote (`quote#1`): role **agent**, due 2026-03-03 12:00 UTC',
        '',
        '**Time limits**',
        '',
        '- Resolution: 24h, running, due 2026-03-03 08:00 UTC',
        '- First reply: 4h, **warning**, due 2026-03-02 12:00 UTC',
        '- Follow-up (cycle 2): 24h, paused: waiting for parts',
        '',
        '**Latest**',
        '',
        '- 2026-03-02 10:00 UTC: sla warning',
        '- 2026-03-02 09:00 UTC: task opened `inspect`',
        '- 2026-03-02 09:00 UTC: step entered `checks`',
        '- 2026-03-02 09:00 UTC: task completed `classify` → accept by ann',
        '- 2026-03-02 08:00 UTC: task opened `classify`',
        '',
        'Its path on the diagram: `npx aftercare case graph C-1`',
      ].join('\n'),
    );
  });

  it('shows a closed case with its outcome, its clocks by result, and no current step', () => {
    const resolution = clock('resolution', (state) => stopClock(state, T0 + HOUR, undefined));
    const breached = clock('reply', (state) => stopClock(state, T0 + 5 * HOUR, undefined));
    const state = caseWith({
      status: 'closed',
      outcome: 'resolved',
      tokens: byId([token('root', 'resolved')]),
      slas: { resolution, reply: breached },
      timeline: [{ at: '2026-03-02T13:00:00.000Z', type: 'case-closed', outcome: 'resolved' }],
    });
    expect(caseDetails(state, process)).toBe(
      ['**Complaint handling** · version 2 · closed: **resolved**', '', '**Time limits**', '', '- Resolution: 24h, met', '- First reply: 4h, breached', '', '**Latest**', '', '- 2026-03-02 13:00 UTC: case closed → resolved', '', 'Its path on the diagram: `npx aftercare case graph C-1`'].join('\n'),
    );
  });

  it('says "Current step" for one step, and shows the step id when the process does not know it', () => {
    const state = caseWith({ tokens: byId([token('root', 'gone')]) });
    expect(caseDetails(state, process)).toBe(['**Complaint handling** · version 2 · open', '', '**Current step**', '', '- gone (`gone`)', '', 'Its path on the diagram: `npx aftercare case graph C-1`'].join('\n'));
  });

  it('marks a running clock past its breach as breached', () => {
    const reply = process.slas.find((s) => s.id === 'reply');
    const state = caseWith({ slas: { reply: clock('reply', (s) => reachRung(s, reply as never, -1, T0 + 4 * HOUR, undefined)) } });
    expect(caseDetails(state, process)).toContain('- First reply: 4h, **breached**, due 2026-03-02 12:00 UTC');
  });

  it('writes the times in the case calendar\'s zone when given one, with its offset', () => {
    const reply = process.slas.find((s) => s.id === 'reply');
    const state = caseWith({ slas: { reply: clock('reply', (s) => reachRung(s, reply as never, -1, T0 + 4 * HOUR, undefined)) } });
    const details = caseDetails(state, process, Date.parse('2026-03-02T15:20:00.000Z'), 'Asia/Shanghai');
    expect(details).toContain('- First reply: 4h, **breached**, due 2026-03-02 20:00 UTC+8 (3 hours 20 minutes late)');
    expect(details).not.toMatch(/\d\d:\d\d UTC(?![+-])/);
  });

  it('says how late a breached clock is, and SlaDeadline keeps the missed deadline for cases that have the patch', () => {
    const reply = process.slas.find((s) => s.id === 'reply');
    const state = caseWith({ slas: { reply: clock('reply', (s) => reachRung(s, reply as never, -1, T0 + 4 * HOUR, undefined)) } });
    expect(caseDetails(state, process, Date.parse('2026-03-02T15:20:00.000Z'))).toContain('- First reply: 4h, **breached**, due 2026-03-02 12:00 UTC (3 hours 20 minutes late)');
    expect(searchAttributeValues(state, true).get('SlaDeadline')?.value).toEqual(new Date('2026-03-02T12:00:00.000Z'));
    // Cases from before the patch replay as they ran: the deadline cleared at the breach.
    expect(searchAttributeValues(state).get('SlaDeadline')?.value).toBeNull();
  });
});

describe('what callers wrote, in the live details', () => {
  it('is escaped for the markdown renderer: no link, no HTML element, no heading', async () => {
    const { inertMarkdown } = await import('../../../workflows/presentation.js');
    const planted = '[Pay here](https://evil.example) <img src=x onerror=alert(1)>\n# urgent';
    const escaped = inertMarkdown(planted);
    expect(escaped).toBe('\\[Pay here\\]\\(https\\://evil.example\\) \\<img src=x onerror=alert\\(1\\)\\> \\# urgent');
    // No unescaped markdown or HTML character is left.
    expect(escaped.replace(/\\./g, '')).not.toMatch(/[[\]()<>#:]/);
  });
});
