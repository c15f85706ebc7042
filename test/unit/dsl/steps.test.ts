/**
 * The step kinds (dsl/steps/): each module's edges, meaning checks, expression sites,
 * compilation and drawing, and the table that must hold every kind the schema knows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as Source from '../../../model/generated/process-definition.js';
import type { CompiledStep } from '../../../model/compiled-process.js';
import type { UnlocatedProblem } from '../../../dsl/problems.js';
import { kindOfCompiled, kindOfStep, stepKindList, stepKindModules } from '../../../dsl/steps/index.js';
import type { CompiledStepBase, StepCheck, StepCompile, StepEntry } from '../../../dsl/steps/types.js';
import type { CheckContext } from '../../../dsl/check-context.js';
import { action } from '../../../dsl/steps/action.js';
import { task } from '../../../dsl/steps/task.js';
import { decide } from '../../../dsl/steps/decide.js';
import { wait } from '../../../dsl/steps/wait.js';
import { parallel } from '../../../dsl/steps/parallel.js';
import { subprocess } from '../../../dsl/steps/subprocess.js';
import { end } from '../../../dsl/steps/end.js';

const schema = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../schema/process.schema.json'), 'utf8')) as {
  $defs: Record<string, { properties?: Record<string, unknown>; anyOf?: { $ref: string }[] }>;
};

const entry = (step: Record<string, unknown>, id = 'here', scope = ''): StepEntry => ({ id, path: `${scope}/steps/${id}`, step, scope });
const base: CompiledStepBase = { id: 'here', title: 'Here', scope: '' };
const compiling: StepCompile = { base, compileBranch: () => undefined };

/** Runs a kind's meaning checks with the checker's helpers replaced by recorders. */
function checked(kind: (typeof stepKindList)[number], step: Record<string, unknown>, context: CheckContext = {}) {
  const problems: UnlocatedProblem[] = [];
  const roles: string[] = [];
  const durations: string[] = [];
  const check: StepCheck = {
    entry: entry(step),
    context,
    report: (problem) => problems.push(problem),
    taskSteps: [],
    role: (name, at) => roles.push(`${String(name)} at ${at}`),
    duration: (value, at, _what, elapsedOnly) => value !== undefined && durations.push(`${String(value)} at ${at}${elapsedOnly ? ' (elapsed)' : ''}`),
  };
  kind.check(check);
  return { problems, roles, durations };
}

describe('the step kind table', () => {
  it('has a module for every step kind the schema knows, with the schema definition it names', () => {
    const known = (schema.$defs.step?.anyOf ?? []).map((ref) => ref.$ref.replace('#/$defs/', ''));
    expect(stepKindList.map((kind) => kind.schema).sort()).toEqual([...known].sort());
  });

  it('gives each kind exactly the keys its schema definition adds to the ones every step shares', () => {
    const shared = ['title', 'description', 'visits', 'then'];
    for (const kind of stepKindList) {
      const properties = Object.keys(schema.$defs[kind.schema]?.properties ?? {});
      expect(properties, kind.key).toContain(kind.key);
      expect([...kind.keys].sort(), kind.key).toEqual(properties.filter((key) => !shared.includes(key)).sort());
    }
  });

  it('finds a step kind by its one kind key, and none when a step has no kind key or several', () => {
    expect(kindOfStep({ decide: [] })).toBe(decide);
    expect(kindOfStep({ title: 'x' })).toBeUndefined();
    expect(kindOfStep({ action: 'a', task: {} })).toBeUndefined();
  });

  it('finds the module of a compiled step by its compiled kind, the word authors write', () => {
    expect(kindOfCompiled({ ...base, kind: 'decide', conditions: [], otherwise: 'x' })).toBe(stepKindModules.decide);
    expect(stepKindModules.decide.key).toBe('decide');
  });
});

describe('action steps', () => {
  it('declare a transition for a failure that goes to a step, and none for an escalation', () => {
    expect(action.edges(entry({ action: 'a', 'on-failure': 'retry-by-hand' }))).toEqual([{ target: 'retry-by-hand', path: '/steps/here/on-failure' }]);
    expect(action.edges(entry({ action: 'a', 'on-failure': { escalate: 'lead' } }))).toEqual([]);
  });

  it('report an activity the worker does not register, with the nearest name', () => {
    const { problems } = checked(action, { action: 'send-mial' }, { activities: new Set(['send-mail']) });
    expect(problems).toEqual([{ path: '/steps/here/action', code: 'ACTIVITY_UNKNOWN', message: 'step `here` calls activity `send-mial`, which the worker does not register; did you mean `send-mail`?' }]);
  });

  it('check their timeout and retry intervals as plain time and the escalation role', () => {
    const { durations, roles } = checked(action, { action: 'a', timeout: '5m', retry: { 'initial-interval': '1s' }, 'on-failure': { escalate: 'lead' } });
    expect(durations).toEqual(['5m at /steps/here/timeout (elapsed)', '1s at /steps/here/retry/initial-interval (elapsed)']);
    expect(roles).toEqual(['lead at /steps/here/on-failure/escalate']);
  });

  it('compile with the default timeout and retry policy when none is written', () => {
    const step: Source.ActionStep = { title: 'Here', action: 'send-mail', then: 'next' };
    expect(action.compile(step, compiling)).toEqual({
      ...base,
      kind: 'action',
      activity: 'send-mail',
      timeoutMs: 60_000,
      // No cap on attempts: retried for a day (an outage is waited out).
      retry: { giveUpAfterMs: 86_400_000, initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 60_000 },
      onFailure: { fail: true },
      next: 'next',
    });
  });

  it('draw a dotted line for a failure that goes to a step', () => {
    const step = action.compile({ title: 'Here', action: 'a', 'on-failure': 'fix' }, compiling);
    expect(action.graph.edges(step)).toEqual([{ from: 'here', to: 'fix', label: 'on failure', style: 'dotted' }]);
    expect(action.graph.endsBranch(step)).toBe(true);
  });
});

describe('task steps', () => {
  it('route their outcomes through `then`, which every kind shares, so they declare no edges of their own', () => {
    expect(task.edges(entry({ task: { role: 'agent', outcomes: ['done'] }, then: 'next' }))).toEqual([]);
  });

  it('report an outcome with nowhere to go', () => {
    const { problems, roles } = checked(task, { task: { role: 'agent', outcomes: ['fixed', 'not-fixed'] }, then: { fixed: 'close' } });
    expect(problems).toEqual([
      { path: '/steps/here/then', code: 'OUTCOME_NO_TRANSITION', message: 'step `here`: outcome `not-fixed` has nowhere to go; add `not-fixed: <step>` or `otherwise: <step>` under `then`' },
    ]);
    expect(roles).toEqual(['agent at /steps/here/task/role']);
  });

  it('carry their due time, instructions, assignee and approved amount as templates', () => {
    const body = { due: '${params.window}', instructions: 'Call ${input.name}', 'assign-to': '${data.dispatch.technician.id}', approval: { amount: '${input.order.amount}' } };
    expect(task.expressions(entry({ task: body })).map((site) => `${site.as} ${site.path}`)).toEqual([
      'template /steps/here/task/due',
      'template /steps/here/task/instructions',
      'template /steps/here/task/assign-to',
      'template /steps/here/task/approval/amount',
    ]);
  });

  it('compile who may complete them: the person assigned, four eyes, the amount approved', () => {
    const step: Source.TaskStep = {
      title: 'Here',
      task: { role: 'manager', outcomes: ['approved', 'rejected'], 'assign-to': '${data.owner}', 'not-by': ['apply'], approval: { amount: '${input.amount}', outcomes: ['approved'] } },
      then: 'next',
    };
    expect(task.compile(step, compiling)).toMatchObject({ assignTo: '${data.owner}', notBy: ['apply'], approval: { amount: '${input.amount}', outcomes: ['approved'] } });
  });

  it('refuse `not-by` naming the step itself or a step that is not a task, and both kinds of assignment', () => {
    const { problems } = checked(task, { task: { role: 'agent', outcomes: ['ok'], assign: 'owner', 'assign-to': '${data.x}', 'not-by': ['here', 'notify'], approval: { amount: '${input.amount}', outcomes: ['nope'] } }, then: 'next' });
    expect(problems.map((p) => `${p.code} ${p.path}`)).toEqual([
      'TASK_RULE_INVALID /steps/here/task/assign-to',
      'TASK_RULE_INVALID /steps/here/task/not-by/0',
      'TASK_RULE_INVALID /steps/here/task/not-by/1',
      'OUTCOME_UNKNOWN /steps/here/task/approval/outcomes/0',
    ]);
  });

  it('compile `then` into outcome transitions, keeping `otherwise` apart', () => {
    const step: Source.TaskStep = { title: 'Here', task: { role: 'agent', outcomes: ['fixed', 'not-fixed'], assign: 'owner' }, then: { fixed: 'close', otherwise: 'retry' } };
    expect(task.compile(step, compiling)).toEqual({ ...base, kind: 'task', role: 'agent', assignToOwner: true, outcomes: ['fixed', 'not-fixed'], next: { byOutcome: { fixed: 'close' }, otherwise: 'retry' } });
  });

  it('finish a branch when one of their outcomes has no route', () => {
    const step = task.compile({ title: 'Here', task: { role: 'agent', outcomes: ['a', 'b'] }, then: { a: 'x' } }, compiling);
    expect(task.graph.endsBranch(step)).toBe(true);
    expect(task.graph.edges(step)).toEqual([{ from: 'here', to: 'x', label: 'a' }]);
  });
});

describe('decide steps', () => {
  it('declare `otherwise` and each condition\'s target, with pointers into the list', () => {
    expect(decide.edges(entry({ decide: [{ when: 'true', then: 'a' }, { when: 'false', then: 'b' }], otherwise: 'c' }))).toEqual([
      { target: 'c', path: '/steps/here/otherwise' },
      { target: 'a', path: '/steps/here/decide/0/then' },
      { target: 'b', path: '/steps/here/decide/1/then' },
    ]);
  });

  it('carry each `when` as a condition the checker must parse', () => {
    expect(decide.expressions(entry({ decide: [{ when: 'input.amount > 1000', then: 'a' }], otherwise: 'c' }))).toEqual([{ value: 'input.amount > 1000', path: '/steps/here/decide/0/when', as: 'condition' }]);
  });

  it('route by themselves, so they never need `then` and never finish a branch', () => {
    expect(decide.flow).toBe('routes');
    const step = decide.compile({ title: 'Here', decide: [{ when: 'true', then: 'a' }], otherwise: 'b' }, compiling);
    expect(step).toEqual({ ...base, kind: 'decide', conditions: [{ when: 'true', then: 'a' }], otherwise: 'b' });
    expect(decide.graph.endsBranch(step)).toBe(false);
  });

  it('have no meaning checks of their own beyond their targets and conditions', () => {
    expect(checked(decide, { decide: [{ when: 'x', then: 'a' }], otherwise: 'b' }).problems).toEqual([]);
  });
});

describe('wait steps', () => {
  it('report an empty `wait:` mapping, which waits for nothing', () => {
    expect(checked(wait, { wait: {} }).problems).toEqual([{ path: '/steps/here/wait', code: 'SCHEMA_REQUIRED', message: 'step `here`: `wait` needs `for: <duration>` or `until: <time>`' }]);
  });

  it('check a duration written directly or under `for`', () => {
    expect(checked(wait, { wait: '3 days' }).durations).toEqual(['3 days at /steps/here/wait']);
    expect(checked(wait, { wait: { for: '2h' } }).durations).toEqual(['2h at /steps/here/wait/for']);
  });

  it('compile `wait: <duration>` as a wait for that duration', () => {
    expect(wait.compile({ title: 'Here', wait: '30s', then: 'next' }, compiling)).toEqual({ ...base, kind: 'wait', for: { kind: 'elapsed', ms: 30_000, text: '30s' }, next: 'next' });
  });

  it('declare no edges beyond `then`', () => {
    expect(wait.edges(entry({ wait: '1h', then: 'x' }))).toEqual([]);
  });
});

describe('parallel steps', () => {
  it('hold their branches as documents of their own', () => {
    const branches = { a: { steps: { one: { title: 'One', end: 'x' } } }, b: { steps: {} } };
    expect(parallel.branches?.({ parallel: branches })).toEqual(Object.entries(branches));
    expect(parallel.edges(entry({ parallel: branches }))).toEqual([]);
  });

  it('compile their branch steps before themselves, each branch starting at its first step unless told', () => {
    const compiled: string[] = [];
    const step: Source.ParallelStep = { title: 'Here', parallel: { a: { steps: { one: { title: 'One', wait: '1h' } } }, b: { start: 'three', steps: { two: { title: 'Two', wait: '1h' }, three: { title: 'Three', wait: '1h' } } } }, then: 'next' };
    const result = parallel.compile(step, { base, compileBranch: (_steps, scope) => compiled.push(scope) });
    expect(compiled).toEqual(['here/a', 'here/b']);
    expect(result).toEqual({ ...base, kind: 'parallel', branches: [{ name: 'a', start: 'one' }, { name: 'b', start: 'three' }], next: 'next' });
    expect(parallel.graph.branches?.(result)).toEqual(result.branches);
  });

  it('have no meaning checks of their own: their steps are checked in their branches', () => {
    expect(checked(parallel, { parallel: {} }).problems).toEqual([]);
  });
});

describe('subprocess steps', () => {
  it('report a process no definition provides', () => {
    const { problems } = checked(subprocess, { subprocess: 'repiar' }, { processes: new Map([['repair', { outcomes: ['repaired'] }]]) });
    expect(problems).toEqual([{ path: '/steps/here/subprocess', code: 'SUBPROCESS_UNKNOWN', message: 'step `here` opens a case of process `repiar`, which no definition provides; did you mean `repair`?' }]);
  });

  it('report a route for an outcome the child process never ends with', () => {
    const { problems } = checked(subprocess, { subprocess: 'repair', then: { repaired: 'a', scrapped: 'b' } }, { processes: new Map([['repair', { outcomes: ['repaired'] }]]) });
    expect(problems.map((p) => `${p.code} ${p.path}`)).toEqual(['OUTCOME_UNKNOWN /steps/here/then/scrapped']);
  });

  it('carry `with:` as a mapping of templates', () => {
    expect(subprocess.expressions(entry({ subprocess: 'repair', with: { order: '${input.order}' } }))).toEqual([{ value: { order: '${input.order}' }, path: '/steps/here/with', as: 'mapping' }]);
  });

  it('compile `then: <step>` as the transition for every outcome', () => {
    expect(subprocess.compile({ title: 'Here', subprocess: 'repair', then: 'next' }, compiling)).toEqual({ ...base, kind: 'subprocess', process: 'repair', next: { byOutcome: {}, otherwise: 'next' } });
  });

  it('finish a branch only when no `otherwise` route is left', () => {
    const step = subprocess.compile({ title: 'Here', subprocess: 'repair', then: 'next' }, compiling);
    expect(subprocess.graph.endsBranch(step)).toBe(false);
    expect(subprocess.graph.edges(step)).toEqual([{ from: 'here', to: 'next' }]);
  });
});

describe('end steps', () => {
  it('end the case, so they declare no transitions and need no `then`', () => {
    expect(end.flow).toBe('ends');
    expect(end.edges(entry({ end: 'resolved' }))).toEqual([]);
  });

  it('compile to their outcome and are drawn with it', () => {
    const step = end.compile({ title: 'Here', end: 'resolved' }, compiling);
    expect(step).toEqual({ ...base, kind: 'end', outcome: 'resolved' });
    expect(end.graph.subtitle(step)).toBe('outcome: resolved');
    expect(end.graph.mermaidClass).toBe('finish');
  });

  it('have no meaning checks of their own: an end step in a branch is found by the checker, which knows the scope', () => {
    expect(checked(end, { end: 'resolved' }).problems).toEqual([]);
  });
});

describe('every kind', () => {
  it('draws a Mermaid node that holds its label, and has a Graphviz shape', () => {
    for (const kind of stepKindList) {
      expect(kind.graph.mermaid('LABEL'), kind.key).toContain('"LABEL"');
      expect(kind.graph.dot.length, kind.key).toBeGreaterThan(0);
    }
  });

  it('compiles to a step whose compiled kind finds the same module again', () => {
    const samples: Record<string, Source.Step> = {
      action: { title: 'A', action: 'a' },
      task: { title: 'T', task: { role: 'r', outcomes: ['done'] } },
      decide: { title: 'D', decide: [{ when: 'true', then: 'x' }], otherwise: 'y' },
      wait: { title: 'W', wait: '1h' },
      parallel: { title: 'P', parallel: {} },
      subprocess: { title: 'S', subprocess: 'child' },
      end: { title: 'E', end: 'done' },
    };
    for (const kind of stepKindList) {
      const compiled: CompiledStep = kind.compile(samples[kind.key] as Source.Step, compiling);
      expect(kindOfCompiled(compiled), kind.key).toBe(kind);
    }
  });
});
