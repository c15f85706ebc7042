/**
 * `passed-on-question` (version 2) written by hand: the question recorded, the department's
 * answer within 24 hours, the follow-up window, answered.
 */
import { sleep } from '@temporalio/workflow';
import { parseDuration } from '../../dsl/durations.js';
import { HandCase, type HandArgs, type HandResult } from './hand.js';

interface Question {
  customer: { id: string; name: string; phone: string };
  question: string;
  channel?: string;
}

const DAY = 86_400_000;

export async function handPassedOnQuestion(args: HandArgs): Promise<HandResult> {
  const c = new HandCase('passed-on-question', 2, args, { agent: ['agent'], department: ['department'] });
  const input = args.input as Question;
  await c.act('record-case', 'record', { details: input, sameAs: { summary: '/question', customer: '/customer' } });
  await c.task(
    {
      stepId: 'answer',
      title: 'Answer the customer',
      role: 'department',
      outcomes: ['answered'],
      dueInMs: DAY,
      form: { type: 'object', required: ['reply'], properties: { reply: { type: 'string', minLength: 1 } } },
    },
    'wait-for-follow-up',
  );
  const window = parseDuration(String(args.parameters?.followUpWindow ?? '2 days'));
  await sleep(window.ok && window.value.kind === 'elapsed' ? window.value.ms : 2 * DAY);
  return c.close('answered');
}
