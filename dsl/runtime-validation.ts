/**
 * Validation of case input and task form data against the schemas process owners wrote.
 *
 * Runs in the workflow's update validators and in the client, so it must be deterministic
 * and must not generate code from author input: @cfworker/json-schema interprets the schema
 * (ajv would compile it to JavaScript with `new Function`).
 */
import { Validator, type Schema } from '@cfworker/json-schema';
import { keywordWords, type SchemaFailure } from '../model/schema-words.js';

/** The `format` values checked at run time (others are refused when a definition loads). */
export const supportedFormats = [
  'date', 'time', 'date-time', 'duration', 'uri', 'uri-reference', 'uri-template', 'url', 'email',
  'hostname', 'ipv4', 'ipv6', 'regex', 'uuid', 'json-pointer', 'json-pointer-uri-fragment', 'relative-json-pointer',
];

export interface DataIssue {
  /** JSON pointer into the validated data (`/customer/name`), `''` for the whole value. */
  path: string;
  message: string;
}

/** Keywords that only report that a subschema failed; the subschema's own error says why. */
const aggregates = new Set(['properties', 'items', 'prefixItems', 'allOf', '$ref', 'additionalProperties', 'unevaluatedProperties', 'if', 'then', 'else', 'dependentSchemas', 'patternProperties', 'contains']);

const cache = new Map<string, Validator>();

function validatorFor(schema: object): Validator {
  const key = JSON.stringify(schema);
  let validator = cache.get(key);
  if (!validator) {
    // The library annotates the schema object it is given; give it a copy so a case's
    // definition is never mutated.
    validator = new Validator(JSON.parse(key) as Schema, '2020-12', false);
    if (cache.size > 200) cache.clear();
    cache.set(key, validator);
  }
  return validator;
}

function fieldName(pointerPath: string): string {
  if (pointerPath === '') return 'the data';
  return `\`${pointerPath.slice(1).split('/').map((s) => (/^\d+$/.test(s) ? `[${s}]` : s)).join('.').replace(/\.\[/g, '[')}\``;
}

/** The value at a JSON pointer of the validated data. */
function valueAt(data: unknown, pointerPath: string): unknown {
  let current = data;
  for (const segment of pointerPath.split('/').slice(1)) {
    const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
  }
  return current;
}

/**
 * The validator's error in the shared vocabulary (model/schema-words.ts): @cfworker/json-schema
 * words its errors in English sentences, so the keyword's parameters are read back from them.
 */
function plain(message: string, field: string, keyword: string, value: unknown): string {
  const say = (failure: SchemaFailure) => `${field} ${keywordWords(failure) ?? message}`;
  const required = /required property "([^"]+)"/.exec(message);
  if (keyword === 'required' && required) return `${field === 'the data' ? '' : `${field}: `}\`${required[1]}\` ${keywordWords({ keyword, params: {} })}`;
  const type = /Instance type "(\w+)" is invalid\. Expected "([^"]+)"/.exec(message);
  if (type) return say({ keyword: 'type', params: { type: (type[2] ?? '').split('","') }, value });
  const format = /does not match format "([^"]+)"/.exec(message);
  if (format) return say({ keyword: 'format', params: { format: format[1] }, value });
  const enumeration = /does not match any of (\[.*\])/.exec(message);
  if (enumeration) return say({ keyword: 'enum', params: { allowedValues: JSON.parse(enumeration[1] ?? '[]') as unknown[] }, value });
  const limit = /(-?\d+(?:\.\d+)?) is (less|greater) than (or equal to )?(-?\d+(?:\.\d+)?)/.exec(message);
  if (limit) {
    const bound = limit[2] === 'less' ? (limit[3] ? 'exclusiveMinimum' : 'minimum') : limit[3] ? 'exclusiveMaximum' : 'maximum';
    return say({ keyword: bound, params: { limit: Number(limit[4]) }, value });
  }
  const short = /is too (short|long) \((\d+) [<>] (\d+)\)/.exec(message);
  if (short) return say({ keyword: short[1] === 'short' ? 'minLength' : 'maxLength', params: { limit: Number(short[3]) }, value });
  if (/False boolean schema/.test(message)) return `${field} is not expected here`;
  const cleaned = message.replace(/^Instance /, '').replace(/\.$/, '');
  return `${field} ${cleaned}`;
}

/** Every way `value` fails `schema`, in plain words; empty when it passes. */
export function validateData(schema: object, value: unknown): DataIssue[] {
  const result = validatorFor(schema).validate(value);
  if (result.valid) return [];
  const issues: DataIssue[] = [];
  const leaves = result.errors.filter((e) => !aggregates.has(e.keyword));
  for (const error of leaves.length > 0 ? leaves : result.errors) {
    const path = error.instanceLocation.replace(/^#/, '');
    const message = plain(error.error, fieldName(path), error.keyword, valueAt(value, path));
    if (!issues.some((i) => i.message === message)) issues.push({ path, message });
  }
  return issues;
}
