/** Reads of the records that the process tests assert on, shared so each names its rows once. */
import type pg from 'pg';
import { expect } from 'vitest';

export async function rowsOf(pool: pg.Pool, sql: string, caseId: string) {
  return (await pool.query(sql, [caseId])).rows;
}

/** The case's stock movements, in the order they were written. */
export const movementsOf = (pool: pg.Pool, caseId: string) =>
  rowsOf(pool, 'SELECT part_no, kind, quantity, delta, condition, reason, reference FROM stock_movements WHERE case_id = $1 ORDER BY movement_id', caseId);

/** What the case queued for the customer in the notifications outbox. */
export const customerNoticesOf = (pool: pg.Pool, caseId: string) =>
  rowsOf(pool, 'SELECT recipient_customer, channel, subject, body FROM notifications WHERE case_id = $1 AND recipient_customer IS NOT NULL', caseId);

/** The book of a part (or product), checked against what its movements add up to. */
export async function checkedBookOf(pool: pg.Pool, partNo: string): Promise<{ onHand: number; damaged: number }> {
  const {
    rows: [row],
  } = await pool.query(`SELECT s.on_hand, s.damaged, (SELECT sum(delta)::int FROM stock_movements m WHERE m.part_no = s.part_no) AS ledger FROM parts_stock s WHERE part_no = $1`, [partNo]);
  expect(row.on_hand, `book of ${partNo}`).toBe(row.ledger);
  return { onHand: row.on_hand as number, damaged: row.damaged as number };
}
