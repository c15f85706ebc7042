/** What the parts tests share: step contexts, ledger reads, and the catalog's output schemas. */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type pg from 'pg';
import { expect } from 'vitest';
import type { StepContext } from '../../model/activity-catalog/index.js';
import { partsCatalog } from '../../model/activity-catalog/parts.js';

export function stepContext(caseId: string, stepId: string, visit = 1): StepContext {
  return { caseId, process: 'parts-test', version: 1, stepId, visit, idempotencyKey: `${caseId}:${stepId}:${visit}` };
}

export interface Book {
  onHand: number;
  damaged: number;
  expired: number;
  obsolete: number;
}

export async function bookOf(pool: pg.Pool, partNo: string): Promise<Book> {
  const result = await pool.query<Book>('SELECT on_hand AS "onHand", damaged, expired, obsolete FROM parts_stock WHERE part_no = $1', [partNo]);
  const row = result.rows[0];
  if (!row) throw new Error(`no book row for ${partNo}`);
  return row;
}

/** Parts whose book differs from the sum of their movements (none, when the ledger holds). */
export async function ledgerDisagreements(pool: pg.Pool): Promise<Array<{ part_no: string; on_hand: number; ledger: number }>> {
  const result = await pool.query<{ part_no: string; on_hand: number; ledger: number }>(
    `SELECT s.part_no, s.on_hand, coalesce(m.ledger, 0)::int AS ledger
     FROM parts_stock s LEFT JOIN (SELECT part_no, sum(delta) AS ledger FROM stock_movements GROUP BY part_no) m USING (part_no)
     WHERE s.on_hand <> coalesce(m.ledger, 0) OR s.on_hand < 0`,
  );
  return result.rows;
}

/** Row counts of every table the parts activities write, and the book, to prove that nothing was written. */
export async function writtenRows(pool: pg.Pool): Promise<Record<string, unknown>> {
  const tables = ['stock_movements', 'shipments', 'refunds', 'disposals', 'case_events'];
  // One round trip (the property test calls this thousands of times): every count, and the
  // book itself, every column of every part — a refusal must not move a flag either.
  const [counted, books] = await Promise.all([
    pool.query<Record<string, string>>(`SELECT ${tables.map((table) => `(SELECT count(*) FROM ${table}) AS ${table}`).join(', ')}`),
    pool.query('SELECT * FROM parts_stock ORDER BY part_no'),
  ]);
  const counts: Record<string, unknown> = {};
  for (const table of tables) counts[table] = Number(counted.rows[0]?.[table]);
  counts.books = books.rows;
  return counts;
}

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));

/** Asserts that `output` is what the catalog says the activity returns. */
export function expectCatalogOutput(activity: keyof typeof partsCatalog, output: unknown): void {
  const validate = ajv.getSchema(activity) ?? (ajv.addSchema(partsCatalog[activity].output, activity), ajv.getSchema(activity));
  const valid = validate?.(output);
  expect(validate?.errors ?? [], `output of ${activity}`).toEqual([]);
  expect(valid).toBe(true);
}

/** Runs `attempt` and returns the failure it was expected to raise. */
export async function failureOf(attempt: Promise<unknown>): Promise<{ type?: string; message: string; nonRetryable?: boolean }> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e as { type?: string; message: string; nonRetryable?: boolean },
  );
  if (!error) throw new Error('expected the activity to fail, and it succeeded');
  return error;
}
