/**
 * The ledger property, against real PostgreSQL: over random sequences of repairs (issue),
 * returns and exchanges (receive, ship) and disposals, each step sometimes retried with the
 * same idempotency key — one after the other, or two attempts at once as after a worker
 * crash — the book never goes negative, a refused operation writes nothing, a retry returns
 * the first output and writes nothing, and for every part the book equals the sum of its
 * movements. Each operation is also checked against a model of the shelf: it succeeds exactly
 * when the model says the stock covers it, and then moves the book exactly as the model does.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partsActivities } from '../../activities/parts/index.js';
import { testDatabase, type TestDatabase } from '../helpers/env.js';
import { ledgerDisagreements, stepContext, writtenRows, type Book } from './parts-helpers.js';

const spareParts = ['WM-BRG-6204', 'WM-SEAL-80', 'WM-CB-80', 'RF-COMP-320', 'RF-THERM-01', 'TV-MB-42'] as const;
const products = ['WM-80', 'RF-320', 'TV-55U'] as const;
const allParts = [...spareParts, ...products];
type Reason = 'damaged' | 'expired' | 'obsolete';

type Operation =
  | { kind: 'issue-parts'; input: { parts: Array<{ partNo: string; quantity: number }> } }
  | { kind: 'receive-into-stock'; input: { items: Array<{ partNo: string; quantity: number; condition: 'good' | 'damaged' }>; reason: string } }
  | { kind: 'ship-replacement'; input: { partNo: string; quantity: number; customer: { id: string; name: string }; address: string } }
  | { kind: 'dispose-parts'; input: { parts: Array<{ partNo: string; quantity: number; reason: Reason }>; method: 'scrap-sale' | 'recycling'; proceeds: number } };

type Retry = 'none' | 'again' | 'concurrently';

const quantity = (max: number) => fc.integer({ min: 1, max });
const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 3, arbitrary: fc.uniqueArray(fc.record({ partNo: fc.constantFrom(...spareParts), quantity: quantity(6) }), { minLength: 1, maxLength: 3, selector: (l) => l.partNo }).map((parts) => ({ kind: 'issue-parts' as const, input: { parts } })) },
  {
    weight: 3,
    arbitrary: fc
      .record({
        items: fc.uniqueArray(fc.record({ partNo: fc.constantFrom(...allParts), quantity: quantity(10), condition: fc.constantFrom('good' as const, 'damaged' as const) }), { minLength: 1, maxLength: 3, selector: (l) => `${l.partNo}/${l.condition}` }),
        reason: fc.constantFrom('returned-by-customer', 'exchange-original', 'supplier-delivery', 'unused-from-repair'),
      })
      .map((input) => ({ kind: 'receive-into-stock' as const, input })),
  },
  { weight: 2, arbitrary: fc.record({ partNo: fc.constantFrom(...products), quantity: quantity(3) }).map(({ partNo, quantity }) => ({ kind: 'ship-replacement' as const, input: { partNo, quantity, customer: { id: 'M-1', name: 'Liu Yang' }, address: 'Nanjing' } })) },
  {
    weight: 1,
    arbitrary: fc
      .record({
        parts: fc.uniqueArray(fc.record({ partNo: fc.constantFrom(...allParts), quantity: quantity(5), reason: fc.constantFrom<Reason>('damaged', 'expired', 'obsolete') }), { minLength: 1, maxLength: 2, selector: (l) => `${l.partNo}/${l.reason}` }),
        method: fc.constantFrom('scrap-sale' as const, 'recycling' as const),
        proceeds: fc.integer({ min: 0, max: 50_000 }).map((cents) => cents / 100),
      })
      .map((input) => ({ kind: 'dispose-parts' as const, input })),
  },
);
const step = fc.record({ operation, retry: fc.constantFrom<Retry>('none', 'none', 'again', 'concurrently') });

type Model = Map<string, Book>;

/** The model's verdict: the book after the operation, or undefined when the stock does not cover it. */
function applied(model: Model, op: Operation): Model | undefined {
  const next: Model = new Map([...model].map(([partNo, book]) => [partNo, { ...book }]));
  const book = (partNo: string) => next.get(partNo) as Book;
  const issuable = (b: Book) => b.onHand - b.damaged - b.expired - b.obsolete;
  switch (op.kind) {
    case 'issue-parts':
      if (op.input.parts.some((l) => l.quantity > issuable(book(l.partNo)))) return undefined;
      for (const l of op.input.parts) book(l.partNo).onHand -= l.quantity;
      return next;
    case 'ship-replacement':
      if (op.input.quantity > issuable(book(op.input.partNo))) return undefined;
      book(op.input.partNo).onHand -= op.input.quantity;
      return next;
    case 'receive-into-stock':
      for (const l of op.input.items) {
        book(l.partNo).onHand += l.quantity;
        if (l.condition === 'damaged') book(l.partNo).damaged += l.quantity;
      }
      return next;
    case 'dispose-parts':
      if (op.input.parts.some((l) => l.quantity > book(l.partNo)[l.reason])) return undefined;
      for (const l of op.input.parts) {
        book(l.partNo).onHand -= l.quantity;
        book(l.partNo)[l.reason] -= l.quantity;
      }
      return next;
  }
}

let db: TestDatabase;
let parts: ReturnType<typeof partsActivities>;

async function books(): Promise<Model> {
  const rows = await db.pool.query<Book & { partNo: string }>('SELECT part_no AS "partNo", on_hand AS "onHand", damaged, expired, obsolete FROM parts_stock ORDER BY part_no');
  return new Map(rows.rows.map(({ partNo, ...book }) => [partNo, book]));
}

beforeAll(async () => {
  db = await testDatabase();
  parts = partsActivities(db.pool);
});
afterAll(async () => {
  await db?.close();
});

describe('the parts ledger under random operations and retries', () => {
  // 100 runs of up to 10 operations, each checked with a dozen queries: 10-15 s quiet, and
  // several times that on a loaded machine.
  it('never goes negative, writes nothing for a refusal or a retry, and keeps every book equal to the sum of its movements', { timeout: 300_000 }, async () => {
    const tally = { succeeded: 0, refused: 0, retried: 0 };
    const refusedByKind: Record<string, number> = {};
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
        run += 1;
        let model = await books();
        for (const [index, { operation: op, retry }] of steps.entries()) {
          const context = stepContext(`P-${run}`, `${op.kind}-${index}`);
          const call = () => (parts[op.kind] as (c: typeof context, input: unknown) => Promise<unknown>)(context, op.input);
          const expected = applied(model, op);
          const before = await writtenRows(db.pool);
          const attempts = retry === 'concurrently' ? await Promise.allSettled([call(), call()]) : [await call().then((value) => ({ status: 'fulfilled' as const, value }), (reason: unknown) => ({ status: 'rejected' as const, reason }))];
          if (expected === undefined) {
            for (const attempt of attempts) expect(attempt).toMatchObject({ status: 'rejected', reason: { type: 'BusinessRuleViolation', nonRetryable: true } });
            expect(await writtenRows(db.pool)).toEqual(before);
            tally.refused += 1;
            refusedByKind[op.kind] = (refusedByKind[op.kind] ?? 0) + 1;
          } else {
            for (const attempt of attempts) expect(attempt.status, JSON.stringify(attempt)).toBe('fulfilled');
            const first = attempts[0] as PromiseFulfilledResult<unknown>;
            const afterFirst = await writtenRows(db.pool);
            if (retry === 'concurrently') expect((attempts[1] as PromiseFulfilledResult<unknown>).value).toEqual(first.value);
            if (retry === 'again') expect(await call()).toEqual(first.value);
            if (retry !== 'none') tally.retried += 1;
            expect(await writtenRows(db.pool)).toEqual(afterFirst);
            model = expected;
            tally.succeeded += 1;
          }
          expect(await books()).toEqual(model);
          expect(await ledgerDisagreements(db.pool)).toEqual([]);
        }
      }),
      { seed: 20261126, numRuns: 100 },
    );
    // The generator must exercise both sides of every rule, or the property proves little.
    expect(tally.succeeded).toBeGreaterThan(100);
    expect(tally.refused).toBeGreaterThan(20);
    expect(tally.retried).toBeGreaterThan(50);
    console.log(`ledger property: ${run} runs, ${tally.succeeded} operations done, ${tally.refused} refused (${JSON.stringify(refusedByKind)}), ${tally.retried} retried`);
  });
});
