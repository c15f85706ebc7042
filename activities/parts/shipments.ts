/**
 * Parcels (domain brief §3): the replacement of an exchange taken from stock and shipped, its
 * delivery tracked; the product of a return signed for by logistics when it comes back.
 *
 * There is no carrier API here: the shipment number comes from a sequence and the tracking
 * number is formed from it in the carrier's format, standing in for the carrier's booking.
 */
import type pg from 'pg';
import { invalidInput, refused } from '../errors.js';
import { shortage } from './issue-parts.js';
import { appendMovement, describePart, issuable, stockOf, type StockRow } from './ledger.js';
import { defineActivity } from '../define.js';

export const carrier = 'SF Express';

async function nextShipmentId(client: pg.ClientBase): Promise<{ shipmentId: string; trackingNumber: string }> {
  const next = await client.query<{ n: string }>(`SELECT nextval('shipment_numbers')::text AS n`);
  const n = next.rows[0]?.n ?? '0';
  return { shipmentId: `SH-${n.padStart(6, '0')}`, trackingNumber: `SF${(7_100_000_000_000 + Number(n)).toString()}` };
}

export const shipReplacement = defineActivity('ship-replacement', {
  event: 'replacement-shipped',
  write: async ({ activity, context, input, client }) => {
    const row = (await stockOf(client, activity, 'partNo', [input.partNo], { lock: true })).get(input.partNo) as StockRow;
    if (row.category !== 'product') throw invalidInput(activity, `\`partNo\`: ${describePart(row)} is a spare part, not a product that can replace the customer's`);
    if (input.quantity > issuable(row)) {
      throw refused(activity, shortage(row, input.quantity), { partNo: row.partNo, onHand: row.onHand, issuable: issuable(row), requested: input.quantity });
    }
    const { shipmentId, trackingNumber } = await nextShipmentId(client);
    await client.query(
      `INSERT INTO shipments (shipment_id, shipment_key, direction, case_id, part_no, quantity, customer_id, customer_name, address, carrier, tracking_number, status, shipped_at)
       VALUES ($1, $2, 'outbound', $3, $4, $5, $6, $7, $8, $9, $10, 'shipped', now())`,
      [shipmentId, context.idempotencyKey, context.caseId, input.partNo, input.quantity, input.customer.id, input.customer.name, input.address, carrier, trackingNumber],
    );
    const onHandAfter = await appendMovement(client, {
      movementKey: `${context.idempotencyKey}:0`,
      partNo: input.partNo,
      kind: 'issue',
      quantity: input.quantity,
      reason: 'replacement',
      caseId: context.caseId,
      reference: shipmentId,
    });
    const output = { shipmentId, trackingNumber, carrier };
    return { result: output, detail: { partNo: input.partNo, quantity: input.quantity, customerId: input.customer.id, onHandAfter } };
  },
});

export const recordDelivery = defineActivity('record-delivery', {
  event: 'delivery-recorded',
  write: async ({ activity, input, client }) => {
    const found = await client.query<{ direction: string; status: string }>('SELECT direction, status FROM shipments WHERE shipment_id = $1 FOR UPDATE', [input.shipmentId]);
    const shipment = found.rows[0];
    if (!shipment) throw invalidInput(activity, `\`shipmentId\`: there is no shipment ${input.shipmentId}`);
    if (shipment.direction !== 'outbound') throw invalidInput(activity, `\`shipmentId\`: ${input.shipmentId} is a parcel received from the customer, not one shipped to them`);
    // Delivered is final; a failed delivery may still be delivered by the carrier's next attempt.
    if (shipment.status === 'delivered' && input.status !== 'delivered') {
      throw refused(activity, `shipment ${input.shipmentId} was already recorded as delivered; it cannot become ${input.status}`);
    }
    const updated = await client.query<{ status_at: Date }>(
      'UPDATE shipments SET status = $2, status_note = $3, status_at = now() WHERE shipment_id = $1 RETURNING status_at',
      [input.shipmentId, input.status, input.note ?? null],
    );
    const recordedAt = (updated.rows[0]?.status_at ?? new Date()).toISOString();
    return { result: { recordedAt }, detail: { shipmentId: input.shipmentId, status: input.status, note: input.note ?? null } };
  },
});

export const recordParcelReceived = defineActivity('record-parcel-received', {
  event: 'parcel-received',
  write: async ({ context, input, client }) => {
    const { shipmentId } = await nextShipmentId(client);
    const inserted = await client.query<{ received_at: Date }>(
      `INSERT INTO shipments (shipment_id, shipment_key, direction, case_id, tracking_number, description, condition, signed_by, status, received_at)
       VALUES ($1, $2, 'inbound', $3, $4, $5, $6, $7, 'received', now()) RETURNING received_at`,
      [shipmentId, context.idempotencyKey, context.caseId, input.trackingNumber ?? null, input.description, input.condition ?? null, input.signedBy ?? null],
    );
    const receivedAt = (inserted.rows[0]?.received_at ?? new Date()).toISOString();
    return { result: { shipmentId, receivedAt }, detail: { trackingNumber: input.trackingNumber ?? null, description: input.description, condition: input.condition ?? null }, ...(input.signedBy ? { actor: input.signedBy } : {}) };
  },
});
