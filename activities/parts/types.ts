/**
 * The inputs and outputs of the parts activities, as their catalog schemas
 * (model/activity-catalog/parts.ts) define them; `validInput` guarantees an input has this shape
 * (defaults filled), and the tests check every output against its output schema.
 */
import type { DisposalReason } from './ledger.js';

export interface PartLine {
  partNo: string;
  quantity: number;
}

export interface MovedLine {
  partNo: string;
  quantity: number;
  onHandAfter: number;
}

export interface CheckPartsValueInput {
  parts: PartLine[];
  approvalThreshold: number;
}

export interface ValuedLine {
  partNo: string;
  name: string;
  quantity: number;
  unitCost: number;
  onHand: number;
  issuable: number;
  valuable: boolean;
  scarce: boolean;
}

export interface CheckPartsValueOutput {
  total: number;
  needsApproval: boolean;
  available: boolean;
  lines: ValuedLine[];
}

export interface IssuePartsInput {
  parts: PartLine[];
  workOrderId?: string;
  approvedBy?: string;
}

export interface IssuePartsOutput {
  issued: MovedLine[];
}

export type ReceiptReason = 'returned-by-customer' | 'exchange-original' | 'supplier-delivery' | 'unused-from-repair';

export interface ReceiveIntoStockInput {
  items: Array<PartLine & { condition: 'good' | 'damaged' }>;
  reason: ReceiptReason;
  reference?: string;
}

export interface ReceiveIntoStockOutput {
  received: MovedLine[];
}

export interface ShipReplacementInput {
  partNo: string;
  quantity: number;
  customer: { id: string; name: string };
  address: string;
}

export interface ShipReplacementOutput {
  shipmentId: string;
  trackingNumber: string;
  carrier: string;
}

export interface RecordDeliveryInput {
  shipmentId: string;
  status: 'delivered' | 'failed';
  note?: string;
}

export interface RecordDeliveryOutput {
  recordedAt: string;
}

export interface RecordParcelReceivedInput {
  trackingNumber?: string;
  description: string;
  condition?: string;
  signedBy?: string;
}

export interface RecordParcelReceivedOutput {
  shipmentId: string;
  receivedAt: string;
}

export interface RefundInput {
  amount: number;
  currency: string;
  paymentMethod: string;
  orderId: string;
}

export interface RefundOutput {
  refundId: string;
}

export interface FindDisposablePartsInput {
  reasons?: DisposalReason[];
}

export interface DisposablePart {
  partNo: string;
  name: string;
  quantity: number;
  reason: DisposalReason;
}

export interface FindDisposablePartsOutput {
  parts: DisposablePart[];
  count: number;
}

export interface DisposePartsInput {
  parts: Array<PartLine & { reason: DisposalReason }>;
  method: 'scrap-sale' | 'recycling';
  proceeds: number;
}

export interface DisposePartsOutput {
  disposalId: string;
  movements: MovedLine[];
}
