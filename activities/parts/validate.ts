/**
 * Input validation of the parts activities against their catalog schemas: compiled once, every
 * problem reported at once, each naming the activity and the field. Bad data is not fixed by a
 * retry, so it fails non-retryable (`InvalidActivityInput`) before anything is read or written.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { partsCatalog } from '../catalog/parts.js';
import { invalidInput } from '../errors.js';

export type PartsActivityName = keyof typeof partsCatalog;

// ajv-formats is CommonJS: under ESM its function may sit on `default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

// useDefaults fills the catalog's defaults (quantity 1, currency CNY, condition good);
// multipleOfPrecision lets 19.99 be a multiple of 0.01 despite binary floating point.
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: true, useDefaults: true, multipleOfPrecision: 6 }));
const validators = new Map<PartsActivityName, ValidateFunction>();

function validatorOf(activity: PartsActivityName): ValidateFunction {
  let validate = validators.get(activity);
  if (!validate) {
    validate = ajv.compile(partsCatalog[activity].input);
    validators.set(activity, validate);
  }
  return validate;
}

/** `/parts/0/quantity` → `parts[0].quantity`, the way a definition author writes it. */
function fieldOf(instancePath: string, child?: string): string {
  const segments = instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) segments.push(child);
  return segments.reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `\`${fieldOf(error.instancePath, String(params.missingProperty))}\` is required`;
    case 'additionalProperties':
      return `\`${fieldOf(error.instancePath) || 'with'}\` does not take \`${String(params.additionalProperty)}\``;
    case 'enum':
      return `\`${fieldOf(error.instancePath)}\` must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `\`${fieldOf(error.instancePath) || 'with'}\` ${error.message ?? 'is invalid'}`;
  }
}

/**
 * The input, checked against the activity's catalog schema and completed with its defaults;
 * throws `InvalidActivityInput` listing every problem. The caller's object is not changed.
 */
export function validInput<T>(activity: PartsActivityName, input: unknown): T {
  const copy: unknown = input === undefined ? {} : structuredClone(input);
  const validate = validatorOf(activity);
  if (!validate(copy)) throw invalidInput(activity, (validate.errors ?? []).map(describe).join('; '));
  return copy as T;
}

/** A part listed twice in one request is refused: one line per part keeps the ledger readable. */
export function refuseRepeatedLines(activity: PartsActivityName, field: string, keys: readonly string[]): void {
  const seen = new Map<string, number>();
  keys.forEach((key, index) => {
    const first = seen.get(key);
    if (first !== undefined) throw invalidInput(activity, `\`${field}[${index}]\` repeats ${key} of \`${field}[${first}]\`; give one line per part`);
    seen.set(key, index);
  });
}
