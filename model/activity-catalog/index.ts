/**
 * The activities the worker registers, by the name definitions use in `action:` steps, with
 * the JSON Schemas of what they take and give. Pure data, so the loader (unknown names and
 * `with:` keys are errors), the workflow (the definition check) and the docs read the same list.
 * Each area of the records keeps its part in catalog/<area>.ts.
 */
import { caseCatalog } from './cases.js';
import { recordsCatalog } from './records.js';
import { partsCatalog } from './parts.js';

export type { Activity, ActivitySpec, StepContext } from './spec.js';

export const activityCatalog = { ...caseCatalog, ...recordsCatalog, ...partsCatalog };

export type ActivityName = keyof typeof activityCatalog;

export const activityNames: ReadonlySet<string> = new Set(Object.keys(activityCatalog));
