/**
 * A definition that validates but whose expression is slow or huge on hostile input must not
 * stop the engine: `matches` runs in linear time (RE2), so the case decides at once; an
 * expression that runs out of its budget (a list doubled thirty times) fails its own case at
 * that step, located; and the worker goes on serving every other case on its task queue. On
 * the real dev server, where the defect was.
 */
import { clearTextIn } from '../helpers/privacy.js';
import { actAs, testClient } from '../helpers/env.js';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type AftercareClient, CaseFailedError } from '../../client/index.js';
import { DefinitionRegistry } from '../../dsl/load/registry.js';
import { CaseStatusKey } from '../../workflows/search-attributes.js';
import { projectRoot } from '../../worker/config.js';
import { openTaskOf } from '../helpers/cases.js';
import { definitionsDir, testDataConverter, uniqueName } from '../helpers/env.js';
import { devServerSuite } from '../helpers/suites.js';

const suite = devServerSuite();
let client: AftercareClient;
let connection: Connection;

beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
  const hostile = (name: string) => path.join(projectRoot, 'test', 'fixtures', 'hostile', name);
  const registry = await DefinitionRegistry.load([hostile('regex-when.yaml'), hostile('doubling-when.yaml'), path.join(definitionsDir, 'passed-on-question.yaml')]);
  client = await testClient(new Client({ connection, namespace: 'default', dataConverter: testDataConverter() }), registry, { taskQueue: suite.taskQueue });
});

afterAll(async () => {
  await connection?.close();
});

describe('a definition with a catastrophic regular expression', () => {
  it('decides at once on the input that took minutes, and the worker serves the next case', async () => {
    const hostile = uniqueName('H');
    await client.openCase('regex-when', { s: `${'a'.repeat(40)}!` }, { caseId: hostile });
    const normal = uniqueName('P');
    await client.openCase('passed-on-question', { customer: { id: 'M-1', name: 'Wang Li', phone: '138-0013-8000' }, question: 'Can the dryer be stacked?' }, { caseId: normal, parameters: { followUpWindow: '1s' } });
    await expect(client.result(hostile)).resolves.toMatchObject({ outcome: 'unmatched' });
    const matching = uniqueName('H');
    await client.openCase('regex-when', { s: 'a'.repeat(10_000) }, { caseId: matching });
    await expect(client.result(matching)).resolves.toMatchObject({ outcome: 'matched' });
    await openTaskOf(client, normal, 'answer');
    await client.completeTask(normal, 'answer', { outcome: 'answered', data: { reply: 'Yes, with kit SK-2.' }, actor: actAs('tech.support', 'department') });
    // And it completes: answered, the (shortened) follow-up window passed, closed.
    await expect(client.result(normal)).resolves.toMatchObject({ outcome: 'answered' });
  }, 120_000);
});

describe('a definition whose expression runs out of its budget', () => {
  it('fails that case at its step with a located message, and a normal case on the same queue goes on', async () => {
    const hostile = uniqueName('B');
    // 30,000 elements (60 KB as JSON, within the case input limit), doubled thirty times: past
    // the list limit on the fourth doubling. Without the budget the worker ran out of memory.
    await client.openCase('doubling-when', { items: Array.from({ length: 30_000 }, () => 0) }, { caseId: hostile });
    const normal = uniqueName('P');
    await client.openCase('passed-on-question', { customer: { id: 'M-2', name: 'Zhao Min', phone: '139-0013-9000' }, question: 'Is the filter washable?' }, { caseId: normal, parameters: { followUpWindow: '1s' } });

    const failure = await client.result(hostile).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CaseFailedError);
    const { type, reason } = failure as CaseFailedError;
    expect(type).toBe('StepFailed');
    const condition = /the condition `(cel\.bind\(v1, input\.items \+ input\.items, .*v30\.size\(\) > 0\)+)` could not be decided/s.exec(reason)?.[1];
    expect(condition, reason).toBeDefined();
    expect(reason).toBe(
      `step \`check\` (Is the doubled list long?): the condition \`${condition}\` could not be decided: expression \`${condition}\` failed: it built a list of 480,000 elements, more than the 262,144 an expression may build`,
    );
    const description = await client.temporal.workflow.getHandle(hostile).describe();
    expect(description.status.name).toBe('FAILED');
    expect(description.typedSearchAttributes.get(CaseStatusKey)).toBe('failed');
    // The message quotes the definition and could quote case data: Temporal keeps it encrypted.
    const history = await client.temporal.workflow.getHandle(hostile).fetchHistory();
    const failed = history.events?.at(-1)?.workflowExecutionFailedEventAttributes?.failure;
    expect(failed?.message).toBe('Encoded failure');
    expect(await clearTextIn(client.temporal, suite.taskQueue, ['could not be decided', 'it built a list of 480,000 elements'])).toEqual([]);

    await openTaskOf(client, normal, 'answer');
    await client.completeTask(normal, 'answer', { outcome: 'answered', data: { reply: 'Yes, under running water.' }, actor: actAs('tech.support', 'department') });
    // And it completes: answered, the (shortened) follow-up window passed, closed.
    await expect(client.result(normal)).resolves.toMatchObject({ outcome: 'answered' });
  }, 120_000);
});
