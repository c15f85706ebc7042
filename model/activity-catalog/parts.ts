/**
 * Catalog entries of the parts ledger, shipments and refunds (domain brief §3 and §4): issue
 * against a requisition, receive returned goods, ship replacements, refund by the original
 * payment method, find and dispose of damaged, expired or obsolete parts. Every entry that
 * writes does so once per step visit, whatever the retries; see docs/parts-ledger.md.
 */
import type { ActivitySpec } from './spec.js';

const partNo = { type: 'string', minLength: 1, description: 'Part or product number in the ledger, e.g. `WM-BRG-6204`.' } as const;
const quantity = { type: 'integer', minimum: 1, description: 'How many units (whole units, at least 1).' } as const;
const disposalReason = { enum: ['damaged', 'expired', 'obsolete'] } as const;

/** `{ partNo, quantity }` lines, at least one. */
const partLines = {
  type: 'array',
  minItems: 1,
  items: { type: 'object', required: ['partNo', 'quantity'], additionalProperties: false, properties: { partNo, quantity } },
} as const;

/** A ledger line after a movement: how many moved and what the book says now. */
const movedLines = {
  type: 'array',
  items: {
    type: 'object',
    required: ['partNo', 'quantity', 'onHandAfter'],
    properties: { partNo: { type: 'string' }, quantity: { type: 'integer' }, onHandAfter: { type: 'integer', minimum: 0 } },
  },
} as const;

export const partsCatalog = {
  'check-parts-value': {
    description:
      'Prices a parts requisition from the ledger and says whether it needs the manager’s approval (total at or above the threshold, or a valuable or scarce part) and whether the stock covers it. Reads only; an unknown part number is refused.',
    input: {
      type: 'object',
      required: ['parts', 'approvalThreshold'],
      additionalProperties: false,
      properties: {
        parts: partLines,
        approvalThreshold: { type: 'number', minimum: 0, description: 'Total (in the ledger’s currency) from which the manager must approve.' },
      },
    },
    output: {
      type: 'object',
      required: ['total', 'needsApproval', 'available', 'lines'],
      properties: {
        total: { type: 'number', minimum: 0 },
        needsApproval: { type: 'boolean' },
        available: { type: 'boolean', description: 'Every line can be issued from good (not damaged, expired or obsolete) stock.' },
        lines: {
          type: 'array',
          items: {
            type: 'object',
            required: ['partNo', 'name', 'quantity', 'unitCost', 'onHand'],
            properties: {
              partNo: { type: 'string' },
              name: { type: 'string' },
              quantity: { type: 'integer' },
              unitCost: { type: 'number' },
              onHand: { type: 'integer', minimum: 0 },
              valuable: { type: 'boolean' },
              scarce: { type: 'boolean' },
              issuable: { type: 'integer', minimum: 0, description: 'On hand less the units flagged damaged, expired or obsolete.' },
            },
          },
        },
      },
    },
  },
  'issue-parts': {
    description:
      'Issues parts from stock against a work order (one `issue` movement per line). All lines or none: when good stock does not cover a line, the whole requisition is refused and nothing is written.',
    input: {
      type: 'object',
      required: ['parts'],
      additionalProperties: false,
      properties: {
        parts: partLines,
        workOrderId: { type: 'string', minLength: 1, description: 'The work order the requisition is tied to.' },
        approvedBy: { type: 'string', minLength: 1, description: 'Who approved valuable or scarce parts.' },
      },
    },
    output: { type: 'object', required: ['issued'], properties: { issued: movedLines } },
  },
  'receive-into-stock': {
    description:
      'Receives goods into stock (one `return` or `receipt` movement per line): a product returned by the customer, the original of an exchange, a supplier delivery, or parts unused by a repair. Damaged goods are flagged for disposal.',
    input: {
      type: 'object',
      required: ['items', 'reason'],
      additionalProperties: false,
      properties: {
        items: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['partNo', 'quantity'],
            additionalProperties: false,
            properties: { partNo, quantity, condition: { enum: ['good', 'damaged'], default: 'good' } },
          },
        },
        reason: { enum: ['returned-by-customer', 'exchange-original', 'supplier-delivery', 'unused-from-repair'] },
        reference: { type: 'string', minLength: 1, description: 'Delivery note, work order or shipment the goods came with.' },
      },
    },
    output: { type: 'object', required: ['received'], properties: { received: movedLines } },
  },
  'ship-replacement': {
    description:
      'Takes a replacement product from stock and ships it to the customer: an `issue` movement and an outbound shipment with its tracking number. Refused, writing nothing, when the product is out of stock or is not a product.',
    input: {
      type: 'object',
      required: ['partNo', 'customer', 'address'],
      additionalProperties: false,
      properties: {
        partNo,
        quantity: { ...quantity, default: 1 },
        customer: {
          type: 'object',
          required: ['id', 'name'],
          properties: { id: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 } },
        },
        address: { type: 'string', minLength: 1 },
      },
    },
    output: {
      type: 'object',
      required: ['shipmentId', 'trackingNumber', 'carrier'],
      properties: { shipmentId: { type: 'string' }, trackingNumber: { type: 'string' }, carrier: { type: 'string' } },
    },
  },
  'record-delivery': {
    description: 'Records how an outbound shipment ended: delivered or failed. Refused for an unknown shipment or one already recorded with another status.',
    input: {
      type: 'object',
      required: ['shipmentId', 'status'],
      additionalProperties: false,
      properties: { shipmentId: { type: 'string', minLength: 1 }, status: { enum: ['delivered', 'failed'] }, note: { type: 'string' } },
    },
    output: { type: 'object', required: ['recordedAt'], properties: { recordedAt: { type: 'string', format: 'date-time' } } },
  },
  'record-parcel-received': {
    description: 'Logistics signs for the parcel the customer sent back: an inbound shipment row. The goods enter stock with `receive-into-stock` after inspection.',
    input: {
      type: 'object',
      required: ['description'],
      additionalProperties: false,
      properties: {
        trackingNumber: { type: 'string', minLength: 1 },
        description: { type: 'string', minLength: 1 },
        condition: { type: 'string', minLength: 1, description: 'What logistics saw on the outside, e.g. “box dented”.' },
        signedBy: { type: 'string', minLength: 1 },
      },
    },
    output: {
      type: 'object',
      required: ['shipmentId', 'receivedAt'],
      properties: { shipmentId: { type: 'string' }, receivedAt: { type: 'string', format: 'date-time' } },
    },
  },
  refund: {
    description:
      'Refunds the customer by the original payment method. Exactly one refund per case: a retry of the same step returns the same refund; a refund from another step of the same case is refused, naming the existing one.',
    input: {
      type: 'object',
      required: ['amount', 'paymentMethod', 'orderId'],
      additionalProperties: false,
      properties: {
        amount: { type: 'number', exclusiveMinimum: 0, multipleOf: 0.01 },
        currency: { type: 'string', pattern: '^[A-Z]{3}$', default: 'CNY' },
        paymentMethod: { type: 'string', minLength: 1, description: 'The payment method of the original order.' },
        orderId: { type: 'string', minLength: 1 },
      },
    },
    output: { type: 'object', required: ['refundId'], properties: { refundId: { type: 'string' } } },
  },
  'find-disposable-parts': {
    description: 'The periodic check: parts with units flagged damaged, expired or obsolete, one line per part and reason. Reads only.',
    input: {
      type: 'object',
      additionalProperties: false,
      properties: { reasons: { type: 'array', minItems: 1, uniqueItems: true, items: disposalReason } },
    },
    output: {
      type: 'object',
      required: ['parts', 'count'],
      properties: {
        parts: {
          type: 'array',
          items: {
            type: 'object',
            required: ['partNo', 'name', 'quantity', 'reason'],
            properties: { partNo: { type: 'string' }, name: { type: 'string' }, quantity: { type: 'integer', minimum: 1 }, reason: disposalReason },
          },
        },
        count: { type: 'integer', minimum: 0 },
      },
    },
  },
  'dispose-parts': {
    description:
      'Disposes of approved parts by scrap sale or recycling: reduces the ledger (one `disposal` movement per line) and records the proceeds. Refused, writing nothing, when a line asks for more than is on hand or flagged for its reason.',
    input: {
      type: 'object',
      required: ['parts', 'method', 'proceeds'],
      additionalProperties: false,
      properties: {
        parts: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['partNo', 'quantity', 'reason'],
            additionalProperties: false,
            properties: { partNo, quantity, reason: disposalReason },
          },
        },
        method: { enum: ['scrap-sale', 'recycling'] },
        proceeds: { type: 'number', minimum: 0, multipleOf: 0.01 },
      },
    },
    output: {
      type: 'object',
      required: ['disposalId', 'movements'],
      properties: { disposalId: { type: 'string' }, movements: movedLines },
    },
  },
} as const satisfies Record<string, ActivitySpec>;
