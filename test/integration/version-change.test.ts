/**
 * Pinned definitions on the real thing (dev server + PostgreSQL): a process owner edits the
 * YAML of a process while one of its cases waits at a human task, the worker is stopped and a
 * new one started, and services load the edited folder. The waiting case finishes on the
 * definition it was opened with — the file it came from no longer exists — while cases opened
 * afterwards run the edited one.
 *
 * The case carries its definition in its workflow arguments (`CaseArgs.pinned`, see
 * dsl/load/registry.ts `pin()`), so nothing the worker or the folder holds later can reach it.
 */
import { testClient } from '../helpers/env.js';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { type AftercareClient, RequestRejectedError } from '../../client/index.js';
import { DefinitionRegistry } from '../../dsl/load/registry.js';
import { createWorker } from '../../worker/worker.js';
import { DefinitionVersionKey } from '../../workflows/search-attributes.js';
import { eventually, openTaskOf } from '../helpers/cases.js';
import { actors, definitionsDir, testDatabase, uniqueName, workflowBundle, type TestDatabase } from '../helpers/env.js';

const processName = 'passed-on-question';
const fileName = `${processName}.yaml`;

/** Replaces `from` in a definition's text, failing loudly if the edit no longer applies. */
function edit(text: string, from: string | RegExp, to: string): string {
  if (typeof from === 'string' ? !text.includes(from) : !from.test(text)) throw new Error(`the edit expects \`${from}\` in ${fileName}; the shipped definition changed, update this test`);
  return text.replace(from, to);
}

/**
 * The process owner's edit: the department may now say a visit is needed, and an answered
 * question gets a new step — the agent confirms the reply reached the customer — before the
 * follow-up window.
 */
function editedDefinition(original: string, version: number): string {
  let text = edit(original, 'version: 1\n', `version: ${version}\n`);
  text = edit(text, '      outcomes: [answered]\n', '      outcomes: [answered, visit-needed]\n');
  text = edit(
    text,
    '      save-as: reply\n    then: wait-for-follow-up\n',
    [
      '      save-as: reply',
      '    then:',
      '      answered: confirm-reply',
      '      visit-needed: visit-booked',
      '',
      '  confirm-reply:',
      '    title: Confirm the reply reached the customer',
      '    task:',
      '      role: agent',
      '      outcomes: [confirmed]',
      '    then: wait-for-follow-up',
      '',
    ].join('\n'),
  );
  return `${text.trimEnd()}\n\n  visit-booked:\n    title: A technician visit was booked instead\n    end: visit-booked\n`;
}

const input = { customer: { id: 'M-7001', name: 'Zhou Min', phone: '137-0000-0001' }, question: 'Why does the fridge click at night?' };
const reply = { reply: 'The defrost timer clicks; that is normal.' };
const parameters = { followUpWindow: '1s' };

let db: TestDatabase;
let address: string;
let connections: { close(): Promise<unknown> }[] = [];

/** A worker and a client for the definitions in `folder`, as a fresh deployment would have them. */
async function deployment(folder: string, taskQueue: string) {
  const registry = await DefinitionRegistry.load([folder]);
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await createWorker({ connection: nativeConnection, namespace: 'default', taskQueue, pool: db.pool, workflowBundle: await workflowBundle() });
  const connection = await Connection.connect({ address });
  connections.push(connection, nativeConnection);
  const client = await testClient(new Client({ connection, namespace: 'default' }), registry, { taskQueue });
  return { registry, worker, client };
}

/** The step ids the case entered, in order, from its timeline. */
async function stepsEntered(client: AftercareClient, caseId: string): Promise<string[]> {
  return (await client.getCase(caseId)).timeline.filter((e) => e.type === 'step-entered').map((e) => e.step ?? '?');
}

/** The DefinitionVersion search attribute as Temporal visibility lists it (a second or so behind). */
function listedVersion(client: AftercareClient, caseId: string, expected: number): Promise<number> {
  return eventually(async () => {
    const [found] = await client.listCases({ query: `CaseId = '${caseId}'` });
    return found?.version === expected ? found.version : undefined;
  }, `case ${caseId} to be listed with DefinitionVersion ${expected}`);
}

/**
 * A folder holding only the shipped passed-on question, as a process owner's working copy of a
 * new process: numbered version 1 whatever version it ships as (the folder has no published.json).
 */
async function workingCopy(): Promise<{ folder: string; file: string; original: string }> {
  const folder = path.join(inject('scratchDir'), uniqueName('definitions'));
  await fs.mkdir(folder, { recursive: true });
  const shipped = await fs.readFile(path.join(definitionsDir, fileName), 'utf8');
  const original = edit(shipped, /^version: \d+$/m, 'version: 1');
  const file = path.join(folder, fileName);
  await fs.writeFile(file, original);
  return { folder, file, original };
}

beforeAll(async () => {
  db = await testDatabase();
  address = inject('temporalAddress');
});
afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  connections = [];
  await db?.close();
});

describe('a case whose definition is edited while it runs', () => {
  it('finishes on its original version after the YAML is replaced by version 2 and the worker restarted; new cases run version 2', async () => {
    const { folder, file, original } = await workingCopy();
    const taskQueue = uniqueName('versions');
    const oldCaseId = uniqueName('Q-old');
    const newCaseId = uniqueName('Q-new');

    // Version 1 deployed: the case opens and stops at the department's task.
    const before = await deployment(folder, taskQueue);
    const v1 = before.registry.get(processName);
    expect(v1.compiled.version).toBe(1);
    await before.worker.runUntil(async () => {
      const opened = await before.client.openCase(processName, input, { caseId: oldCaseId, parameters });
      expect(opened).toMatchObject({ version: 1, definitionHash: v1.hash, created: true });
      await openTaskOf(before.client, oldCaseId, 'answer');
    });
    // runUntil resolved: that worker is shut down. The case waits with no worker at all.

    // The process owner replaces the file with version 2; version 1 is gone from disk.
    await fs.writeFile(file, editedDefinition(original, 2));
    const after = await deployment(folder, taskQueue);
    const v2 = after.registry.get(processName);
    expect(v2.compiled.version).toBe(2);
    expect(v2.hash).not.toBe(v1.hash);
    expect(() => after.registry.get(processName, 1)).toThrow(/passed-on-question@1/);

    await after.worker.runUntil(async () => {
      const client = after.client;

      // The old case still offers only version 1's outcome: version 2's is refused.
      const waiting = await client.getCase(oldCaseId);
      expect(waiting).toMatchObject({ version: 1, hash: v1.hash, status: 'open' });
      expect(waiting.tasks['answer#1']).toMatchObject({ status: 'open', outcomes: ['answered'] });
      const refused = await client.completeTask(oldCaseId, 'answer', { outcome: 'visit-needed', actor: actors.department }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(RequestRejectedError);
      expect(refused).toMatchObject({ code: 'OUTCOME_NOT_OFFERED' });

      // ...and goes straight from the answer to the follow-up window, without version 2's new step.
      await client.completeTask(oldCaseId, 'answer', { outcome: 'answered', data: reply, actor: actors.department });
      expect(await client.result(oldCaseId)).toMatchObject({ outcome: 'answered' });
      expect(await stepsEntered(client, oldCaseId)).toEqual(['record', 'answer', 'wait-for-follow-up', 'answered']);
      expect(await client.getCase(oldCaseId)).toMatchObject({ version: 1, hash: v1.hash, status: 'closed', outcome: 'answered' });
      expect(await listedVersion(client, oldCaseId, 1)).toBe(1);

      // A case opened now runs version 2: two outcomes, and the new confirmation step.
      const opened = await client.openCase(processName, input, { caseId: newCaseId, parameters });
      expect(opened).toMatchObject({ version: 2, definitionHash: v2.hash });
      expect(await openTaskOf(client, newCaseId, 'answer')).toMatchObject({ outcomes: ['answered', 'visit-needed'] });
      await client.completeTask(newCaseId, 'answer', { outcome: 'answered', data: reply, actor: actors.department });
      expect(await openTaskOf(client, newCaseId, 'confirm-reply')).toMatchObject({ role: 'agent', outcomes: ['confirmed'] });
      await client.completeTask(newCaseId, 'confirm-reply', { outcome: 'confirmed', actor: actors.agent });
      expect(await client.result(newCaseId)).toMatchObject({ outcome: 'answered' });
      expect(await stepsEntered(client, newCaseId)).toEqual(['record', 'answer', 'confirm-reply', 'wait-for-follow-up', 'answered']);
      expect(await client.getCase(newCaseId)).toMatchObject({ version: 2, hash: v2.hash });
      expect(await listedVersion(client, newCaseId, 2)).toBe(2);
    });

    // The Web UI's static details name the version and the definition hash each case started with.
    const details = async (caseId: string) => (await after.client.temporal.workflow.getHandle(caseId).describe()).staticDetails();
    expect(await details(oldCaseId)).toBe(`Passed-on question, version 1 (definition ${v1.hash.slice(0, 12)})`);
    expect(await details(newCaseId)).toBe(`Passed-on question, version 2 (definition ${v2.hash.slice(0, 12)})`);
  });

  /*
   * In a folder without a published.json (as this working copy), editing a file WITHOUT
   * raising its version is not refused: nothing there remembers the content a version had when
   * earlier cases opened, so the same "version 1" then names two different definitions. Running
   * cases are still safe (each carries its own copy), and the content hash tells the two apart —
   * in getCase, the memo and the static details. The shipped definitions have a published.json
   * (`npx aftercare publish`), under which such an edit is refused with VERSION_CHANGED: see
   * test/unit/published.test.ts.
   */
  it('keeps an edited-in-place version 1 apart only by its content hash: same version number, different hash and path', async () => {
    const { folder, file, original } = await workingCopy();
    const taskQueue = uniqueName('same-version');
    const firstCaseId = uniqueName('Q-first');
    const secondCaseId = uniqueName('Q-second');

    const before = await deployment(folder, taskQueue);
    const first = before.registry.get(processName);
    await before.worker.runUntil(async () => {
      await before.client.openCase(processName, input, { caseId: firstCaseId, parameters });
      await openTaskOf(before.client, firstCaseId, 'answer');
    });

    // Edited in place, version left at 1: the folder still loads without a single problem.
    await fs.writeFile(file, editedDefinition(original, 1));
    const after = await deployment(folder, taskQueue);
    const second = after.registry.get(processName);
    expect(second.compiled.version).toBe(1);
    expect(second.hash).not.toBe(first.hash);

    await after.worker.runUntil(async () => {
      const client = after.client;
      await client.openCase(processName, input, { caseId: secondCaseId, parameters });

      await client.completeTask(firstCaseId, 'answer', { outcome: 'answered', data: reply, actor: actors.department });
      await openTaskOf(client, secondCaseId, 'answer');
      await client.completeTask(secondCaseId, 'answer', { outcome: 'answered', data: reply, actor: actors.department });
      await openTaskOf(client, secondCaseId, 'confirm-reply');
      await client.completeTask(secondCaseId, 'confirm-reply', { outcome: 'confirmed', actor: actors.agent });
      await Promise.all([client.result(firstCaseId), client.result(secondCaseId)]);

      // Each case ran the content it was opened with...
      expect(await stepsEntered(client, firstCaseId)).toEqual(['record', 'answer', 'wait-for-follow-up', 'answered']);
      expect(await stepsEntered(client, secondCaseId)).toEqual(['record', 'answer', 'confirm-reply', 'wait-for-follow-up', 'answered']);
      // ...under the same version number; only the hash differs.
      expect(await client.getCase(firstCaseId)).toMatchObject({ version: 1, hash: first.hash });
      expect(await client.getCase(secondCaseId)).toMatchObject({ version: 1, hash: second.hash });
      expect(await listedVersion(client, firstCaseId, 1)).toBe(1);
      expect(await listedVersion(client, secondCaseId, 1)).toBe(1);
    });

    // What an operator can tell them apart by: the memo and the static details carry the hash.
    for (const [caseId, loaded] of [
      [firstCaseId, first],
      [secondCaseId, second],
    ] as const) {
      const description = await after.client.temporal.workflow.getHandle(caseId).describe();
      expect(description.memo).toMatchObject({ definitionVersion: 1, definitionHash: loaded.hash });
      expect(description.typedSearchAttributes.get(DefinitionVersionKey)).toBe(1);
      expect(await description.staticDetails()).toBe(`Passed-on question, version 1 (definition ${loaded.hash.slice(0, 12)})`);
    }
  });
});
