/**
 * The one vocabulary for a JSON Schema failure: what a keyword's failure says about a field,
 * in the words process owners read in their YAML ("a mapping", "a list", "text"). The loader's
 * checks of definitions and calendars, the run-time checks of case input and task forms, and
 * the activities' input checks all word their errors here, so the same mistake reads the same
 * wherever it is caught.
 *
 * Pure: no validator, no Node built-ins. A caller turns its validator's error into a keyword,
 * its params and the value that failed, and names the field its own way (a definition path,
 * a data pointer, an activity's `with:` key); this module gives the rest of the sentence.
 */

/** A keyword's failure, as any JSON Schema validator reports it. */
export interface SchemaFailure {
  keyword: string;
  /** The keyword's parameters: `type`, `allowedValues`, `format`, `limit`, `missingProperty`, `i`/`j`... */
  params: Readonly<Record<string, unknown>>;
  /** The value that failed (absent for `required`). */
  value?: unknown;
}

export interface WordOptions {
  /** After "not text", show a short value: `not text ("yes")`. */
  preview?: boolean;
  /** Say how a mapping and a list are written in YAML (for definition authors). */
  yaml?: boolean;
}

const typeWords: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'empty',
};

const yamlForms: Record<string, string> = {
  object: ' (`key: value` lines)',
  array: ' (`[a, b]` or `- item` lines)',
};

/** A JSON Schema type in a process owner's words: `object` → "a mapping". */
export function typeWord(type: string, options: WordOptions = {}): string {
  return `${typeWords[type] ?? type}${options.yaml ? (yamlForms[type] ?? '') : ''}`;
}

/** The JSON Schema type of a value (`integer` for whole numbers; a missing value counts as empty). */
export function jsonType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** ` ("yes")` for a scalar, nothing for a mapping, a list or nothing; long text cut. */
export function valuePreview(value: unknown): string {
  if (value === undefined || value === null || typeof value === 'object') return '';
  const text = JSON.stringify(value);
  return ` (${text.length > 40 ? `${text.slice(0, 37)}...` : text})`;
}

/** `a`, `b` or `c`. */
export function codeList(values: readonly unknown[], conjunction = 'or'): string {
  const quoted = values.map((v) => `\`${String(v)}\``);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted[quoted.length - 1]}`;
}

/** `customer.name`, `partsUsed[0].quantity`: a field path from its segments. */
export function fieldPath(segments: readonly (string | number)[]): string {
  return segments.map((s, i) => (typeof s === 'number' || /^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

const formatWords: Record<string, string> = {
  date: 'a date (YYYY-MM-DD)',
  'date-time': 'a date-time (ISO 8601 with a time zone, e.g. 2026-03-02T09:00:00Z)',
  time: 'a time (HH:MM:SS with a time zone)',
  duration: 'an ISO 8601 duration (e.g. P3D)',
  email: 'an email address',
  uri: 'a URI',
  uuid: 'a UUID',
};

/** A `format` in words: `date` → "a date (YYYY-MM-DD)". */
export function formatWord(format: string): string {
  return formatWords[format] ?? `a valid ${format}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * What the failure says about its field, to follow the field's name: "must be a list, not
 * text", "must be at least 1, not 0", "must be one of `a` or `b`, not `c`". For `required`
 * and `additionalProperties` the field is the missing or unknown key ("is required", "is not
 * a known field"). Undefined for keywords that only report that a subschema failed (`if`,
 * `anyOf`...): the subschema's own failure says why.
 */
export function keywordWords(failure: SchemaFailure, options: WordOptions = {}): string | undefined {
  const p = failure.params;
  const value = failure.value;
  const limit = Number(p.limit);
  switch (failure.keyword) {
    case 'type': {
      const expected = (Array.isArray(p.type) ? p.type.map(String) : String(p.type).split(',')).map((t) => typeWord(t, options)).join(' or ');
      return `must be ${expected}, not ${typeWord(jsonType(value), options)}${options.preview ? valuePreview(value) : ''}`;
    }
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known field';
    case 'enum':
    case 'const': {
      const allowed = failure.keyword === 'const' ? [p.allowedValue] : ((p.allowedValues as unknown[] | undefined) ?? []);
      const given = typeof value === 'object' && value !== null ? typeWord(jsonType(value), options) : `\`${String(value)}\``;
      return `must be ${allowed.length === 1 ? codeList(allowed) : `one of ${codeList(allowed)}`}, not ${given}`;
    }
    case 'format':
      return `must be ${formatWord(String(p.format))}, not ${JSON.stringify(value)}`;
    case 'minimum':
      return `must be at least ${String(p.limit)}, not ${String(value)}`;
    case 'maximum':
      return `must be at most ${String(p.limit)}, not ${String(value)}`;
    case 'exclusiveMinimum':
      return `must be more than ${String(p.limit)}`;
    case 'exclusiveMaximum':
      return `must be less than ${String(p.limit)}`;
    case 'multipleOf':
      return `must be a multiple of ${String(p.multipleOf)}, not ${String(value)}`;
    case 'minLength':
      return limit <= 1 ? 'must not be empty' : `must have at least ${plural(limit, 'character', 'characters')}`;
    case 'maxLength':
      return `must have at most ${plural(limit, 'character', 'characters')}`;
    case 'pattern':
      return `must match the pattern \`${String(p.pattern)}\`, not ${JSON.stringify(value)}`;
    case 'minItems':
      return `needs at least ${plural(limit, 'item', 'items')}`;
    case 'maxItems':
      return `allows at most ${plural(limit, 'item', 'items')}`;
    case 'minProperties':
      return `needs at least ${plural(limit, 'entry', 'entries')}`;
    case 'maxProperties':
      return `allows at most ${plural(limit, 'entry', 'entries')}`;
    case 'uniqueItems':
      return `lists the same value twice (items ${Number(p.j) + 1} and ${Number(p.i) + 1})`;
    default:
      return undefined;
  }
}
