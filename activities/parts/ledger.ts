/**
 * The book and its ledger, as the activities use them. A movement row is the only way the
 * book changes (a trigger applies it, see migrations/0003_parts.sql); the code locks the
 * book rows it will change and refuses before writing, the database refuses again if code
 * ever gets it wrong (on_hand >= 0, flags within on hand, book == sum of movements).
 */
import type pg from 'pg';
import { invalidInput } from '../errors.js';
import type { PartsActivityName } from './validate.js';

export type DisposalReason = 'damaged' | 'expired' | 'obsolete';
/** What the activities write; `opening` (a part's opening balance) only the demo seed and a company's own stock-take import do. */
export type MovementKind = 'opening' | 'receipt' | 'issue' | 'return' | 'disposal' | 'adjustment';

export interface StockRow {
  partNo: string;
  name: string;
  category: 'part' | 'product';
  unitCost: number;
  valuable: boolean;
  scarce: boolean;
  onHand: number;
  damaged: number;
  expired: number;
  obsolete: number;
}

/** Units that can be issued: on the shelf and not flagged for disposal. */
export function issuable(row: StockRow): number {
  return row.onHand - row.damaged - row.expired - row.obsolete;
}

export function describePart(row: Pick<StockRow, 'partNo' | 'name'>): string {
  return `${row.partNo} (${row.name})`;
}

/**
 * The parts and their book rows, by part number. With `lock`, the part rows are locked until
 * the transaction ends: every writer of the book takes these locks first, in part-number
 * order, so two requisitions wait for each other instead of deadlocking. An unknown part
 * number is bad data: `InvalidActivityInput` naming it and where it was given.
 */
export async function stockOf(
  client: pg.Pool | pg.ClientBase,
  activity: PartsActivityName,
  field: string,
  partNos: readonly string[],
  options: { lock?: boolean } = {},
): Promise<Map<string, StockRow>> {
  const wanted = [...new Set(partNos)].sort();
  const result = await client.query<{
    part_no: string;
    name: string;
    category: 'part' | 'product';
    unit_cost: string;
    valuable: boolean;
    scarce: boolean;
    on_hand: number | null;
    damaged: number | null;
    expired: number | null;
    obsolete: number | null;
  }>(
    `SELECT p.part_no, p.name, p.category, p.unit_cost, p.valuable, p.scarce, s.on_hand, s.damaged, s.expired, s.obsolete
     FROM parts p LEFT JOIN parts_stock s ON s.part_no = p.part_no
     WHERE p.part_no = ANY($1) ORDER BY p.part_no ${options.lock ? 'FOR NO KEY UPDATE OF p' : ''}`,
    [wanted],
  );
  const rows = new Map(
    result.rows.map((r) => [
      r.part_no,
      {
        partNo: r.part_no,
        name: r.name,
        category: r.category,
        unitCost: Number(r.unit_cost),
        valuable: r.valuable,
        scarce: r.scarce,
        onHand: r.on_hand ?? 0,
        damaged: r.damaged ?? 0,
        expired: r.expired ?? 0,
        obsolete: r.obsolete ?? 0,
      } satisfies StockRow,
    ]),
  );
  const unknown = partNos.map((partNo, index) => ({ partNo, index })).filter(({ partNo }) => !rows.has(partNo));
  if (unknown.length > 0) {
    throw invalidInput(activity, unknown.map(({ partNo, index }) => `\`${field.replace('#', String(index))}\`: there is no part ${partNo} in the parts ledger`).join('; '));
  }
  return rows;
}

export interface Movement {
  movementKey: string;
  partNo: string;
  kind: MovementKind;
  quantity: number;
  condition?: 'good' | 'damaged';
  reason?: string;
  caseId: string;
  reference?: string;
}

/** Appends one movement (the trigger applies it to the book) and returns the book after it. */
export async function appendMovement(client: pg.ClientBase, movement: Movement): Promise<number> {
  const delta = movement.kind === 'issue' || movement.kind === 'disposal' ? -movement.quantity : movement.quantity;
  await client.query(
    `INSERT INTO stock_movements (movement_key, part_no, kind, quantity, delta, condition, reason, case_id, reference)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [movement.movementKey, movement.partNo, movement.kind, movement.quantity, delta, movement.condition ?? null, movement.reason ?? null, movement.caseId, movement.reference ?? null],
  );
  const book = await client.query<{ on_hand: number }>('SELECT on_hand FROM parts_stock WHERE part_no = $1', [movement.partNo]);
  return book.rows[0]?.on_hand ?? 0;
}

/** Cents, so that totals of prices are exact. */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}
