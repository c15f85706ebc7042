/**
 * Repair work orders (domain brief §2): `create-work-order` opens the case's order,
 * `dispatch-technician` gives it to a technician by skill and current load, and
 * `close-work-order` archives it after the audit, or records that the customer declined.
 */
import type pg from 'pg';
import { refused } from '../errors.js';
import { iso } from '../once.js';
import { defineActivity } from '../define.js';

export const createWorkOrder = defineActivity('create-work-order', {
  event: 'work-order-created',
  write: async ({ context, input: order, client }) => {
    await client.query('INSERT INTO product_models (model) VALUES ($1) ON CONFLICT (model) DO NOTHING', [order.product.model]);
    const inserted = await client.query<{ work_order_id: string }>(
      `INSERT INTO work_orders (case_id, customer_id, customer_name, customer_phone, customer_address, product_model, product_serial, fault, in_warranty, fee, skill)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (case_id) DO NOTHING
       RETURNING work_order_id`,
      [
        context.caseId, order.customer.id, order.customer.name, order.customer.phone ?? null, order.customer.address ?? null,
        order.product.model, order.product.serial ?? null, order.fault, order.inWarranty, order.fee ?? null, order.skill,
      ],
    );
    const created = inserted.rows[0] !== undefined;
    // One work order per case: a second visit of the step finds the first order.
    const workOrderId = created
      ? (inserted.rows[0] as { work_order_id: string }).work_order_id
      : ((await client.query<{ work_order_id: string }>('SELECT work_order_id FROM work_orders WHERE case_id = $1', [context.caseId])).rows[0] as { work_order_id: string }).work_order_id;
    return { result: { workOrderId }, detail: { created, productModel: order.product.model, skill: order.skill, inWarranty: order.inWarranty } };
  },
});

interface OrderRow {
  status: string;
  closed_at: Date | null;
}

/** The work order, locked for this transaction; refused when it does not exist. */
async function lockedOrder(client: pg.PoolClient, activity: string, workOrderId: string): Promise<OrderRow> {
  const row = (await client.query<OrderRow>('SELECT status, closed_at FROM work_orders WHERE work_order_id = $1 FOR UPDATE', [workOrderId])).rows[0];
  if (!row) throw refused(activity, `work order ${workOrderId} does not exist: give the \`workOrderId\` that create-work-order returned`, { workOrderId });
  return row;
}

/** Refused unless the work order is open. */
export async function openOrder(client: pg.PoolClient, activity: string, workOrderId: string): Promise<void> {
  const order = await lockedOrder(client, activity, workOrderId);
  if (order.status !== 'open') {
    throw refused(activity, `work order ${workOrderId} is already ${order.status} (closed at ${order.closed_at ? iso(order.closed_at) : '?'})`, { workOrderId, status: order.status });
  }
}

export const dispatchTechnician = defineActivity('dispatch-technician', {
  event: 'technician-dispatched',
  write: async ({ activity, context, input: request, client }) => {
    // Loads are read and changed under one lock, so two dispatches at once do not both pick
    // the same least-loaded technician.
    await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('dispatch-technician', 0))`);
    await openOrder(client, activity, request.workOrderId);
    const chosen = (
      await client.query<{ technician_id: string; name: string; open_orders: number }>(
        `SELECT t.technician_id, t.name,
                (SELECT count(*)::int FROM work_orders o WHERE o.technician_id = t.technician_id AND o.status = 'open' AND o.work_order_id <> $2) AS open_orders
           FROM technicians t
          WHERE t.active AND $1 = ANY (t.skills) AND NOT (t.technician_id = ANY ($3::text[]))
          ORDER BY open_orders, t.technician_id
          LIMIT 1`,
        [request.skill, request.workOrderId, request.exclude ?? []],
      )
    ).rows[0];
    if (!chosen) {
      const skills = (await client.query<{ skill: string }>('SELECT DISTINCT unnest(skills) AS skill FROM technicians WHERE active ORDER BY 1')).rows.map((r) => r.skill);
      if (request.exclude && request.exclude.length > 0) {
        throw refused(activity, `no active technician with the skill \`${request.skill}\` is left besides ${request.exclude.join(', ')}; give another technician the skill in the staff directory, or assign one by hand`, { skill: request.skill, exclude: request.exclude });
      }
      throw refused(activity, `no active technician has the skill \`${request.skill}\` (skills on the team: ${skills.join(', ') || 'none'}); give a technician the skill in the staff directory (\`npx aftercare staff import\`) or correct the skill`, { skill: request.skill });
    }
    const openOrders = chosen.open_orders + 1;
    await client.query('UPDATE work_orders SET technician_id = $2 WHERE work_order_id = $1', [request.workOrderId, chosen.technician_id]);
    await client.query(
      'INSERT INTO dispatches (dispatch_key, work_order_id, technician_id, skill, open_orders) VALUES ($1, $2, $3, $4, $5)',
      [context.idempotencyKey, request.workOrderId, chosen.technician_id, request.skill, openOrders],
    );
    return {
      result: { technician: { id: chosen.technician_id, name: chosen.name }, openOrders },
      detail: { workOrderId: request.workOrderId, skill: request.skill },
    };
  },
});

export const closeWorkOrder = defineActivity('close-work-order', {
  event: 'work-order-closed',
  write: async ({ activity, context, input: closing, client }) => {
    await openOrder(client, activity, closing.workOrderId);
    const row = await client.query<{ closed_at: Date }>(
      `UPDATE work_orders SET status = $2, closed_at = now(), close_key = $3, audit = $4 WHERE work_order_id = $1 RETURNING closed_at`,
      [closing.workOrderId, closing.status, context.idempotencyKey, closing.audit ?? null],
    );
    return { result: { closedAt: iso((row.rows[0] as { closed_at: Date }).closed_at) }, detail: { workOrderId: closing.workOrderId, status: closing.status } };
  },
});
