/** Catalog entries of the case record, its notifications and its SLA events. */
import type { ActivitySpec } from './spec.js';

const customer = {
  description: 'The customer: an id, or an object with at least `id` or `name`.',
  anyOf: [{ type: 'string', minLength: 1 }, { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } }],
} as const;

export const caseCatalog = {
  'record-case': {
    description: 'Records the case (process, customer, summary) in the `cases` table and writes a `case_events` row; once per case.',
    input: {
      type: 'object',
      additionalProperties: false,
      properties: {
        customer,
        summary: { type: 'string' },
        details: { type: 'object' },
        sameAs: {
          type: 'object',
          description:
            'Set by the engine: keys whose value is a part of `details`, as a JSON pointer into it (`{ summary: "/question" }`), so the case input travels once; the activity reads them from `details`.',
          additionalProperties: { type: 'string' },
        },
      },
    },
    output: {
      type: 'object',
      required: ['caseId', 'recordedAt'],
      properties: { caseId: { type: 'string' }, recordedAt: { type: 'string', format: 'date-time' } },
    },
  },
  'record-case-history': {
    description:
      "Writes what a case did beside its flow, as the engine sends it once per workflow task: the audit trail of people's actions and the case's lifecycle (task completed, claimed or handed on; case opened, cancelled, closed) to `case_events`, and its SLA clock events to `sla_events`; each row once, under its own key. The engine runs it as a local activity, or has the case's own activity of the same workflow task carry the rows and write them first. Definitions need not call it.",
    input: {
      type: 'object',
      additionalProperties: false,
      properties: {
        entries: {
          type: 'array',
          items: {
            type: 'object',
            required: ['seq', 'at', 'type'],
            properties: {
              seq: { type: 'integer', minimum: 0, description: 'The entry number in the case timeline: its key.' },
              at: { type: 'string', format: 'date-time' },
              type: { type: 'string', minLength: 1 },
              step: { type: 'string' },
              task: { type: 'string' },
              actor: { type: 'string' },
              tokenId: { type: 'string', description: 'The token the verified person acted with (its id).' },
              directoryVersion: { type: 'integer', minimum: 0, description: 'The staff-directory version their roles were read at.' },
              outcome: { type: 'string' },
              detail: { type: 'string' },
            },
          },
        },
        slaEvents: {
          type: 'array',
          items: {
            type: 'object',
            required: ['key', 'event'],
            properties: { key: { type: 'string', minLength: 1 }, event: { type: 'object', description: 'As `record-sla-event` takes it.' } },
          },
        },
      },
    },
    output: {
      type: 'object',
      required: ['entries', 'slaEvents'],
      properties: { entries: { type: 'integer', minimum: 0 }, slaEvents: { type: 'integer', minimum: 0 } },
    },
  },
} as const satisfies Record<string, ActivitySpec>;
