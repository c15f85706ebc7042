/** Where a case is and what it waits for (workflows/case-state.ts). */
import { describe, expect, it } from 'vitest';
import { currentSteps, openTasks, TIMELINE_LIMIT } from '../../../workflows/case-state.js';
import { byId, caseWith, task, token } from './case-fixture.js';

describe('openTasks', () => {
  it('gives the open tasks only, in the order they were opened', () => {
    const state = caseWith({ tasks: byId([task('classify#1', { status: 'completed' }), task('inspect#1'), task('quote#1', { status: 'cancelled' }), task('quote#2')]) });
    expect(openTasks(state).map((t) => t.id)).toEqual(['inspect#1', 'quote#2']);
  });

  it('is empty for a case without tasks', () => {
    expect(openTasks(caseWith())).toEqual([]);
  });
});

describe('currentSteps', () => {
  it('is the step of the one running position of a case without branches', () => {
    expect(currentSteps(caseWith({ tokens: byId([token('root', 'classify', { wait: { kind: 'task', taskId: 'classify#1' } })]) }))).toEqual(['classify']);
  });

  it('gives the steps of the branches, sorted, rather than the parallel step waiting on them', () => {
    const tokens = byId([
      token('root', 'checks', { wait: { kind: 'branches', children: ['a', 'b'] } }),
      token('a', 'quote', { parent: 'root', branch: 'commercial', wait: { kind: 'task', taskId: 'quote#1' } }),
      token('b', 'inspect', { parent: 'root', branch: 'technical' }),
    ]);
    expect(currentSteps(caseWith({ tokens }))).toEqual(['inspect', 'quote']);
  });

  it('leaves out finished positions and a branch that waits on branches of its own', () => {
    const tokens = byId([
      token('root', 'checks', { wait: { kind: 'branches', children: ['a', 'b'] } }),
      token('a', 'inner', { parent: 'root', wait: { kind: 'branches', children: ['a1'] } }),
      token('a1', 'inspect', { parent: 'a', wait: { kind: 'timer', until: 0 } }),
      token('b', 'quote', { parent: 'root', done: true }),
    ]);
    expect(currentSteps(caseWith({ tokens }))).toEqual(['inspect']);
  });

  it('names a step once even when two positions are in it', () => {
    const tokens = byId([token('a', 'quote'), token('b', 'quote'), token('c', 'classify')]);
    expect(currentSteps(caseWith({ tokens }))).toEqual(['classify', 'quote']);
  });

  it('is empty when every position is done', () => {
    expect(currentSteps(caseWith({ tokens: byId([token('root', 'resolved', { done: true })]) }))).toEqual([]);
  });
});

describe('TIMELINE_LIMIT', () => {
  it('keeps the last 500 timeline entries in the workflow', () => {
    expect(TIMELINE_LIMIT).toBe(500);
  });
});
