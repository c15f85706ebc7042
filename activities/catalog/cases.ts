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
      properties: { customer, summary: { type: 'string' }, details: { type: 'object' } },
    },
    output: {
      type: 'object',
      required: ['caseId', 'recordedAt'],
      properties: { caseId: { type: 'string' }, recordedAt: { type: 'string', format: 'date-time' } },
    },
  },
  'record-case-events': {
    description:
      "Writes the case's audit trail of people's actions (task completed, claimed or handed on; case opened, cancelled, closed) to `case_events`, one row per entry, each once. The engine calls it; definitions need not.",
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['entries'],
      properties: {
        entries: {
          type: 'array',
          minItems: 1,
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
              outcome: { type: 'string' },
              detail: { type: 'string' },
            },
          },
        },
      },
    },
    output: { type: 'object', required: ['recorded'], properties: { recorded: { type: 'integer', minimum: 0 } } },
  },
} as const satisfies Record<string, ActivitySpec>;
