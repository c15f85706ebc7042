/** Records carried by a case's own activity (engine revision 2) are written first, by the worker's record-case-history. */
import { describe, expect, it } from 'vitest';
import { withCarriedRecords } from '../../activities/carried-records.js';
import type { Activity, StepContext } from '../../model/activity-catalog/index.js';

const context = (stepId: string): StepContext => ({ caseId: 'C-1', process: 'complaint', version: 1, stepId, visit: 1, idempotencyKey: `C-1:${stepId}:1` });
const records = { context: context('history'), input: { entries: [{ seq: 0, type: 'case-opened', at: '2026-12-02T08:00:00.000Z' }], slaEvents: [] } };

function worker(calls: string[], failRecords = false): Record<string, Activity> {
  return withCarriedRecords({
    'record-case-history': (async (c: StepContext, input: unknown) => {
      if (failRecords) throw new Error('database unavailable');
      calls.push(`records ${c.stepId} ${JSON.stringify(input)}`);
      return { entries: 1, slaEvents: 0 };
    }) as Activity,
    'record-case': (async (c: StepContext, input: unknown) => {
      calls.push(`record-case ${c.stepId} ${JSON.stringify(input)}`);
      return { caseId: 'C-1' };
    }) as Activity,
  });
}

type Call = (context: StepContext, input?: unknown, carried?: unknown) => Promise<unknown>;

describe('withCarriedRecords', () => {
  it('writes the carried records before the activity runs, and returns what the activity returns', async () => {
    const calls: string[] = [];
    const run = worker(calls)['record-case'] as unknown as Call;
    expect(await run(context('record'), { details: {} }, records)).toEqual({ caseId: 'C-1' });
    expect(calls).toEqual([`records history ${JSON.stringify(records.input)}`, 'record-case record {"details":{}}']);
  });

  it('runs an activity called without records as it is', async () => {
    const calls: string[] = [];
    await (worker(calls)['record-case'] as unknown as Call)(context('record'), { details: {} });
    expect(calls).toEqual(['record-case record {"details":{}}']);
  });

  it('does not run the activity when its records cannot be written (the attempt fails and is retried)', async () => {
    const calls: string[] = [];
    await expect((worker(calls, true)['record-case'] as unknown as Call)(context('record'), {}, records)).rejects.toThrow('database unavailable');
    expect(calls).toEqual([]);
  });

  it('says so when the worker has nothing to write carried records with', async () => {
    const only = withCarriedRecords({ 'record-case': (async () => ({})) as Activity });
    await expect((only['record-case'] as unknown as Call)(context('record'), {}, records)).rejects.toThrow(/carries case records, but this worker has no record-case-history/);
  });
});
