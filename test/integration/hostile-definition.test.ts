/**
 * A definition that validates but whose expression is slow on hostile input must not stop the
 * engine: `matches` runs in linear time (RE2), so the case decides at once, and the worker goes
 * on serving every other case on its task queue. On the real dev server, where the defect was.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AftercareClient } from '../../client/index.js';
import { DefinitionRegistry } from '../../dsl/load/registry.js';
import { projectRoot } from '../../worker/config.js';
import { openTaskOf } from '../helpers/cases.js';
import { definitionsDir, uniqueName } from '../helpers/env.js';
import { devServerSuite } from '../helpers/suites.js';

const suite = devServerSuite();
let client: AftercareClient;
let connection: Connection;

beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
  const registry = await DefinitionRegistry.load([path.join(projectRoot, 'test', 'fixtures', 'hostile', 'regex-when.yaml'), path.join(definitionsDir, 'passed-on-question.yaml')]);
  client = new AftercareClient(new Client({ connection, namespace: 'default' }), registry, { taskQueue: suite.taskQueue });
});

afterAll(async () => {
  await connection?.close();
});

describe('a definition with a catastrophic regular expression', () => {
  it('decides at once on the input that took minutes, and the worker serves the next case', async () => {
    const hostile = uniqueName('H');
    await client.openCase('regex-when', { s: `${'a'.repeat(40)}!` }, { caseId: hostile });
    const normal = uniqueName('P');
    await client.openCase('passed-on-question', { customer: { id: 'M-1', name: 'Wang Li', phone: '138-0013-8000' }, question: 'Can the dryer be stacked?' }, { caseId: normal });
    await expect(client.result(hostile)).resolves.toMatchObject({ outcome: 'unmatched' });
    const matching = uniqueName('H');
    await client.openCase('regex-when', { s: 'a'.repeat(10_000) }, { caseId: matching });
    await expect(client.result(matching)).resolves.toMatchObject({ outcome: 'matched' });
    await openTaskOf(client, normal, 'answer');
    await client.completeTask(normal, 'answer', { outcome: 'answered', data: { reply: 'Yes, with kit SK-2.' }, actor: { id: 'tech.support', role: 'department' } });
    expect((await client.getCase(normal)).outcomes.answer).toBe('answered');
  }, 120_000);
});
