/**
 * Checks the JSON Schemas process owners write (the case `input` and task `form`s): valid
 * against the draft 2020-12 meta-schema, and free of misspelt keywords, which JSON Schema
 * would otherwise silently ignore (`requried: [name]` validates nothing).
 *
 * Loader side only: ajv is used to validate the schema as data, never to compile author
 * schemas into code. Case input and form data are validated at run time by the interpreter
 * in `runtime-validation.ts`.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { UnlocatedProblem } from '../problems.js';
import { didYouMean, pointer } from '../names.js';
import { supportedFormats } from '../runtime-validation.js';
import { keywordWords } from '../../model/schema-words.js';

const keywords = [
  '$schema', '$id', '$ref', '$defs', '$anchor', '$dynamicRef', '$dynamicAnchor', '$comment', '$vocabulary',
  'type', 'enum', 'const', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum',
  'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxContains', 'minContains',
  'maxProperties', 'minProperties', 'required', 'dependentRequired', 'properties', 'patternProperties',
  'additionalProperties', 'propertyNames', 'items', 'prefixItems', 'contains', 'unevaluatedItems',
  'unevaluatedProperties', 'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependentSchemas',
  'format', 'contentEncoding', 'contentMediaType', 'contentSchema', 'title', 'description', 'default',
  'deprecated', 'readOnly', 'writeOnly', 'examples',
];
const known = new Set(keywords);

/** Keywords whose value is a map of subschemas, a subschema, or a list of subschemas. */
const schemaMaps = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];
const schemaValues = ['additionalProperties', 'propertyNames', 'items', 'contains', 'unevaluatedItems', 'unevaluatedProperties', 'not', 'if', 'then', 'else', 'contentSchema'];
const schemaLists = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];

let ajv: Ajv2020 | undefined;

function walk(schema: unknown, path: string, problems: UnlocatedProblem[], what: string): void {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return;
  const node = schema as Record<string, unknown>;
  for (const key of Object.keys(node)) {
    if (known.has(key) || key.startsWith('x-')) continue;
    problems.push({
      path: `${path}${pointer(key)}`,
      at: 'key',
      code: 'FORM_SCHEMA_UNKNOWN_KEYWORD',
      message: `${what}: \`${key}\` is not a JSON Schema keyword and would be ignored${didYouMean(key, keywords) || '; UI hints may use an `x-` prefix'}`,
    });
  }
  if (typeof node.format === 'string' && !supportedFormats.includes(node.format)) {
    problems.push({
      path: `${path}/format`,
      code: 'FORM_SCHEMA_INVALID',
      message: `${what}: format \`${node.format}\` is not checked by Aftercare${didYouMean(node.format, supportedFormats) || `; use one of ${supportedFormats.join(', ')}`}`,
    });
  }
  for (const key of schemaMaps) {
    const map = node[key];
    if (map && typeof map === 'object' && !Array.isArray(map)) {
      for (const [name, sub] of Object.entries(map)) walk(sub, `${path}${pointer(key, name)}`, problems, what);
    }
  }
  for (const key of schemaValues) walk(node[key], `${path}${pointer(key)}`, problems, what);
  for (const key of schemaLists) {
    const list = node[key];
    if (Array.isArray(list)) list.forEach((sub, i) => walk(sub, `${path}${pointer(key, i)}`, problems, what));
  }
}

function valueAt(data: unknown, path: string): unknown {
  let current = data;
  for (const segment of path.split('/').slice(1)) {
    const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    current = current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
  }
  return current;
}

/** Problems with an author's JSON Schema at `path` (`/input` or `/steps/x/task/form`). */
export function checkAuthorSchema(schema: unknown, path: string): UnlocatedProblem[] {
  ajv ??= new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
  const what = path === '/input' ? 'the input schema' : `the form of step \`${path.split('/')[2] ?? ''}\``;
  const problems: UnlocatedProblem[] = [];
  if (!ajv.validateSchema(schema as object)) {
    // The meta-schema reports one mistake several ways (`type: text`: not an allowed value, not
    // a list, matches no alternative); one problem per place, in words, is enough.
    const reported = new Set<string>();
    for (const error of ajv.errors ?? []) {
      if (reported.has(error.instancePath)) continue;
      reported.add(error.instancePath);
      const keyword = error.instancePath.split('/').pop() || 'schema';
      const value = valueAt(schema, error.instancePath);
      const reason =
        keyword === 'type' && typeof value === 'string'
          ? `\`type: ${value}\` is not a JSON Schema type; use string, number, integer, boolean, object, array or null`
          : `\`${keyword}\` ${keywordWords({ keyword: error.keyword, params: error.params, value }) ?? error.message ?? 'is invalid'}`;
      problems.push({ path: `${path}${error.instancePath}`, code: 'FORM_SCHEMA_INVALID', message: `${what} is not a valid JSON Schema: ${reason}` });
    }
  }
  walk(schema, path, problems, what);
  return problems;
}
