/**
 * `defineActivity` against a real PostgreSQL (a fresh migrated database for this file): the
 * catalog check before anything runs, once per step visit for activities that write, the
 * plain transaction and the read-only pool for those that do not, and the lists by name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { activityCatalog, type StepContext } from '../../model/activity-catalog/index.js';
import { partsCatalog } from '../../model/activity-catalog/parts.js';
import { activitiesOf, defineActivity } from '../../activities/define.js';
import { activityDefinitions, createActivities } from '../../activities/index.js';
import { partsDefinitions } from '../../activities/parts/index.js';
import { invalidInput } from '../../activities/errors.js';
import { testDatabase, uniqueName, type TestDatabase } from '../helpers/env.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => {
  await db?.close();
});

function step(caseId: string, stepId = 'visit', visit = 1): StepContext {
  return { caseId, process: 'complaint', version: 1, stepId, visit, idempotencyKey: `${caseId}:${stepId}:${visit}` };
}

async function auditRows(caseId: string): Promise<{ event_key: string; event_type: string; actor: string | null; detail: unknown }[]> {
  return (await db.pool.query('SELECT event_key, event_type, actor, detail FROM case_events WHERE case_id = $1 ORDER BY event_key', [caseId])).rows;
}

/** A follow-up activity under test, counting how often its work ran. */
function countingFollowUp(runs: { count: number }) {
  return defineActivity('record-follow-up', {
    event: (input) => `follow-up-${input.subject}`,
    write: async ({ activity, context, input, client }) => {
      runs.count++;
      await client.query('SELECT 1');
      return { result: { followUpId: `${activity}:${context.stepId}`, round: runs.count }, detail: { satisfied: input.satisfied }, actor: 'li.na' };
    },
  });
}

describe('defineActivity', () => {
  it('refuses input its catalog schema refuses, naming the activity and the field, before the work runs', async () => {
    const runs = { count: 0 };
    const caseId = uniqueName('DEF');
    const run = countingFollowUp(runs)(db.pool);
    await expect(run(step(caseId), { subject: 'letter', satisfied: 'yes' })).rejects.toMatchObject({
      type: 'InvalidActivityInput',
      nonRetryable: true,
      message: expect.stringMatching(/^record-follow-up: .*`subject` must be one of `complaint`, `repair`, `exchange`, `return` or `question`, not `letter`.*`satisfied` must be true or false/),
    });
    expect(runs.count).toBe(0);
    expect(await auditRows(caseId)).toEqual([]);
  });

  it('writes once per step visit: the audit row carries the result, and a retry gets it back without running the work again', async () => {
    const runs = { count: 0 };
    const caseId = uniqueName('DEF');
    const run = countingFollowUp(runs)(db.pool);
    const first = await run(step(caseId), { subject: 'repair', satisfied: true, notes: null });
    expect(first).toEqual({ followUpId: 'record-follow-up:visit', round: 1 });
    expect(await run(step(caseId), { subject: 'repair', satisfied: true })).toEqual(first);
    expect(runs.count).toBe(1);
    expect(await auditRows(caseId)).toEqual([
      { event_key: `${caseId}:visit:1:follow-up-repair`, event_type: 'follow-up-repair', actor: 'li.na', detail: { activity: 'record-follow-up', satisfied: true, result: first } },
    ]);
    expect(await run(step(caseId, 'visit', 2), { subject: 'repair', satisfied: false })).toEqual({ followUpId: 'record-follow-up:visit', round: 2 });
  });

  it('refuses a call without its step context when the activity writes', async () => {
    const run = countingFollowUp({ count: 0 })(db.pool);
    await expect(run(undefined as never, { subject: 'repair', satisfied: true })).rejects.toMatchObject({
      type: 'InvalidActivityInput',
      message: 'record-follow-up: the step context (caseId, stepId, idempotencyKey) is missing: activities are called by the engine with it',
    });
  });

  it('runs `check` on the checked input, with defaults filled, before any transaction', async () => {
    const seen: unknown[] = [];
    const caseId = uniqueName('DEF');
    const run = defineActivity('ship-replacement', {
      check: (input, activity) => {
        seen.push(input.quantity);
        throw invalidInput(activity, 'no shipments today');
      },
      event: 'replacement-shipped',
      write: async () => {
        throw new Error('the work must not run');
      },
    })(db.pool);
    await expect(run(step(caseId), { partNo: 'WM-7KG', customer: { id: 'M-1', name: 'Wang Li' }, address: 'Beijing' })).rejects.toMatchObject({ message: 'ship-replacement: no shipments today' });
    expect(seen).toEqual([1]);
    expect(await auditRows(caseId)).toEqual([]);
  });

  it('rolls back what a `transaction` activity wrote when it throws, and writes no audit row of its own when it succeeds', async () => {
    const caseId = uniqueName('DEF');
    const insert = (client: pg.PoolClient, type: string) =>
      client.query(`INSERT INTO case_events (event_key, case_id, step_id, event_type, detail) VALUES ($1, $2, 's', $3, '{}')`, [`${caseId}:${type}`, caseId, type]);
    const failing = defineActivity('record-case-history', {
      transaction: async ({ client }) => {
        await insert(client, 'first');
        throw new Error('the second row failed');
      },
    })(db.pool);
    await expect(failing(step(caseId), {})).rejects.toThrow('the second row failed');
    expect(await auditRows(caseId)).toEqual([]);
    const passing = defineActivity('record-case-history', {
      transaction: async ({ client }) => {
        await insert(client, 'only');
        return { entries: 1, slaEvents: 0 };
      },
    })(db.pool);
    expect(await passing(step(caseId), {})).toEqual({ entries: 1, slaEvents: 0 });
    expect((await auditRows(caseId)).map((r) => r.event_type)).toEqual(['only']);
  });

  it('uses the activity’s own `input` check instead of the catalog schema when it has one', async () => {
    const run = defineActivity('record-case', {
      input: (raw) => ({ summary: `checked: ${JSON.stringify(raw)}` }),
      transaction: async ({ input, context }) => ({ caseId: context.caseId, recordedAt: input.summary ?? '' }),
    })(db.pool);
    expect(await run(step('DEF-OWN'), { unknownKey: 1 })).toEqual({ caseId: 'DEF-OWN', recordedAt: 'checked: {"unknownKey":1}' });
  });

  it('gives a `read` activity the pool and no step context check, and writes no audit row', async () => {
    const run = defineActivity('find-disposable-parts', {
      read: async ({ pool, input }) => {
        const n = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM parts')).rows[0]?.n);
        return { parts: [], count: n > 0 ? (input.reasons?.length ?? 0) : -1 };
      },
    })(db.pool);
    expect(await run(undefined as never, { reasons: ['damaged', 'expired'] })).toEqual({ parts: [], count: 2 });
  });
});

describe('the lists of defined activities', () => {
  it('name every catalog activity once, and are registered under those names', () => {
    const names = activityDefinitions.map((definition) => definition.activity);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(Object.keys(activityCatalog).sort());
    const activities = createActivities(db.pool);
    expect(Object.keys(activities).sort()).toEqual(Object.keys(activityCatalog).sort());
    for (const name of names) expect(typeof activities[name]).toBe('function');
  });

  it('bind each definition to the pool under its own name', () => {
    const parts = activitiesOf(db.pool, partsDefinitions);
    expect(Object.keys(parts).sort()).toEqual(Object.keys(partsCatalog).sort());
    // @ts-expect-error -- a list without refund does not give every parts activity
    const missing: Record<keyof typeof partsCatalog, unknown> = activitiesOf(db.pool, partsDefinitions.filter((d) => d.activity !== 'refund') as unknown as readonly Exclude<(typeof partsDefinitions)[number], { activity: 'refund' }>[]);
    expect(Object.keys(missing)).not.toContain('refund');
  });
});
