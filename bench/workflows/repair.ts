/**
 * `repair` (version 4) written by hand, as far as the benchmark takes it: in warranty and
 * straight through — intake, warranty check, the customer told, the work order, a technician
 * dispatched, the appointment (within 4 business hours), diagnosis, repair, test, the
 * customer's acceptance (within 5 working days of the work order; warned at 80 %), the team
 * lead's audit, archived. The other branches are not written (the benchmark does not take them).
 */
import { parseDuration } from '../../dsl/durations.js';
import { HandCase, type HandArgs, type HandResult } from './hand.js';

interface Repair {
  customer: { id: string; name: string; phone: string; address: string };
  product: { model: string; serial: string };
  fault: string;
  purchaseDate: string;
  skill: string;
}

const roles = { agent: ['agent'], 'team-lead': ['team-lead', 'technician'], technician: ['technician'], manager: ['manager', 'agent', 'team-lead'] };

export async function handRepair(args: HandArgs): Promise<HandResult> {
  const c = new HandCase('repair', 4, args, roles);
  const input = args.input as Repair;
  const params = args.parameters ?? {};

  // The case input once: the customer as a pointer into it, as the interpreter sends it.
  await c.act('record-case', 'intake', { details: input, sameAs: { customer: '/customer' }, summary: `${input.product.model}: ${input.fault}` });
  const warranty = await c.act<{ inWarranty: boolean }>('check-warranty', 'check-warranty', {
    productModel: input.product.model,
    serial: input.product.serial,
    purchaseDate: input.purchaseDate,
    warrantyMonths: params.warrantyMonths ?? 12,
  });
  if (!warranty.inWarranty) c.notWritten('out-of-warranty path');
  await c.task({ stepId: 'inform-customer', title: 'Tell the customer the process and the expected time', role: 'agent', outcomes: ['informed'] }, 'create-work-order');

  const workOrder = await c.act<{ workOrderId: string }>('create-work-order', 'create-work-order', {
    customer: input.customer,
    product: input.product,
    fault: input.fault,
    inWarranty: warranty.inWarranty,
    fee: 0,
    skill: input.skill,
  });
  // The repair clock: from the work order to the customer's signature, on working days.
  const calendar = c.requireCalendar();
  const started = Date.now();
  const within = parseDuration(String(params.repairWithin ?? '5 working days'));
  const deadline = within.ok && within.value.kind === 'working-days' ? calendar.endOfWorkingDays(started, within.value.days) : calendar.endOfWorkingDays(started, 5);
  const [warningAt, breachAt] = c.businessInstants(started, deadline, [0.8, 1]) as [number, number];
  const title = 'Repaired and signed for';
  const repairClock = c.clock([
    { at: warningAt, reached: async () => void (await c.notify('repair', 'notify-0-team-lead', 'team-lead', `${title}: at 80%`, `${title}: at 80% for case ${c.caseId}.`)) },
    { at: breachAt, reached: async () => void (await c.notify('repair', 'notify-1-team-lead', 'team-lead', `${title}: breach`, `${title}: the time limit was missed for case ${c.caseId}.`)) },
  ]);

  const dispatch = await c.act<{ technician: { id: string } }>('dispatch-technician', 'dispatch', { workOrderId: workOrder.workOrderId, skill: input.skill });
  const technician = dispatch.technician.id;
  const appointmentClock = c.clock([
    { at: calendar.addBusinessHours(Date.now(), 4), reached: async () => void (await c.notify('appointment', 'notify-0-team-lead', 'team-lead', 'Customer contacted for an appointment: breach', `The appointment was not agreed in time for case ${c.caseId}.`)) },
  ]);
  const appointment = await c.task({
    stepId: 'appointment',
    title: 'Agree the appointment with the customer',
    role: 'technician',
    assignee: technician,
    outcomes: ['agreed', 'unreachable'],
    form: { type: 'object', properties: { visitAt: { type: 'string', format: 'date-time' }, place: { type: 'string' } } },
  });
  appointmentClock.stop();
  if (appointment.outcome !== 'agreed') c.notWritten('unreachable customer');

  const diagnosis = await c.task({
    stepId: 'diagnose',
    title: 'Diagnose on site',
    role: 'technician',
    assignee: technician,
    outcomes: ['repair', 'needs-parts'],
    form: {
      type: 'object',
      required: ['diagnosis'],
      properties: {
        diagnosis: { type: 'string', minLength: 1 },
        parts: { type: 'array', items: { type: 'object', required: ['partNo', 'quantity'], properties: { partNo: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } } } },
      },
    },
  });
  if (diagnosis.outcome !== 'repair') c.notWritten('parts path');
  const work = await c.task({
    stepId: 'repair',
    title: 'Repair',
    role: 'technician',
    assignee: technician,
    outcomes: ['repaired'],
    form: { type: 'object', required: ['work'], properties: { work: { type: 'string', minLength: 1 } } },
  });
  const test = await c.task({ stepId: 'test', title: 'Test the appliance and explain care and use', role: 'technician', assignee: technician, outcomes: ['passed', 'failed'] }, 'record-repair');
  await c.act('record-repair', 'record-repair', {
    workOrderId: workOrder.workOrderId,
    diagnosis: diagnosis.data.diagnosis,
    work: work.data.work,
    result: test.outcome === 'passed' ? 'fixed' : 'not-fixed',
    partsUsed: [],
  });
  if (test.outcome !== 'passed') c.notWritten('failed test');

  const acceptance = await c.task({ stepId: 'acceptance', title: 'Customer acceptance', role: 'technician', assignee: technician, outcomes: ['accepted', 'not-satisfied'] });
  if (acceptance.outcome !== 'accepted') c.notWritten('repeated repair');
  repairClock.stop();
  await c.task({ stepId: 'audit', title: 'Audit the repair record', role: 'team-lead', outcomes: ['approved', 'back-to-technician'] }, 'archive');
  await c.act('close-work-order', 'archive', { workOrderId: workOrder.workOrderId, status: 'archived', audit: 'approved by the team lead' });
  return c.close('repaired');
}
