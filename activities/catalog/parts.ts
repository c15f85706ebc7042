/** Catalog entries of the parts ledger, shipments and refunds. */
import type { ActivitySpec } from './spec.js';

export const partsCatalog = {} as const satisfies Record<string, ActivitySpec>;
