/**
 * When a waiting caller is answered (workflows/transitions/progress.ts) and which waits the
 * `waitForTasks` validator refuses (workflows/task-rules.ts checkWait).
 */
import { describe, expect, it } from 'vitest';
import { checkWait, Rejection } from '../../../workflows/task-rules.js';
import { MAX_WAIT_MS } from '../../../workflows/messages.js';
import { caseProgress, hasSettled, taskStepIds, waitReached } from '../../../workflows/transitions/progress.js';
import { byId, caseWith, process, task, token } from '../rules/case-fixture.js';

const atClassify = (status: 'open' | 'completed') =>
  caseWith({ tokens: byId([token('root', 'classify', { wait: { kind: 'task', taskId: 'classify#1' } })]), tasks: byId([task('classify#1', { status })]) });

describe('hasSettled', () => {
  it('holds while the case waits on an open task', () => {
    expect(hasSettled(atClassify('open'))).toBe(true);
  });

  it('does not hold between a completion and the case moving on', () => {
    expect(hasSettled(atClassify('completed'))).toBe(false);
  });

  it('does not hold while an action runs or a position computes', () => {
    expect(hasSettled(caseWith({ tokens: byId([token('root', 'classify', { wait: { kind: 'activity', activity: 'record-case' } })]) }))).toBe(false);
    expect(hasSettled(caseWith({ tokens: byId([token('root', 'classify')]) }))).toBe(false);
  });

  it('holds for timers and subprocesses, and for branches only when every branch has settled', () => {
    expect(hasSettled(caseWith({ tokens: byId([token('root', 'classify', { wait: { kind: 'timer', until: 0 } })]) }))).toBe(true);
    expect(hasSettled(caseWith({ tokens: byId([token('root', 'classify', { wait: { kind: 'subprocess', caseId: 'C-2' } })]) }))).toBe(true);
    const branches = (quoteWait: 'task' | 'activity') =>
      caseWith({
        tokens: byId([
          token('root', 'checks', { wait: { kind: 'branches', children: ['a', 'b'] } }),
          token('a', 'inspect', { parent: 'root', wait: { kind: 'task', taskId: 'inspect#1' } }),
          token('b', 'quote', { parent: 'root', wait: quoteWait === 'task' ? { kind: 'task', taskId: 'quote#1' } : { kind: 'activity', activity: 'notify' } }),
        ]),
        tasks: byId([task('inspect#1'), task('quote#1')]),
      });
    expect(hasSettled(branches('task'))).toBe(true);
    expect(hasSettled(branches('activity'))).toBe(false);
  });

  it('holds for a closed case', () => {
    expect(hasSettled(caseWith({ status: 'closed', tokens: byId([token('root', 'classify')]) }))).toBe(true);
  });
});

describe('waitReached and caseProgress', () => {
  it('waits for a named step until a task of it is open, and ends every wait when the case closes', () => {
    const state = atClassify('open');
    expect(waitReached(state, { stepId: 'classify', timeoutMs: 1 })).toBe(true);
    expect(waitReached(state, { stepId: 'inspect', timeoutMs: 1 })).toBe(false);
    expect(waitReached({ ...state, status: 'closed' }, { stepId: 'inspect', timeoutMs: 1 })).toBe(true);
  });

  it('waits for any task without caring whether the case settled', () => {
    const state = caseWith({ tokens: byId([token('root', 'classify', { wait: { kind: 'activity', activity: 'notify' } })]), tasks: byId([task('sla:reply#1')]) });
    expect(waitReached(state, { until: 'task', timeoutMs: 1 })).toBe(true);
    expect(waitReached(state, { timeoutMs: 1 })).toBe(false);
  });

  it('answers with the open tasks, the current steps and the outcome', () => {
    expect(caseProgress(atClassify('open'), true)).toEqual({ caseId: 'C-1', status: 'open', currentSteps: ['classify'], openTasks: [task('classify#1')], settled: true, reached: true });
    expect(caseProgress(caseWith({ status: 'closed', outcome: 'resolved' }), true)).toEqual({ caseId: 'C-1', status: 'closed', outcome: 'resolved', currentSteps: [], openTasks: [], settled: true, reached: true });
  });
});

describe('checkWait', () => {
  const refusal = (request: unknown) => {
    try {
      checkWait(atClassify('open'), process, request as never);
      return undefined;
    } catch (error) {
      return error instanceof Rejection ? { code: error.code, message: error.message } : error;
    }
  };

  it('names the steps with tasks, the SLA rungs that open one included', () => {
    expect(taskStepIds(process)).toEqual(['classify', 'inspect', 'quote']);
  });

  it('accepts a wait for a task step, for any task and for the case to settle', () => {
    expect(refusal({ stepId: 'inspect', timeoutMs: 30_000 })).toBeUndefined();
    expect(refusal({ until: 'task', timeoutMs: MAX_WAIT_MS })).toBeUndefined();
    expect(refusal({ timeoutMs: 1 })).toBeUndefined();
  });

  it('refuses a step that opens no task, and one the process does not have', () => {
    expect(refusal({ stepId: 'checks', timeoutMs: 1000 })).toEqual({
      code: 'STEP_OPENS_NO_TASK',
      message: 'step `checks` of process `complaint-handling` opens no task, so case C-1 cannot wait for its task; the steps with tasks are `classify`, `inspect`, `quote`',
    });
    expect(refusal({ stepId: 'clasify', timeoutMs: 1000 })).toEqual({
      code: 'STEP_OPENS_NO_TASK',
      message: 'process `complaint-handling` has no step "clasify", so case C-1 cannot wait for its task; the steps with tasks are `classify`, `inspect`, `quote`',
    });
  });

  it('refuses a timeout outside 1 ms to 10 minutes and an unknown kind of wait', () => {
    expect(refusal({ timeoutMs: 0 })).toEqual({ code: 'REQUEST_INVALID', message: 'a wait takes `timeoutMs` from 1 to 600000 (10 minutes), not 0' });
    expect(refusal({ timeoutMs: MAX_WAIT_MS + 1 })).toMatchObject({ code: 'REQUEST_INVALID' });
    expect(refusal({ until: 'forever', timeoutMs: 1000 })).toEqual({ code: 'REQUEST_INVALID', message: 'a wait is `until: settled` or `until: task`, not "forever"' });
  });
});
