/**
 * `complaint` (version 2) written by hand, as far as the benchmark takes it: recorded,
 * classified by the owner within the first-reply time (24 h; warned at 75 %, breached: the
 * supervisor told and given the open tasks), the category saved, a general enquiry answered
 * and closed. The other categories are not written (the benchmark does not take them).
 */
import { parseDuration } from '../../dsl/durations.js';
import { HandCase, type HandArgs, type HandResult } from './hand.js';

interface Complaint {
  customer: { id: string; name: string; phone?: string };
  channel: string;
  description: string;
  demand?: string;
  product?: { model?: string; serial?: string };
}

const roles = { agent: ['agent'], supervisor: ['supervisor', 'agent'], manager: ['manager', 'agent', 'supervisor'], investigator: ['investigator'] };

export async function handComplaint(args: HandArgs): Promise<HandResult> {
  const c = new HandCase('complaint', 2, args, roles);
  const input = args.input as Complaint;
  const owner = args.owner;
  const opened = Date.now();
  const target = parseDuration(String(args.parameters?.firstReply ?? '24h'));
  const budget = target.ok && target.value.kind === 'elapsed' ? target.value.ms : 86_400_000;
  const title = 'First reply to the customer';
  const firstReply = c.clock([
    { at: opened + budget * 0.75, reached: async () => void (await c.notify('first-reply', 'notify-0-agent', 'agent', `${title}: at 75%`, `${title}: at 75% for case ${c.caseId}.`)) },
    { at: opened + budget, reached: async () => void (await c.notify('first-reply', 'notify-1-supervisor', 'supervisor', `${title}: breach`, `${title}: the time limit was missed for case ${c.caseId}.`)) },
  ]);

  await c.act('record-complaint', 'record', {
    customer: input.customer,
    channel: input.channel,
    description: input.description,
    demand: input.demand ?? '',
    product: input.product ?? {},
    owner: owner ?? null,
  });
  const classify = await c.task(
    {
      stepId: 'classify',
      title: 'Classify the complaint',
      role: 'agent',
      outcomes: ['general-enquiry', 'record-correction', 'service-quality', 'major-problem'],
      ...(owner ? { assignee: owner } : {}),
      form: { type: 'object', required: ['department'], properties: { department: { type: 'string', minLength: 1 }, notes: { type: 'string' } } },
    },
    'save-category',
  );
  firstReply.stop();
  await c.act('update-complaint', 'save-category', { category: classify.outcome, department: classify.data.department });
  if (classify.outcome !== 'general-enquiry') c.notWritten(`${classify.outcome} path`);

  await c.task(
    {
      stepId: 'answer-enquiry',
      title: 'Answer the enquiry',
      role: 'agent',
      outcomes: ['answered'],
      ...(owner ? { assignee: owner } : {}),
      form: { type: 'object', required: ['answer'], properties: { answer: { type: 'string', minLength: 1 } } },
    },
    'close-answered',
  );
  await c.act('update-complaint', 'close-answered', { outcome: 'answered' });
  return c.close('answered');
}
