/**
 * The case input travels once in the `record` step's activity call (issue 15: passed-on-question
 * sent the question twice, as `summary` and inside `details`, and a 1 MB question failed the
 * first workflow task with PayloadsTooLarge). Read from the ActivityTaskScheduled event of a real
 * case on the dev server, and the rows it writes in PostgreSQL are those the `with:` describes.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it, vi } from 'vitest';
import { jsonBytes, MAX_CASE_INPUT_BYTES, MAX_TEXT_LENGTH } from '../../model/limits.js';
import { openTaskOf } from '../helpers/cases.js';
import { testCodec, uniqueName } from '../helpers/env.js';
import { devServerSuite } from '../helpers/suites.js';

vi.setConfig({ testTimeout: 120_000 });

const suite = devServerSuite();

/** The payloads of the record-case activity the case scheduled, as JSON text and as values. */
async function recordCaseScheduled(caseId: string): Promise<{ json: string; bytes: number; input: unknown }> {
  const events = (await suite.client.temporal.workflow.getHandle(caseId).fetchHistory()).events ?? [];
  const scheduled = events.map((e) => e.activityTaskScheduledEventAttributes).filter((a) => a?.activityType?.name === 'record-case');
  expect(scheduled).toHaveLength(1);
  // Encrypted in the history: what the activity got is what the codec decrypts.
  const payloads = await testCodec().decode(scheduled[0]?.input?.payloads ?? []);
  const json = payloads.map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8')).join('\n');
  return { json, bytes: payloads.reduce((sum, p) => sum + (p.data?.length ?? 0), 0), input: defaultPayloadConverter.fromPayload(payloads[1]!) };
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('the record step of passed-on-question', () => {
  it('carries the question and the customer once, and records them as the definition says', async () => {
    const caseId = uniqueName('P');
    const customer = { id: 'M-20931', name: 'Wang Li', phone: '138-0013-8000' };
    const input = { customer, question: 'Can the dryer be stacked on the 8 kg washing machine, and which kit does it need?', channel: 'phone' };
    await suite.client.openCase('passed-on-question', input, { caseId });
    await openTaskOf(suite.client, caseId, 'answer');
    const sent = await recordCaseScheduled(caseId);
    expect(occurrences(sent.json, input.question)).toBe(1);
    expect(occurrences(sent.json, '138-0013-8000')).toBe(1);
    expect(sent.input).toEqual({ details: input, sameAs: { customer: '/customer', summary: '/question' } });
    const row = await suite.db.pool.query('SELECT customer_id, summary, input FROM cases WHERE case_id = $1', [caseId]);
    expect(row.rows).toEqual([{ customer_id: 'M-20931', summary: input.question, input }]);
  });

  it('opens and records a case whose input is near the size limit, sending it once', async () => {
    const caseId = uniqueName('P');
    // Three UTF-8 bytes a character: the longest text accepted, and a name that brings the whole near the limit.
    const question = '洗衣机'.repeat(MAX_TEXT_LENGTH / 4).padEnd(MAX_TEXT_LENGTH, '问');
    const input = { customer: { id: 'M-20931', name: '王'.repeat(4400), phone: '138-0013-8000' }, question, channel: 'phone' };
    const size = jsonBytes(input);
    expect(size).toBeLessThanOrEqual(MAX_CASE_INPUT_BYTES);
    expect(size).toBeGreaterThan(MAX_CASE_INPUT_BYTES * 0.95);
    await suite.client.openCase('passed-on-question', input, { caseId });
    await openTaskOf(suite.client, caseId, 'answer');
    const sent = await recordCaseScheduled(caseId);
    expect(occurrences(sent.json, question)).toBe(1);
    expect(occurrences(sent.json, input.customer.name)).toBe(1);
    // The step context and the pointers beside one copy of the input (twice the input before).
    expect(sent.bytes).toBeLessThan(size + 512);
    const row = await suite.db.pool.query('SELECT customer_id, summary, input FROM cases WHERE case_id = $1', [caseId]);
    expect(row.rows).toEqual([{ customer_id: 'M-20931', summary: question, input }]);
  });
});
