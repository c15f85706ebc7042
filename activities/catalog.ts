/**
 * The activities the worker registers, by the name definitions use in `action:` steps, with
 * the JSON Schemas of what they take and give. Pure data, so the loader (unknown names and
 * `with:` keys are errors), the workflow (the definition check) and the docs read the same list.
 * Each area of the records keeps its part in catalog/<area>.ts.
 */
import { caseCatalog } from './catalog/cases.js';
import { recordsCatalog } from './catalog/records.js';
import { partsCatalog } from './catalog/parts.js';

export type { ActivitySpec, StepContext } from './catalog/spec.js';

export const activityCatalog = { ...caseCatalog, ...recordsCatalog, ...partsCatalog };

export type ActivityName = keyof typeof activityCatalog;

export const activityNames: ReadonlySet<string> = new Set(Object.keys(activityCatalog));
