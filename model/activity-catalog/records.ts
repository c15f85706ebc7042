/**
 * Catalog entries of the company's records: notifications, SLA events, the case's closing,
 * complaints, follow-ups, warranty, work orders, technicians, repairs and approvals.
 * The implementations validate their input against these schemas (activities/records/).
 */
import type { ActivitySpec } from './spec.js';

const text = { type: 'string', minLength: 1 } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const caseDate = { type: 'string', format: 'date' } as const;
const money = { type: 'number', minimum: 0 } as const;
const caseClosedAt = { type: 'object', additionalProperties: false, required: ['closedAt'], properties: { closedAt: dateTime } } as const;

export const recordsCatalog = {
  notify: {
    description:
      'Queues a message for a role, a person or a customer in the `notifications` outbox (a sender drains it; nothing is sent from the workflow). Once per step visit.',
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['recipient', 'channel', 'subject', 'body'],
      properties: {
        recipient: {
          type: 'object',
          description: 'Who: a role (`supervisor`), a person (`chen.jie`) or a customer (`M-20931`); at least one.',
          additionalProperties: false,
          minProperties: 1,
          properties: { role: text, person: text, customer: text },
        },
        channel: { enum: ['internal', 'email', 'sms', 'phone'] },
        subject: text,
        body: text,
        notBefore: { ...dateTime, description: 'Not to be sent before this instant (e.g. the next working hour).' },
      },
    },
    output: {
      type: 'object',
      additionalProperties: false,
      required: ['notificationId', 'queuedAt'],
      properties: { notificationId: { type: 'integer' }, queuedAt: dateTime },
    },
  },

  'record-sla-event': {
    description: 'Records one event of an SLA clock (started, paused, resumed, warning, breached, escalated, stopped) in `sla_events`; the SLA reports read it. Sent by the engine, once per event.',
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['clock', 'cycle', 'type', 'at', 'target', 'businessMs', 'calendarMs', 'title'],
      properties: {
        clock: text,
        cycle: { type: 'integer', minimum: 1 },
        type: { enum: ['started', 'paused', 'resumed', 'warning', 'breached', 'escalated', 'stopped'] },
        at: dateTime,
        target: { type: 'string' },
        deadline: dateTime,
        reason: { type: 'string' },
        rung: { type: 'string' },
        result: { enum: ['met', 'breached'] },
        businessMs: { type: 'number', minimum: 0, description: 'Working time the cycle has consumed, in ms.' },
        calendarMs: { type: 'number', minimum: 0, description: 'Elapsed time the cycle has run, in ms.' },
        title: { type: 'string' },
      },
      // A stopped cycle is met or breached: the SLA report counts on it.
      if: { properties: { type: { const: 'stopped' } }, required: ['type'] },
      then: { required: ['result'] },
    },
    output: { type: 'object', additionalProperties: false, required: ['recorded'], properties: { recorded: { type: 'boolean' } } },
  },

  'close-case-record': {
    description: 'Marks the case closed in `cases` with its outcome (creating the case row if the case never recorded one). A later close of a reopened case moves the closing.',
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['outcome'],
      properties: { outcome: text, summary: { type: 'string' } },
    },
    output: caseClosedAt,
  },

  'record-complaint': {
    description: 'Records the complaint of the case (customer, channel, what happened, the demand) with a number like CP-2026-000042; one complaint per case, the same number on every retry.',
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['customer', 'channel', 'description'],
      properties: {
        customer: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'name'],
          properties: { id: text, name: text, phone: { type: 'string' } },
        },
        channel: { enum: ['phone', 'email', 'chat', 'social-media', 'walk-in'] },
        description: text,
        demand: { type: 'string' },
        product: { type: 'object', additionalProperties: false, properties: { model: { type: 'string' }, serial: { type: 'string' } } },
        owner: { type: 'string', description: 'The receiving agent, who owns the complaint to its end.' },
      },
    },
    output: { type: 'object', additionalProperties: false, required: ['complaintId'], properties: { complaintId: { type: 'string', pattern: '^CP-\\d{4}-\\d{6,}$' } } },
  },

  'update-complaint': {
    description: 'Updates the given fields of the case\'s complaint (classification, department, cause, validity, resolution, outcome, promised deadline, meeting owner); refused when the case has no complaint.',
    input: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        category: { enum: ['general-enquiry', 'record-correction', 'service-quality', 'major-problem'] },
        department: text,
        cause: { enum: ['customer', 'company', 'partner'] },
        valid: { type: 'boolean' },
        resolution: { type: 'string' },
        outcome: text,
        deadline: dateTime,
        meetingOwner: text,
      },
    },
    output: { type: 'object', additionalProperties: false, required: ['complaintId'], properties: { complaintId: { type: 'string' } } },
  },

  'record-follow-up': {
    description: 'Records a follow-up visit: what it was about and whether the customer is satisfied; rounds count 1, 2, ... per case.',
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['subject', 'satisfied'],
      properties: {
        subject: { enum: ['complaint', 'repair', 'exchange', 'return', 'question'] },
        satisfied: { type: 'boolean' },
        notes: { type: 'string' },
      },
    },
    output: {
      type: 'object',
      additionalProperties: false,
      required: ['followUpId', 'round'],
      properties: { followUpId: { type: 'string' }, round: { type: 'integer', minimum: 1 } },
    },
  },

  'check-warranty': {
    description: 'Decides whether the product is in warranty today (database date): the warranty covers the purchase date up to the day before the same date `warrantyMonths` later. The answer is kept, so a retry gives the same answer.',
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['productModel', 'purchaseDate', 'warrantyMonths'],
      properties: {
        productModel: text,
        serial: { type: 'string' },
        purchaseDate: caseDate,
        warrantyMonths: { type: 'integer', minimum: 0 },
      },
    },
    output: {
      type: 'object',
      additionalProperties: false,
      required: ['inWarranty', 'warrantyEnds'],
      properties: { inWarranty: { type: 'boolean' }, warrantyEnds: { ...caseDate, description: 'The last day covered.' } },
    },
  },

  'create-work-order': {
    description: 'Opens the repair work order of the case (customer, product, fault, warranty, fee, skill needed), numbered like WO-2026-000017; one per case.',
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['customer', 'product', 'fault', 'inWarranty', 'skill'],
      properties: {
        customer: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'name'],
          properties: { id: text, name: text, phone: { type: 'string' }, address: { type: 'string' } },
        },
        product: { type: 'object', additionalProperties: false, required: ['model'], properties: { model: text, serial: { type: 'string' } } },
        fault: text,
        inWarranty: { type: 'boolean' },
        fee: money,
        skill: text,
      },
    },
    output: { type: 'object', additionalProperties: false, required: ['workOrderId'], properties: { workOrderId: { type: 'string', pattern: '^WO-\\d{4}-\\d{6,}$' } } },
  },

  'dispatch-technician': {
    description: 'Assigns the work order to the active technician with the skill who has the fewest open work orders (ties: by technician id), passing over those in `exclude` (another technician after repeated repairs); refused when no one has the skill. `openOrders` counts the technician\'s open orders including this one.',
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['workOrderId', 'skill'],
      properties: { workOrderId: text, skill: text, exclude: { type: 'array', items: { type: 'string' }, maxItems: 100, description: 'Technicians not to choose' } },
    },
    output: {
      type: 'object',
      additionalProperties: false,
      required: ['technician', 'openOrders'],
      properties: {
        technician: { type: 'object', additionalProperties: false, required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' } } },
        openOrders: { type: 'integer', minimum: 1 },
      },
    },
  },

  'record-repair': {
    description: 'Records a repair of an open work order (diagnosis, work done, fixed or not, parts used); attempts count 1, 2, ... per work order, so a re-repair is attempt 2 or more.',
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['workOrderId', 'diagnosis', 'work', 'result'],
      properties: {
        workOrderId: text,
        diagnosis: text,
        work: text,
        result: { enum: ['fixed', 'not-fixed'] },
        partsUsed: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['partNo', 'quantity'],
            properties: { partNo: text, quantity: { type: 'integer', minimum: 1 } },
          },
        },
      },
    },
    output: {
      type: 'object',
      additionalProperties: false,
      required: ['repairId', 'attempt'],
      properties: { repairId: { type: 'string' }, attempt: { type: 'integer', minimum: 1 } },
    },
  },

  'record-approval': {
    description: 'Records a manager\'s decision (exchange, return, parts requisition, disposal, resolution, quote): approved or rejected, by whom, for how much.',
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['subject', 'decision'],
      properties: {
        subject: { enum: ['exchange', 'return', 'parts-requisition', 'disposal', 'resolution', 'quote'] },
        decision: { enum: ['approved', 'rejected'] },
        approver: { type: 'object', additionalProperties: false, required: ['id', 'role'], properties: { id: text, role: text } },
        amount: money,
        note: { type: 'string' },
      },
    },
    output: { type: 'object', additionalProperties: false, required: ['approvalId'], properties: { approvalId: { type: 'string' } } },
  },

  'close-work-order': {
    description: 'Closes an open work order: archived after the audit, or declined (the customer refused the quote); refused when the work order is unknown or already closed.',
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['workOrderId', 'status'],
      properties: { workOrderId: text, status: { enum: ['archived', 'declined'] }, audit: { type: 'string' } },
    },
    output: caseClosedAt,
  },
} as const satisfies Record<string, ActivitySpec>;
