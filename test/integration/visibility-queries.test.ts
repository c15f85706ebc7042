/**
 * The visibility queries of docs/operators.md work as written: each one, read from the
 * document's `sql` blocks, runs on the real dev server (SQLite visibility, our search
 * attributes), and finds exactly the cases it promises among a few cases this file opens —
 * waiting on a department, an agent and a manager, one of them cancelled.
 *
 * The dev server is shared with other test files, so each query is scoped to this file's task
 * queue (`(<query>) AND TaskQueue = "..."`); the query itself is the document's, unchanged.
 */
import { testClient } from '../helpers/env.js';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection, type WorkflowExecutionInfo } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AftercareClient } from '../../client/index.js';
import { DefinitionRegistry } from '../../dsl/load/registry.js';
import { projectRoot } from '../../worker/config.js';
import { createWorker } from '../../worker/worker.js';
import { eventually, openTaskOf } from '../helpers/cases.js';
import { actors, definitionsDir, fixtureProcessesDir, testDatabase, uniqueName, workflowBundle, type TestDatabase } from '../helpers/env.js';

const guide = path.join(projectRoot, 'docs', 'operators.md');
const readme = path.join(projectRoot, 'README.md');

/** The queries of the guide's (and the README's) ```sql blocks: one per line, `--` lines being their captions. */
async function documentedQueries(): Promise<string[]> {
  const text = (await fs.readFile(guide, 'utf8')) + (await fs.readFile(readme, 'utf8'));
  const blocks = [...text.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks.flatMap((block) =>
    block
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('--')),
  );
}

/**
 * The cases each documented query must find among this file's cases (by their role below).
 * `clock` marks queries comparing with a written-out time: what they find depends on today's
 * date, so only that they run is checked.
 */
type Key = 'department' | 'agent' | 'manager' | 'cancelled';
const expected: Record<string, Key[] | 'clock'> = {
  'CaseStatus = "open" AND WaitingOnRoles = "manager"': ['manager'],
  'Process = "complaint" AND CaseStatus = "open" AND WaitingOnRoles = "manager"': [],
  'CaseStatus = "open" AND WaitingOnRoles IN ("supervisor", "manager")': ['manager'],
  'CaseStatus = "open" AND Assignees = "li.na"': ['agent'],
  'CaseStatus = "open" AND CaseOwner = "li.na"': ['agent', 'manager'],
  'CaseStatus = "open" AND WaitingOnRoles = "department" AND Assignees IS NULL': ['department'],
  'CaseStatus = "open" AND CurrentSteps = "answer"': ['department'],
  'Process = "repair" AND CaseStatus = "open" AND CurrentSteps = "appointment"': [],
  'CustomerId = "M-20931"': ['department', 'cancelled'],
  'CaseId = "P-1001"': [],
  'CaseId STARTS_WITH "P-"': ['department', 'cancelled'],
  'CaseStatus = "open" AND Priority = "high"': ['agent', 'manager'],
  'Process = "passed-on-question" AND CaseStatus = "open" AND DefinitionVersion < 3': ['department'],
  'Process = "passed-on-question" AND StartTime > "2026-11-01T00:00:00Z"': 'clock',
  'ParentWorkflowId = "C-1024"': [],
  'CaseStatus = "open" AND SlaState = "breached"': [],
  'CaseStatus = "open" AND SlaState = "warning"': [],
  'CaseStatus = "open" AND SlaDeadline < "2026-11-26T10:00:00Z"': 'clock',
  'CaseStatus = "open" AND NextDueAt < "2026-11-26T10:00:00Z"': 'clock',
  'SlaDeadline BETWEEN "2026-11-26T08:00:00Z" AND "2026-11-26T18:00:00Z"': 'clock',
  'CaseStatus = "closed" AND CaseOutcome = "rejected"': [],
  'CustomerId = "M-20931" AND CaseOutcome = "cancelled"': ['cancelled'],
  'CaseStatus = "closed" AND SlaState = "breached"': [],
  'CaseStatus = "failed"': [],
  'CaseId IS NOT NULL AND ExecutionStatus = "Failed"': [],
};

describe('the visibility queries of the operators guide', () => {
  let db: TestDatabase;
  let worker: Worker;
  let running: Promise<void>;
  let temporal: Client;
  let client: AftercareClient;
  const connections: { close(): Promise<unknown> }[] = [];
  const taskQueue = uniqueName('visibility');
  const cases: Record<Key, string> = {
    department: uniqueName('P'),
    agent: uniqueName('T-agent'),
    manager: uniqueName('T-manager'),
    cancelled: uniqueName('P'),
  };
  const keyOf = new Map(Object.entries(cases).map(([key, id]) => [id, key as Key]));

  /** The cases of this file a query finds, by their role in this file. */
  async function found(query: string): Promise<Key[]> {
    const keys: Key[] = [];
    for await (const info of temporal.workflow.list({ query: `(${query}) AND TaskQueue = "${taskQueue}"` }) as AsyncIterable<WorkflowExecutionInfo>) {
      keys.push(keyOf.get(info.workflowId) ?? (info.workflowId as Key));
    }
    return keys.sort();
  }

  /** Lists the first page of an unscoped query, as the Web UI does. */
  async function firstPage(query: string): Promise<void> {
    for await (const _ of temporal.workflow.list({ query, pageSize: 1 })) break;
  }

  beforeAll(async () => {
    db = await testDatabase();
    const address = inject('temporalAddress');
    const nativeConnection = await NativeConnection.connect({ address });
    const connection = await Connection.connect({ address });
    connections.push(nativeConnection, connection);
    worker = await createWorker({ connection: nativeConnection, namespace: 'default', taskQueue, pool: db.pool, workflowBundle: await workflowBundle() });
    running = worker.run();
    temporal = new Client({ connection, namespace: 'default' });
    const registry = await DefinitionRegistry.load([
      path.join(definitionsDir, 'passed-on-question.yaml'),
      path.join(fixtureProcessesDir, 'every-step.yaml'),
      path.join(fixtureProcessesDir, 'child-process.yaml'),
    ]);
    client = await testClient(temporal, registry, { taskQueue });

    const question = (caseId: string) =>
      client.openCase('passed-on-question', { customer: { id: 'M-20931', name: 'Wang Li', phone: '138-0013-8000' }, question: 'Can the dryer be stacked on the washer?' }, { caseId });
    await question(cases.department);
    await question(cases.cancelled);
    // every-step: the review goes to the case owner (assign: owner); 4200 makes it high priority.
    for (const caseId of [cases.agent, cases.manager]) {
      await client.openCase('every-step', { customer: { id: 'M-55555', name: 'Sun Hui' }, amount: 4200 }, { caseId, owner: actors.agent.id });
    }
    await openTaskOf(client, cases.manager, 'review');
    await client.completeTask(cases.manager, 'review', { outcome: 'ask-manager', actor: actors.agent });
    await openTaskOf(client, cases.manager, 'manager-review');
    await openTaskOf(client, cases.agent, 'review');
    await openTaskOf(client, cases.department, 'answer');
    await openTaskOf(client, cases.cancelled, 'answer');
    await client.cancelCase(cases.cancelled, 'the customer found the answer', actors.agent);
    // Visibility trails the cases by a second or so: wait until it shows the last changes.
    await eventually(async () => ((await found('CaseStatus = "open" AND WaitingOnRoles = "manager"')).includes('manager') && (await found('CaseOutcome = "cancelled"')).includes('cancelled') ? true : undefined), 'visibility to catch up');
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    for (const connection of connections) await connection.close();
    await db?.close();
  });

  it('has an expectation for every query in the guide, and the guide has every query expected', async () => {
    const queries = [...new Set(await documentedQueries())];
    expect(queries.length).toBeGreaterThan(10);
    expect([...queries].sort()).toEqual(Object.keys(expected).sort());
  });

  it('runs every documented query and finds exactly the cases it promises', async () => {
    const queries = await documentedQueries();
    const sorted = Object.fromEntries(Object.entries(expected).map(([query, keys]) => [query, keys === 'clock' ? keys : [...keys].sort()]));
    // Polled: visibility is eventually consistent, a query may run before the last upsert shows.
    await expect
      .poll(
        async () => {
          const results: Record<string, Key[] | 'clock'> = {};
          for (const query of queries) {
            const keys = await found(query);
            results[query] = expected[query] === 'clock' ? 'clock' : keys;
          }
          return results;
        },
        { timeout: 10_000, interval: 500 },
      )
      .toEqual(sorted);
  });

  it('gives the same answer through listCases as in the Web UI search box', async () => {
    // The client's filter builds the guide's query; the task queue keeps other files' cases out.
    expect(AftercareClient.queryFor({ status: 'open', owner: 'li.na' })).toBe(`CaseId IS NOT NULL AND CaseStatus = 'open' AND CaseOwner = 'li.na'`);
    const listed = await client.listCases({ status: 'open', owner: 'li.na', query: `TaskQueue = "${taskQueue}"` });
    expect(listed.map((c) => c.caseId).sort()).toEqual([cases.agent, cases.manager].sort());
    expect(listed.find((c) => c.caseId === cases.manager)).toMatchObject({ process: 'every-step', status: 'open', currentSteps: ['manager-review'], waitingOnRoles: ['manager'], priority: 'high', owner: 'li.na' });
    // As the guide says: a cancelled case is a Completed workflow; its end is in CaseOutcome.
    const [closed] = await client.listCases({ query: `CaseId = '${cases.cancelled}'` });
    expect(closed).toMatchObject({ status: 'closed', outcome: 'cancelled', workflowStatus: 'COMPLETED', currentSteps: [], waitingOnRoles: [] });
  });

  it('refuses what the guide says does not work on the dev server: ORDER BY and LIKE', async () => {
    // Unscoped (ORDER BY must end the query); the server's reason is in the gRPC error's details.
    const attempt = (query: string) =>
      firstPage(query).then(
        () => 'accepted',
        (error: Error & { cause?: { details?: string } }) => `refused: ${error.cause?.details ?? error.message}`,
      );
    expect(await attempt(`TaskQueue = "${taskQueue}" ORDER BY StartTime DESC`)).toMatch(/^refused: .*order by/i);
    expect(await attempt(`TaskQueue = "${taskQueue}" AND CaseId LIKE "P-%"`)).toMatch(/^refused: .*like/i);
    expect(await attempt(`TaskQueue = "${taskQueue}"`)).toBe('accepted');
  });
});
