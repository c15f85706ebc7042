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
} as const satisfies Record<string, ActivitySpec>;
