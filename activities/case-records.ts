/**
 * The case record and its audit trail. Idempotent by construction: the case id and the step's
 * idempotency key are primary keys, so a retry, a worker crash after the commit or a replay
 * writes nothing twice.
 */
import type pg from 'pg';
import type { StepContext } from '../model/activity-catalog/index.js';
import { defineActivity, type InputOf } from './define.js';
import { invalidInput } from './errors.js';
import { checkSlaEvents, insertSlaEvents } from './records/sla-events.js';

type RecordCaseInput = InputOf<'record-case'>;

function customerIdOf(customer: RecordCaseInput['customer']): string | null {
  if (customer === undefined) return null;
  if (typeof customer === 'string') return customer;
  return customer.id ?? customer.name ?? null;
}

/** Writes one event row under the step's idempotency key (a second write is ignored). */
export async function recordEvent(client: pg.ClientBase, context: StepContext, type: string, detail: Record<string, unknown>, actor?: string): Promise<void> {
  await client.query(
    `INSERT INTO case_events (event_key, case_id, step_id, event_type, actor, detail)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_key) DO NOTHING`,
    [`${context.idempotencyKey}:${type}`, context.caseId, context.stepId, type, actor ?? null, JSON.stringify(detail)],
  );
}

/** The value at a JSON pointer (`/customer/name`), or `undefined`. */
function valueAt(root: unknown, pointer: string): unknown {
  if (!pointer.startsWith('/')) return undefined;
  let node = root;
  for (const segment of pointer.slice(1).split('/')) {
    const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * The input as the definition's `with:` wrote it: the engine sends a key whose value is a part
 * of `details` as a pointer into it (`sameAs`, workflows/transitions/record-input.ts), so the
 * case input travels once; it is read back here, and the rows written are the same.
 */
function withSharedValues(input: RecordCaseInput): RecordCaseInput {
  const { sameAs, ...rest } = input;
  if (sameAs === undefined) return input;
  if (typeof sameAs !== 'object' || sameAs === null) throw invalidInput('record-case', '`sameAs` must map keys to JSON pointers into `details`');
  const resolved: Record<string, unknown> = { ...rest };
  for (const [key, pointer] of Object.entries(sameAs)) {
    const value = typeof pointer === 'string' ? valueAt(rest.details, pointer) : undefined;
    if (value === undefined) throw invalidInput('record-case', `\`sameAs.${key}\` must be a JSON pointer to a value in \`details\`, not ${JSON.stringify(pointer)}`);
    resolved[key] = value;
  }
  return resolved as RecordCaseInput;
}

/**
 * Its own check, not the catalog's: a `with:` of record-case has always been read leniently
 * (extra keys pass), and its refusals are worded for it.
 */
function recordCaseInput(raw: unknown = {}): RecordCaseInput {
  if (typeof raw !== 'object' || raw === null) throw invalidInput('record-case', '`with` must be a mapping');
  const input = withSharedValues(raw as RecordCaseInput);
  if (input.summary !== undefined && typeof input.summary !== 'string') throw invalidInput('record-case', '`summary` must be text');
  const customer = input.customer;
  if (customer !== undefined && typeof customer !== 'string' && (typeof customer !== 'object' || customer === null)) {
    throw invalidInput('record-case', '`customer` must be an id or `{ id, name }`');
  }
  return input;
}

export const recordCase = defineActivity('record-case', {
  input: recordCaseInput,
  transaction: async ({ context, input, client }) => {
    await client.query(
      `INSERT INTO cases (case_id, process, version, customer_id, summary, input)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (case_id) DO NOTHING`,
      [context.caseId, context.process, context.version, customerIdOf(input.customer), input.summary ?? null, JSON.stringify(input.details ?? {})],
    );
    await recordEvent(client, context, 'case-recorded', { summary: input.summary ?? null });
    const row = await client.query<{ opened_at: Date }>('SELECT opened_at FROM cases WHERE case_id = $1', [context.caseId]);
    return { caseId: context.caseId, recordedAt: (row.rows[0]?.opened_at ?? new Date()).toISOString() };
  },
});

export interface CaseEventEntry {
  seq: number;
  at: string;
  type: string;
  step?: string;
  task?: string;
  actor?: string;
  /** For a verified person: the token their assertion names and the directory version of their roles. */
  tokenId?: string;
  directoryVersion?: number;
  outcome?: string;
  detail?: string;
}

/** Its own check (the timeline entries as the engine sends them), then each SLA event's as record-sla-event's. */
function caseHistoryInput(raw: unknown): { entries: CaseEventEntry[]; slaEvents: ReturnType<typeof checkSlaEvents> } {
  const input = (raw === undefined ? {} : raw) as { entries?: CaseEventEntry[]; slaEvents?: { key?: unknown; event?: unknown }[] };
  const entries = input.entries ?? [];
  if (!Array.isArray(entries) || !Array.isArray(input.slaEvents ?? [])) throw invalidInput('record-case-history', '`entries` and `slaEvents` must be lists');
  for (const [i, entry] of entries.entries()) {
    if (!Number.isInteger(entry?.seq) || typeof entry.type !== 'string' || Number.isNaN(Date.parse(entry.at))) {
      throw invalidInput('record-case-history', `\`entries[${i}]\` needs a whole-number \`seq\`, a \`type\` and an \`at\` time`);
    }
  }
  return { entries, slaEvents: checkSlaEvents(input.slaEvents ?? []) };
}

/**
 * What a case did beside its flow, written by the engine once per workflow task: audit rows
 * keyed by the case and the timeline entry's number, SLA events by their own keys, in one
 * transaction, so a retried batch writes each row once and a bad one writes nothing.
 */
export const recordCaseHistory = defineActivity('record-case-history', {
  input: caseHistoryInput,
  transaction: async ({ context, input: { entries, slaEvents }, client }) => {
    let written = 0;
    for (const entry of entries) {
      const { seq, at, type, step, actor, tokenId, directoryVersion, ...rest } = entry;
      const result = await client.query(
        `INSERT INTO case_events (event_key, case_id, step_id, event_type, actor, detail, occurred_at, actor_token, directory_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (event_key) DO NOTHING`,
        [`${context.caseId}:timeline:${seq}`, context.caseId, step ?? '', type, actor ?? null, JSON.stringify(rest), at, tokenId ?? null, directoryVersion ?? null],
      );
      written += result.rowCount ?? 0;
    }
    return { entries: written, slaEvents: await insertSlaEvents(client, context, slaEvents) };
  },
});
