/**
 * Validation of case input and task form data against the schemas process owners wrote.
 *
 * Runs in the workflow's update validators and in the client, so it must be deterministic
 * and must not generate code from author input: @cfworker/json-schema interprets the schema
 * (ajv would compile it to JavaScript with `new Function`).
 */
import { Validator, type Schema } from '@cfworker/json-schema';

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

function plain(message: string, field: string, keyword: string): string {
  const required = /required property "([^"]+)"/.exec(message);
  if (keyword === 'required' && required) return `${field === 'the data' ? '' : `${field}: `}\`${required[1]}\` is required`;
  const type = /Instance type "(\w+)" is invalid\. Expected "([^"]+)"/.exec(message);
  if (type) return `${field} must be ${typeWord(type[2] ?? '')}, not ${typeWord(type[1] ?? '')}`;
  const format = /does not match format "([^"]+)"/.exec(message);
  if (format) return `${field} is not a valid ${format[1]}`;
  const enumeration = /does not match any of (\[.*\])/.exec(message);
  if (enumeration) return `${field} must be one of ${enumeration[1]}`;
  const limit = /(-?\d+(?:\.\d+)?) is (less|greater) than (or equal to )?(-?\d+(?:\.\d+)?)/.exec(message);
  if (limit) return `${field} must be ${limit[2] === 'less' ? 'at least' : 'at most'} ${limit[4]}${limit[3] ? ' (exclusive)' : ''}, not ${limit[1]}`;
  const short = /is too (short|long) \((\d+) [<>] (\d+)\)/.exec(message);
  if (short) return `${field} must have at ${short[1] === 'short' ? 'least' : 'most'} ${short[3]} character${short[3] === '1' ? '' : 's'}`;
  if (/False boolean schema/.test(message)) return `${field} is not expected here`;
  const cleaned = message.replace(/^Instance /, '').replace(/\.$/, '');
  return `${field} ${cleaned}`;
}

function typeWord(type: string): string {
  const words: Record<string, string> = { string: 'text', integer: 'a whole number', number: 'a number', boolean: 'true or false', object: 'an object', array: 'a list', null: 'null' };
  return type.split('","').map((t) => words[t] ?? t).join(' or ');
}

/** Every way `value` fails `schema`, in plain words; empty when it passes. */
export function validateData(schema: object, value: unknown): DataIssue[] {
  const result = validatorFor(schema).validate(value);
  if (result.valid) return [];
  const issues: DataIssue[] = [];
  const leaves = result.errors.filter((e) => !aggregates.has(e.keyword));
  for (const error of leaves.length > 0 ? leaves : result.errors) {
    const path = error.instanceLocation.replace(/^#/, '');
    const message = plain(error.error, fieldName(path), error.keyword);
    if (!issues.some((i) => i.message === message)) issues.push({ path, message });
  }
  return issues;
}
