/**
 * The `record-case` input with the case input in it once.
 *
 * The shipped processes record a case with `details: "${input}"` beside `summary:
 * "${input.question}"` and `customer: "${input.customer}"`: evaluated as written, the activity
 * input carries the customer's text twice, and a question near the size limit doubles the
 * payload of the step's ScheduleActivityTask command (issue 15: a 1 MB question failed the
 * first workflow task with PayloadsTooLarge). A key whose value is, exactly, a part of
 * `details` is sent instead as a JSON pointer into `details` under `sameAs`; the activity reads
 * it back from there, so the rows it writes are the same (activities/case-records.ts).
 * Pure: the action step applies it behind `patched('record-input-once')`.
 */

/** The keys of `record-case` that are looked for in `details`. */
const SHAREABLE = ['summary', 'customer'] as const;

/** Values smaller than this (as JSON, roughly) are sent as they are: a pointer would not be shorter. */
const WORTH_A_POINTER = 16;

function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => Object.prototype.hasOwnProperty.call(b, key) && sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

function roughSize(value: unknown): number {
  if (typeof value === 'string') return value.length + 2;
  if (value === null || typeof value !== 'object') return 8;
  return Object.keys(value).length * 8 + 2;
}

/** The pointer of the first place in `root` (depth first, in key order) that holds `value`; `undefined` when none does. */
function pointerTo(root: unknown, value: unknown, at = ''): string | undefined {
  if (at !== '' && sameValue(root, value)) return at;
  if (root === null || typeof root !== 'object') return undefined;
  const entries: [string, unknown][] = Array.isArray(root) ? root.map((item, i) => [String(i), item]) : Object.entries(root);
  for (const [key, item] of entries) {
    const found = pointerTo(item, value, `${at}/${escape(key)}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * `input` with `summary` and `customer` replaced by pointers into `details` (`sameAs`) where
 * `details` holds the very same value; `input` itself when nothing is shared.
 */
export function recordInputOnce(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const record = input as Record<string, unknown>;
  const details = record.details;
  if (details === null || typeof details !== 'object' || record.sameAs !== undefined) return input;
  const sameAs: Record<string, string> = {};
  const rest: Record<string, unknown> = { ...record };
  for (const key of SHAREABLE) {
    const value = record[key];
    if (value === undefined || roughSize(value) < WORTH_A_POINTER) continue;
    const pointer = pointerTo(details, value);
    if (pointer === undefined) continue;
    sameAs[key] = pointer;
    delete rest[key];
  }
  return Object.keys(sameAs).length === 0 ? input : { ...rest, sameAs };
}
