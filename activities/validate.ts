/**
 * Checks an activity's input against its catalog schema before anything is written: the
 * records and the parts ledger alike, so their refusals read the same.
 *
 * Bad data is not fixed by a retry, so a failure is `InvalidActivityInput` (non-retryable)
 * with one sentence per problem naming the activity and the field. Validators are compiled
 * once per activity, on first use (the schemas are our own catalog, not author input).
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { activityCatalog, type ActivityName } from '../model/activity-catalog/index.js';
import { fieldPath, keywordWords } from '../model/schema-words.js';
import { invalidInput } from './errors.js';
import type { InputOf } from './schema-types.js';

// ajv-formats is CommonJS: under ESM its default export is the module object or the function.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

let ajv: Ajv2020 | undefined;
const compiled = new Map<ActivityName, ValidateFunction>();

function validatorOf(activity: ActivityName): ValidateFunction {
  let validate = compiled.get(activity);
  if (!validate) {
    // useDefaults fills the catalog's defaults (quantity 1, currency CNY, condition good);
    // multipleOfPrecision lets 19.99 be a multiple of 0.01 despite binary floating point.
    ajv ??= addFormats(new Ajv2020({ allErrors: true, strict: true, strictRequired: false, verbose: true, allowUnionTypes: true, useDefaults: true, multipleOfPrecision: 6 }));
    validate = ajv.compile(activityCatalog[activity].input as object);
    compiled.set(activity, validate);
  }
  return validate;
}

/** `/customer/name` → `customer.name`, `/partsUsed/0/quantity` → `partsUsed[0].quantity`. */
function fieldOf(instancePath: string, child?: string): string {
  const segments = instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) segments.push(child);
  return fieldPath(segments);
}

function describe(error: ErrorObject): string | undefined {
  const field = fieldOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const keyed = error.keyword === 'required' ? params.missingProperty : error.keyword === 'additionalProperties' ? params.additionalProperty : undefined;
  const named = keyed !== undefined ? `\`${fieldOf(error.instancePath, String(keyed))}\`` : field ? `\`${field}\`` : '`with`';
  if (error.keyword === 'minProperties' && !field) return '`with` must give at least one field';
  if (error.keyword === 'minProperties') return `${named} must name at least one of ${Object.keys((error.parentSchema as { properties?: object })?.properties ?? {}).join(', ')}`;
  if (error.keyword === 'if') return undefined; // the `then` branch's own error (a missing field) says why
  const words = keywordWords({ keyword: error.keyword, params, value: error.data }, { preview: true });
  return `${named} ${words ?? error.message ?? 'is not valid'}`;
}

/**
 * A field given as null counts as not given: a definition passes `"${input.product.serial}"`
 * whether or not the customer had a serial, and an optional field should not fail the step.
 */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

/**
 * Returns `input`, typed from the schema, when it matches the activity's catalog schema; throws
 * `InvalidActivityInput` listing every problem otherwise. A missing `with:` counts as `{}`,
 * a null field as not given (a null required field is reported as missing).
 */
export function validInput<N extends ActivityName>(activity: N, input: unknown): InputOf<N> {
  return checkedInput(activity, input) as InputOf<N>;
}

/** `validInput` untyped, for code generic over the activity (`defineActivity`). */
export function checkedInput(activity: ActivityName, input: unknown): unknown {
  // A copy (withoutNulls builds one): filling in defaults must not change the caller's object.
  const value = input === undefined || input === null ? {} : withoutNulls(input);
  const validate = validatorOf(activity);
  if (validate(value)) return value;
  const messages = [...new Set((validate.errors ?? []).map(describe).filter((m): m is string => m !== undefined))];
  throw invalidInput(activity, messages.join('; '));
}
