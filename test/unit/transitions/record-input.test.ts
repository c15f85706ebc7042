/**
 * The `record-case` input with the case input in it once (workflows/transitions/record-input.ts):
 * what the shipped processes' `record` steps evaluate to, and what the action step sends instead.
 */
import { describe, expect, it } from 'vitest';
import { jsonBytes } from '../../../model/limits.js';
import { recordInputOnce } from '../../../workflows/transitions/record-input.js';

const customer = { id: 'M-20931', name: 'Wang Li', phone: '138-0013-8000' };
const question = 'Can the dryer be stacked on the 8 kg washing machine? '.repeat(40);
const input = { customer, question, channel: 'phone' };

describe('recordInputOnce', () => {
  it('sends the summary and the customer of passed-on-question as pointers into details', () => {
    // passed-on-question's `record` step: customer: ${input.customer}, summary: ${input.question}, details: ${input}.
    const sent = recordInputOnce({ customer, summary: question, details: input });
    expect(sent).toEqual({ details: input, sameAs: { customer: '/customer', summary: '/question' } });
    expect(JSON.stringify(sent).split(question).length - 1).toBe(1);
    expect(jsonBytes(sent)).toBeLessThan(jsonBytes(input) + 100);
  });

  it('keeps a summary that is not a part of details, and one too short to be worth a pointer', () => {
    const repair = { customer, summary: `WM-80: ${question}`, details: input };
    expect(recordInputOnce(repair)).toEqual({ summary: `WM-80: ${question}`, details: input, sameAs: { customer: '/customer' } });
    const short = { summary: 'phone', details: input };
    expect(recordInputOnce(short)).toBe(short);
  });

  it('points into nested objects and lists, escaping the pointer', () => {
    const details = { 'a/b': [{ 'c~d': question }] };
    expect(recordInputOnce({ summary: question, details })).toEqual({ details, sameAs: { summary: '/a~1b/0/c~0d' } });
  });

  it('leaves inputs without details, or with sameAs already, as they are', () => {
    for (const same of [{ summary: question }, { summary: question, details: 'text' }, { summary: question, details: { question }, sameAs: {} }, null, 'text', [question]]) {
      expect(recordInputOnce(same)).toBe(same);
    }
  });
});
