/** Catalog entries of the company's records: complaints, work orders, approvals, follow-ups. */
import type { ActivitySpec } from './spec.js';

export const recordsCatalog = {} as const satisfies Record<string, ActivitySpec>;
