/**
 * The parts ledger activities against real PostgreSQL (a fresh migrated database, with the
 * demo data's opening stock (seeds/demo.sql)): what each writes and returns, that a retry of the same step
 * writes nothing twice and returns the same, that bad data fails non-retryable naming the
 * field, and that refusals write nothing. After every test the book equals its ledger.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { partsActivities } from '../../activities/parts/index.js';
import { testDatabase, uniqueName, type TestDatabase } from '../helpers/env.js';
import { bookOf, expectCatalogOutput, failureOf, ledgerDisagreements, stepContext, writtenRows } from './parts-helpers.js';

let db: TestDatabase;
let parts: ReturnType<typeof partsActivities>;

/** Calls a parts activity by its catalog name, as the worker would. */
function run(name: keyof typeof parts, context: ReturnType<typeof stepContext>, input: unknown): Promise<unknown> {
  return (parts[name] as (context: ReturnType<typeof stepContext>, input: unknown) => Promise<unknown>)(context, input);
}

beforeAll(async () => {
  db = await testDatabase();
  parts = partsActivities(db.pool);
});
afterEach(async () => {
  expect(await ledgerDisagreements(db.pool)).toEqual([]);
});
afterAll(async () => {
  await db?.close();
});

/** Asserts that `attempt` fails with `type` and `message`, non-retryable, having written nothing. */
async function expectFailureWritingNothing(attempt: () => Promise<unknown>, type: 'InvalidActivityInput' | 'BusinessRuleViolation', message: string | RegExp): Promise<void> {
  const before = await writtenRows(db.pool);
  const failure = await failureOf(attempt());
  expect(failure).toMatchObject({ type, nonRetryable: true });
  if (typeof message === 'string') expect(failure.message).toBe(message);
  else expect(failure.message).toMatch(message);
  expect(await writtenRows(db.pool)).toEqual(before);
}

describe('the opening stock', () => {
  it('is a book that equals the sum of its movements, with damaged, expired and obsolete units flagged', async () => {
    expect(await bookOf(db.pool, 'WM-BRG-6204')).toEqual({ onHand: 40, damaged: 3, expired: 0, obsolete: 0 });
    expect(await bookOf(db.pool, 'TV-MB-42')).toEqual({ onHand: 9, damaged: 0, expired: 0, obsolete: 9 });
    const kinds = await db.pool.query('SELECT DISTINCT kind FROM stock_movements');
    expect(kinds.rows).toEqual([{ kind: 'opening' }]);
  });

  it('cannot be changed except through a movement: the database refuses a book edit, a history edit and a negative book', async () => {
    const client = await db.pool.connect();
    try {
      await expect(client.query(`UPDATE parts_stock SET on_hand = on_hand + 1 WHERE part_no = 'RF-THERM-01'`)).rejects.toThrow(
        'book and ledger disagree for part RF-THERM-01: on hand 31, movements sum to 30',
      );
      await expect(client.query(`UPDATE stock_movements SET quantity = 1 WHERE movement_key = 'opening:RF-THERM-01'`)).rejects.toThrow(
        'stock_movements is append-only: correct movement opening:RF-THERM-01 with an adjustment',
      );
      await expect(
        client.query(`INSERT INTO stock_movements (movement_key, part_no, kind, quantity, delta) VALUES ('x', 'RF-COMP-320', 'issue', 4, -4)`),
      ).rejects.toThrow('new row for relation "parts_stock" violates check constraint "book_not_negative"');
      await expect(
        client.query(`INSERT INTO stock_movements (movement_key, part_no, kind, quantity, delta) VALUES ('y', 'RF-COMP-320', 'issue', 1, 1)`),
      ).rejects.toThrow(/delta_matches_kind/);
    } finally {
      client.release();
    }
    expect(await bookOf(db.pool, 'RF-THERM-01')).toMatchObject({ onHand: 30 });
  });
});

describe('check-parts-value', () => {
  it('prices a requisition and asks for approval from the threshold, or for a valuable part', async () => {
    const context = stepContext(uniqueName('C'), 'value');
    const cheap = await run('check-parts-value', context, { parts: [{ partNo: 'WM-BRG-6204', quantity: 2 }, { partNo: 'WM-SEAL-80', quantity: 1 }], approvalThreshold: 500 });
    expectCatalogOutput('check-parts-value', cheap);
    expect(cheap).toEqual({
      total: 102,
      needsApproval: false,
      available: true,
      lines: [
        { partNo: 'WM-BRG-6204', name: 'Washing machine drum bearing', quantity: 2, unitCost: 18.5, onHand: 40, issuable: 37, valuable: false, scarce: false },
        { partNo: 'WM-SEAL-80', name: 'Washing machine door seal', quantity: 1, unitCost: 65, onHand: 15, issuable: 11, valuable: false, scarce: false },
      ],
    });
    expect(await run('check-parts-value', context, { parts: [{ partNo: 'WM-BRG-6204', quantity: 2 }, { partNo: 'WM-SEAL-80', quantity: 1 }], approvalThreshold: 102 })).toMatchObject({ total: 102, needsApproval: true });
    expect(await run('check-parts-value', context, { parts: [{ partNo: 'WM-CB-80', quantity: 1 }], approvalThreshold: 10_000 })).toMatchObject({ total: 420, needsApproval: true, available: true });
  });

  it('says the stock does not cover a line when more is asked than the good units on the shelf', async () => {
    const result = await run('check-parts-value', stepContext(uniqueName('C'), 'value'), { parts: [{ partNo: 'WM-BRG-6204', quantity: 38 }], approvalThreshold: 10_000 });
    expect(result).toMatchObject({ total: 703, available: false, lines: [{ onHand: 40, issuable: 37 }] });
  });

  it('reads only: it writes no row', async () => {
    const before = await writtenRows(db.pool);
    await run('check-parts-value', stepContext(uniqueName('C'), 'value'), { parts: [{ partNo: 'TV-MB-55', quantity: 1 }], approvalThreshold: 0 });
    expect(await writtenRows(db.pool)).toEqual(before);
  });

  it('refuses an unknown part number, naming it and where it was given', async () => {
    await expectFailureWritingNothing(
      () => run('check-parts-value', stepContext(uniqueName('C'), 'value'), { parts: [{ partNo: 'WM-BRG-6204', quantity: 1 }, { partNo: 'WM-BRG-9999', quantity: 1 }], approvalThreshold: 0 }),
      'InvalidActivityInput',
      'check-parts-value: `parts[1].partNo`: there is no part WM-BRG-9999 in the parts ledger',
    );
  });

  it('refuses bad data, every problem at once', async () => {
    await expectFailureWritingNothing(
      () => run('check-parts-value', stepContext(uniqueName('C'), 'value'), { parts: [{ partNo: 'WM-BRG-6204', quantity: 0 }, { partNo: 'WM-SEAL-80' }], approvalThreshold: -1 }),
      'InvalidActivityInput',
      'check-parts-value: `parts[0].quantity` must be at least 1, not 0; `parts[1].quantity` is required; `approvalThreshold` must be at least 0, not -1',
    );
  });
});

describe('issue-parts', () => {
  it('issues every line against the work order and says what is left', async () => {
    const caseId = uniqueName('R');
    const output = await run('issue-parts', stepContext(caseId, 'draw-parts'), { parts: [{ partNo: 'WM-BRG-6205', quantity: 2 }, { partNo: 'WM-SEAL-80', quantity: 1 }], workOrderId: 'WO-1001', approvedBy: 'wang.fang' });
    expectCatalogOutput('issue-parts', output);
    expect(output).toEqual({ issued: [{ partNo: 'WM-BRG-6205', quantity: 2, onHandAfter: 22 }, { partNo: 'WM-SEAL-80', quantity: 1, onHandAfter: 14 }] });
    const movements = await db.pool.query('SELECT movement_key, part_no, kind, quantity, delta, reference FROM stock_movements WHERE case_id = $1 ORDER BY movement_key', [caseId]);
    expect(movements.rows).toEqual([
      { movement_key: `${caseId}:draw-parts:1:0`, part_no: 'WM-BRG-6205', kind: 'issue', quantity: 2, delta: -2, reference: 'WO-1001' },
      { movement_key: `${caseId}:draw-parts:1:1`, part_no: 'WM-SEAL-80', kind: 'issue', quantity: 1, delta: -1, reference: 'WO-1001' },
    ]);
    const events = await db.pool.query('SELECT event_key, event_type, actor, detail FROM case_events WHERE case_id = $1', [caseId]);
    expect(events.rows).toEqual([
      { event_key: `${caseId}:draw-parts:1:parts-issued`, event_type: 'parts-issued', actor: 'wang.fang', detail: { activity: 'issue-parts', workOrderId: 'WO-1001', approvedBy: 'wang.fang', result: output } },
    ]);
  });

  it('issues once per step visit: the same step again returns the same lines and writes nothing', async () => {
    const context = stepContext(uniqueName('R'), 'draw-parts');
    const input = { parts: [{ partNo: 'RF-THERM-01', quantity: 3 }] };
    const first = await run('issue-parts', context, input);
    const rows = await writtenRows(db.pool);
    const again = await run('issue-parts', context, input);
    expect(again).toEqual(first);
    expect(await writtenRows(db.pool)).toEqual(rows);
    // The next visit of the step (a loop) is a new requisition.
    expect(await run('issue-parts', { ...context, visit: 2, idempotencyKey: `${context.caseId}:draw-parts:2` }, input)).toEqual({ issued: [{ partNo: 'RF-THERM-01', quantity: 3, onHandAfter: 24 }] });
  });

  it('refuses a requisition the stock does not cover, naming the part, what is on hand and what was asked, and issues none of its lines', async () => {
    await expectFailureWritingNothing(
      () => run('issue-parts', stepContext(uniqueName('R'), 'draw-parts'), { parts: [{ partNo: 'WM-BRG-6204', quantity: 1 }, { partNo: 'RF-COMP-320', quantity: 5 }] }),
      'BusinessRuleViolation',
      'issue-parts: not enough stock of RF-COMP-320 (Refrigerator compressor): 3 on hand, 5 requested',
    );
  });

  it('does not issue damaged, expired or obsolete units', async () => {
    await expectFailureWritingNothing(
      () => run('issue-parts', stepContext(uniqueName('R'), 'draw-parts'), { parts: [{ partNo: 'TV-MB-42', quantity: 1 }] }),
      'BusinessRuleViolation',
      'issue-parts: not enough stock of TV-MB-42 (TV main board (discontinued 42" series)): 9 on hand (9 of them damaged, expired or obsolete, 0 issuable), 1 requested',
    );
  });

  it('refuses bad data before reading the ledger', async () => {
    await expectFailureWritingNothing(() => run('issue-parts', stepContext(uniqueName('R'), 'draw-parts'), { parts: [], workOrder: 'WO-1' }), 'InvalidActivityInput', 'issue-parts: `workOrder` is not a known field; `parts` needs at least 1 item');
    await expectFailureWritingNothing(
      () => run('issue-parts', stepContext(uniqueName('R'), 'draw-parts'), { parts: [{ partNo: 'WM-SEAL-80', quantity: 1 }, { partNo: 'WM-SEAL-80', quantity: 2 }] }),
      'InvalidActivityInput',
      'issue-parts: `parts[1]` repeats WM-SEAL-80 of `parts[0]`; give one line per part',
    );
    await expectFailureWritingNothing(() => run('issue-parts', stepContext(uniqueName('R'), 'draw-parts'), { parts: [{ partNo: 'NOPE', quantity: 1 }] }), 'InvalidActivityInput', 'issue-parts: `parts[0].partNo`: there is no part NOPE in the parts ledger');
  });
});

describe('receive-into-stock', () => {
  it('receives returned goods as returns and supplier deliveries as receipts; damaged units are flagged', async () => {
    const caseId = uniqueName('E');
    const before = await bookOf(db.pool, 'WM-80');
    const output = await run('receive-into-stock', stepContext(caseId, 'receive-original'), { items: [{ partNo: 'WM-80', quantity: 1, condition: 'damaged' }], reason: 'exchange-original', reference: 'SH-000001' });
    expectCatalogOutput('receive-into-stock', output);
    expect(output).toEqual({ received: [{ partNo: 'WM-80', quantity: 1, onHandAfter: before.onHand + 1 }] });
    expect(await bookOf(db.pool, 'WM-80')).toEqual({ ...before, onHand: before.onHand + 1, damaged: before.damaged + 1 });

    const delivery = await run('receive-into-stock', stepContext(caseId, 'goods-in'), { items: [{ partNo: 'RF-COMP-320', quantity: 2 }], reason: 'supplier-delivery' });
    expect(delivery).toEqual({ received: [{ partNo: 'RF-COMP-320', quantity: 2, onHandAfter: 5 }] });
    const movements = await db.pool.query('SELECT part_no, kind, quantity, condition, reason FROM stock_movements WHERE case_id = $1 ORDER BY movement_id', [caseId]);
    expect(movements.rows).toEqual([
      { part_no: 'WM-80', kind: 'return', quantity: 1, condition: 'damaged', reason: 'exchange-original' },
      { part_no: 'RF-COMP-320', kind: 'receipt', quantity: 2, condition: 'good', reason: 'supplier-delivery' },
    ]);
  });

  it('receives once per step visit', async () => {
    const context = stepContext(uniqueName('E'), 'receive-unused');
    const input = { items: [{ partNo: 'WM-BRG-6205', quantity: 1 }], reason: 'unused-from-repair' };
    const first = await run('receive-into-stock', context, input);
    const rows = await writtenRows(db.pool);
    expect(await run('receive-into-stock', context, input)).toEqual(first);
    expect(await writtenRows(db.pool)).toEqual(rows);
  });

  it('refuses an unknown reason or condition, writing nothing', async () => {
    await expectFailureWritingNothing(
      () => run('receive-into-stock', stepContext(uniqueName('E'), 'receive'), { items: [{ partNo: 'WM-80', quantity: 1, condition: 'broken' }], reason: 'found' }),
      'InvalidActivityInput',
      'receive-into-stock: `items[0].condition` must be one of `good` or `damaged`, not `broken`; `reason` must be one of `returned-by-customer`, `exchange-original`, `supplier-delivery` or `unused-from-repair`, not `found`',
    );
  });
});

describe('ship-replacement, record-delivery and record-parcel-received', () => {
  const customer = { id: 'M-20931', name: 'Wang Li' };

  it('takes the replacement from stock, ships it and tracks its delivery', async () => {
    const caseId = uniqueName('E');
    const before = await bookOf(db.pool, 'RF-320');
    const shipped = (await run('ship-replacement', stepContext(caseId, 'ship'), { partNo: 'RF-320', customer, address: '88 Huaihai Road, Shanghai' })) as { shipmentId: string; trackingNumber: string };
    expectCatalogOutput('ship-replacement', shipped);
    expect(shipped).toMatchObject({ shipmentId: expect.stringMatching(/^SH-\d{6}$/), trackingNumber: expect.stringMatching(/^SF\d{13}$/), carrier: 'SF Express' });
    expect(await bookOf(db.pool, 'RF-320')).toMatchObject({ onHand: before.onHand - 1 });
    const movement = await db.pool.query('SELECT kind, quantity, reference FROM stock_movements WHERE case_id = $1', [caseId]);
    expect(movement.rows).toEqual([{ kind: 'issue', quantity: 1, reference: shipped.shipmentId }]);

    const delivered = await run('record-delivery', stepContext(caseId, 'track'), { shipmentId: shipped.shipmentId, status: 'delivered', note: 'signed by the customer' });
    expectCatalogOutput('record-delivery', delivered);
    const row = await db.pool.query('SELECT direction, status, status_note, tracking_number, customer_id, address FROM shipments WHERE shipment_id = $1', [shipped.shipmentId]);
    expect(row.rows).toEqual([{ direction: 'outbound', status: 'delivered', status_note: 'signed by the customer', tracking_number: shipped.trackingNumber, customer_id: 'M-20931', address: '88 Huaihai Road, Shanghai' }]);
    expect(await run('record-delivery', stepContext(caseId, 'track'), { shipmentId: shipped.shipmentId, status: 'delivered' })).toEqual(delivered);

    await expectFailureWritingNothing(
      () => run('record-delivery', stepContext(caseId, 'track-again'), { shipmentId: shipped.shipmentId, status: 'failed' }),
      'BusinessRuleViolation',
      `record-delivery: shipment ${shipped.shipmentId} was already recorded as delivered; it cannot become failed`,
    );
  });

  it('ships once per step visit', async () => {
    const context = stepContext(uniqueName('E'), 'ship');
    const input = { partNo: 'WM-80', quantity: 1, customer, address: '1 Jiefang Road, Hangzhou' };
    const first = await run('ship-replacement', context, input);
    const rows = await writtenRows(db.pool);
    expect(await run('ship-replacement', context, input)).toEqual(first);
    expect(await writtenRows(db.pool)).toEqual(rows);
  });

  it('refuses to ship what is not in stock, and a spare part as a replacement product', async () => {
    await expectFailureWritingNothing(
      () => run('ship-replacement', stepContext(uniqueName('E'), 'ship'), { partNo: 'TV-55U', quantity: 3, customer, address: 'Chengdu' }),
      'BusinessRuleViolation',
      'ship-replacement: not enough stock of TV-55U (Television TV-55U (55" 4K)): 2 on hand, 3 requested',
    );
    await expectFailureWritingNothing(
      () => run('ship-replacement', stepContext(uniqueName('E'), 'ship'), { partNo: 'TV-MB-55', customer, address: 'Chengdu' }),
      'InvalidActivityInput',
      "ship-replacement: `partNo`: TV-MB-55 (TV main board) is a spare part, not a product that can replace the customer's",
    );
    await expectFailureWritingNothing(() => run('ship-replacement', stepContext(uniqueName('E'), 'ship'), { partNo: 'TV-55U', customer: { id: 'M-1' } }), 'InvalidActivityInput', 'ship-replacement: `address` is required; `customer.name` is required');
  });

  it('refuses a delivery for an unknown shipment', async () => {
    await expectFailureWritingNothing(() => run('record-delivery', stepContext(uniqueName('E'), 'track'), { shipmentId: 'SH-999999', status: 'delivered' }), 'InvalidActivityInput', 'record-delivery: `shipmentId`: there is no shipment SH-999999');
  });

  it('signs for the parcel the customer sent back, once per step visit', async () => {
    const context = stepContext(uniqueName('T'), 'sign-for-parcel');
    const input = { trackingNumber: 'YT1234567890', description: 'WM-80 in original box', condition: 'box dented', signedBy: 'logistics.zhang' };
    const received = (await run('record-parcel-received', context, input)) as { shipmentId: string };
    expectCatalogOutput('record-parcel-received', received);
    const rows = await writtenRows(db.pool);
    expect(await run('record-parcel-received', context, input)).toEqual(received);
    expect(await writtenRows(db.pool)).toEqual(rows);
    const row = await db.pool.query('SELECT direction, status, tracking_number, condition, signed_by FROM shipments WHERE shipment_id = $1', [received.shipmentId]);
    expect(row.rows).toEqual([{ direction: 'inbound', status: 'received', tracking_number: 'YT1234567890', condition: 'box dented', signed_by: 'logistics.zhang' }]);
  });
});

describe('refund', () => {
  it('refunds once per case by the original payment method; the same step again returns the same refund', async () => {
    const caseId = uniqueName('T');
    const input = { amount: 2399.5, paymentMethod: 'Alipay', orderId: 'O-77812' };
    const first = (await run('refund', stepContext(caseId, 'refund'), input)) as { refundId: string };
    expectCatalogOutput('refund', first);
    expect(first.refundId).toMatch(/^RF-\d{6}$/);
    expect(await run('refund', stepContext(caseId, 'refund'), input)).toEqual(first);
    const rows = await db.pool.query('SELECT refund_id, refund_key, order_id, amount, currency, payment_method FROM refunds WHERE case_id = $1', [caseId]);
    expect(rows.rows).toEqual([{ refund_id: first.refundId, refund_key: `${caseId}:refund:1`, order_id: 'O-77812', amount: '2399.50', currency: 'CNY', payment_method: 'Alipay' }]);
  });

  it('recognises its own refund from the refund row alone, should the audit row be missing', async () => {
    const caseId = uniqueName('T');
    const input = { amount: 80, paymentMethod: 'card', orderId: 'O-4' };
    const first = await run('refund', stepContext(caseId, 'refund'), input);
    await db.pool.query('DELETE FROM case_events WHERE case_id = $1', [caseId]);
    expect(await run('refund', stepContext(caseId, 'refund'), input)).toEqual(first);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM refunds WHERE case_id = $1', [caseId])).rows).toEqual([{ n: 1 }]);
  });

  it('refuses a second refund for the case from another step, naming the refund already made', async () => {
    const caseId = uniqueName('T');
    const { refundId } = (await run('refund', stepContext(caseId, 'refund'), { amount: 100, currency: 'CNY', paymentMethod: 'WeChat Pay', orderId: 'O-1' })) as { refundId: string };
    await expectFailureWritingNothing(
      () => run('refund', stepContext(caseId, 'refund-again'), { amount: 100, paymentMethod: 'WeChat Pay', orderId: 'O-1' }),
      'BusinessRuleViolation',
      new RegExp(`^refund: case ${caseId} was already refunded: ${refundId} \\(100\\.00 CNY on .+, by step visit ${caseId}:refund:1\\); a case gets one refund$`),
    );
  });

  it('refuses two refunds started together for one case: exactly one is made', async () => {
    const caseId = uniqueName('T');
    const attempts = await Promise.allSettled(['refund-a', 'refund-b'].map((step) => run('refund', stepContext(caseId, step), { amount: 50, paymentMethod: 'card', orderId: 'O-2' })));
    expect(attempts.map((a) => a.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM refunds WHERE case_id = $1', [caseId])).rows).toEqual([{ n: 1 }]);
  });

  it('refuses a refund of nothing, of fractions of a fen, or in an unknown currency format', async () => {
    await expectFailureWritingNothing(
      () => run('refund', stepContext(uniqueName('T'), 'refund'), { amount: 0, currency: 'yuan', paymentMethod: 'card', orderId: 'O-3' }),
      'InvalidActivityInput',
      'refund: `amount` must be more than 0; `currency` must match the pattern `^[A-Z]{3}$`, not "yuan"',
    );
    await expectFailureWritingNothing(() => run('refund', stepContext(uniqueName('T'), 'refund'), { amount: 10.005, paymentMethod: 'card', orderId: 'O-3' }), 'InvalidActivityInput', 'refund: `amount` must be a multiple of 0.01, not 10.005');
  });
});

describe('find-disposable-parts and dispose-parts', () => {
  it('finds the units flagged damaged, expired or obsolete, by reason', async () => {
    const context = stepContext(uniqueName('D'), 'check');
    const found = (await run('find-disposable-parts', context, {})) as { parts: Array<{ partNo: string; reason: string; quantity: number }>; count: number };
    expectCatalogOutput('find-disposable-parts', found);
    expect(found.parts).toEqual(expect.arrayContaining([
      { partNo: 'RF-GASKET-320', name: 'Refrigerator door gasket', quantity: 2, reason: 'expired' },
      { partNo: 'TV-MB-42', name: 'TV main board (discontinued 42" series)', quantity: 9, reason: 'obsolete' },
      { partNo: 'WM-BRG-6204', name: 'Washing machine drum bearing', quantity: 3, reason: 'damaged' },
      { partNo: 'WM-SEAL-80', name: 'Washing machine door seal', quantity: 4, reason: 'expired' },
    ]));
    expect(found.count).toBe(found.parts.length);
    const expired = (await run('find-disposable-parts', context, { reasons: ['expired'] })) as typeof found;
    expect(expired.parts.map((p) => `${p.partNo}:${p.reason}:${p.quantity}`)).toEqual(['RF-GASKET-320:expired:2', 'WM-SEAL-80:expired:4']);
  });

  it('disposes of flagged units: the ledger is reduced, the flags come down, the proceeds are recorded; once per step visit', async () => {
    const caseId = uniqueName('D');
    const context = stepContext(caseId, 'dispose');
    const seals = await bookOf(db.pool, 'WM-SEAL-80');
    const input = { parts: [{ partNo: 'WM-SEAL-80', quantity: 4, reason: 'expired' }, { partNo: 'TV-MB-42', quantity: 5, reason: 'obsolete' }], method: 'scrap-sale', proceeds: 120.5 };
    const output = (await run('dispose-parts', context, input)) as { disposalId: string };
    expectCatalogOutput('dispose-parts', output);
    expect(output).toEqual({ disposalId: expect.stringMatching(/^DP-\d{6}$/), movements: [{ partNo: 'WM-SEAL-80', quantity: 4, onHandAfter: seals.onHand - 4 }, { partNo: 'TV-MB-42', quantity: 5, onHandAfter: 4 }] });
    expect(await bookOf(db.pool, 'WM-SEAL-80')).toEqual({ ...seals, onHand: seals.onHand - 4, expired: 0 });
    expect(await bookOf(db.pool, 'TV-MB-42')).toEqual({ onHand: 4, damaged: 0, expired: 0, obsolete: 4 });
    const disposal = await db.pool.query('SELECT method, proceeds, case_id FROM disposals WHERE disposal_id = $1', [output.disposalId]);
    expect(disposal.rows).toEqual([{ method: 'scrap-sale', proceeds: '120.50', case_id: caseId }]);
    const movements = await db.pool.query('SELECT part_no, kind, quantity, reason, reference FROM stock_movements WHERE case_id = $1 ORDER BY movement_key', [caseId]);
    expect(movements.rows).toEqual([
      { part_no: 'WM-SEAL-80', kind: 'disposal', quantity: 4, reason: 'expired', reference: output.disposalId },
      { part_no: 'TV-MB-42', kind: 'disposal', quantity: 5, reason: 'obsolete', reference: output.disposalId },
    ].sort((a, b) => (a.part_no < b.part_no ? 1 : -1)));

    const rows = await writtenRows(db.pool);
    expect(await run('dispose-parts', context, input)).toEqual(output);
    expect(await writtenRows(db.pool)).toEqual(rows);
  });

  it('refuses to dispose of more than is flagged for the reason, writing nothing', async () => {
    await expectFailureWritingNothing(
      () => run('dispose-parts', stepContext(uniqueName('D'), 'dispose'), { parts: [{ partNo: 'RF-GASKET-320', quantity: 1, reason: 'expired' }, { partNo: 'RF-THERM-01', quantity: 1, reason: 'damaged' }], method: 'recycling', proceeds: 0 }),
      'BusinessRuleViolation',
      /^dispose-parts: more than can be disposed of: RF-THERM-01 \(Refrigerator thermostat\): 0 flagged damaged of \d+ on hand, 1 to dispose of$/,
    );
    await expectFailureWritingNothing(
      () => run('dispose-parts', stepContext(uniqueName('D'), 'dispose'), { parts: [{ partNo: 'RF-GASKET-320', quantity: 1, reason: 'worn' }], method: 'landfill', proceeds: -1 }),
      'InvalidActivityInput',
      'dispose-parts: `parts[0].reason` must be one of `damaged`, `expired` or `obsolete`, not `worn`; `method` must be one of `scrap-sale` or `recycling`, not `landfill`; `proceeds` must be at least 0, not -1',
    );
  });
});
