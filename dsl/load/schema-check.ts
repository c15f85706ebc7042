/**
 * Validation against the JSON Schema (ajv), with errors a process owner can act on.
 *
 * A step is one of seven kinds; validating a step against the union would report the errors of
 * all seven alternatives ("must have `action`", "must have `task`", ...). So the document is
 * validated with steps left open, and each step is then validated against the one kind it
 * declares. Errors are translated into plain words that name the step and suggest the fix.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import processSchema from '../../schema/process.schema.json' with { type: 'json' };
import type { UnlocatedProblem } from '../problems.js';
import { stepKindKeys, stepKinds, walkSteps, type StepKindKey } from '../document.js';
import { closest, didYouMean, listOf, pointer, segmentsOf } from '../names.js';
import { jsonType, keywordWords, typeWord as schemaTypeWord, valuePreview } from '../../model/schema-words.js';

type Schema = Record<string, unknown>;

interface Validators {
  document: ValidateFunction;
  kinds: Record<StepKindKey, ValidateFunction>;
  defs: Record<string, Schema>;
}

let validators: Validators | undefined;

function build(): Validators {
  const open = structuredClone(processSchema) as Schema & { $defs: Record<string, Schema> };
  open.$id = 'https://aftercare.dev/schema/process.open.schema.json';
  open.$defs.step = { type: 'object' };
  const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true });
  ajv.addSchema(open);
  const get = (ref: string) => {
    const fn = ajv.getSchema(`${open.$id}${ref}`);
    if (!fn) throw new Error(`schema ${ref} is missing`);
    return fn;
  };
  const kinds = Object.fromEntries(stepKindKeys.map((key) => [key, get(`#/$defs/${stepKinds[key]}`)])) as Record<StepKindKey, ValidateFunction>;
  return { document: get(''), kinds, defs: open.$defs };
}

/** Validates a parsed definition against the schema; returns every problem, translated. */
export function checkSchema(data: unknown): UnlocatedProblem[] {
  validators ??= build();
  const v = validators;
  const problems: UnlocatedProblem[] = [];
  if (!v.document(data)) problems.push(...translate(v.document.errors ?? [], data, ''));
  for (const { id, path, step } of walkSteps(data)) {
    // In the order written, so a conflict points at the second kind the author wrote.
    const kinds = Object.keys(step).filter((key): key is StepKindKey => (stepKindKeys as string[]).includes(key));
    if (kinds.length === 0) {
      const known = Object.keys(step).map((key) => closest(key, stepKindKeys)).find(Boolean);
      problems.push({
        path,
        at: 'key',
        code: 'STEP_KIND_MISSING',
        message: `step \`${id}\` does not say what it does: give it one of ${listOf(stepKindKeys)}${known ? `; did you mean \`${known}\`?` : ''}`,
      });
      continue;
    }
    if (kinds.length > 1) {
      problems.push({
        path: `${path}${pointer(kinds[1] ?? '')}`,
        at: 'key',
        code: 'STEP_KIND_CONFLICT',
        message: `step \`${id}\` is both ${listOf(kinds, 'and')}; a step does one thing: split it into ${kinds.length} steps`,
      });
      continue;
    }
    const kind = kinds[0] as StepKindKey;
    const validate = v.kinds[kind];
    if (!validate(step)) problems.push(...translate(validate.errors ?? [], data, path));
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Translation of ajv errors

/** The value at a JSON pointer of parsed data, or undefined. */
export function valueAt(data: unknown, path: string): unknown {
  let current = data;
  for (const segment of segmentsOf(path)) {
    if (current && typeof current === 'object') current = (current as Record<string, unknown>)[segment];
    else return undefined;
  }
  return current;
}

/** A JSON Schema type in a process owner's words, with how YAML writes a mapping or a list. */
export function typeWord(type: string): string {
  return schemaTypeWord(type, { yaml: true });
}

export { jsonType };

/** "step `classify`, `task.outcomes`" — the path in the words of the definition. */
export function describePath(path: string): string {
  const segments = segmentsOf(path);
  let subject = '';
  let rest: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? '';
    const next = segments[i + 1];
    if (segment === 'steps' && next !== undefined) {
      subject = `step \`${next}\``;
      rest = [];
      i++;
    } else if ((segment === 'roles' || segment === 'parameters' || segment === 'slas') && i === 0 && next !== undefined) {
      subject = `${segment === 'roles' ? 'role' : segment === 'slas' ? 'SLA' : 'parameter'} \`${next}\``;
      rest = [];
      i++;
    } else {
      rest.push(/^\d+$/.test(segment) ? `[${Number(segment) + 1}]` : segment);
    }
  }
  const field = rest.join('.').replace(/\.\[/g, '[');
  if (subject && field) return `${subject}: \`${field}\``;
  if (subject) return subject;
  return field ? `\`${field}\`` : 'the file';
}

function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

function camel(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''));
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

const requiredHints: Record<string, string> = {
  title: 'add `title:` with a readable name, as the manual words it',
  process: 'add `process:` with the process name in kebab-case, e.g. `process: complaint`',
  version: 'add `version: 1` (raise it whenever the process changes)',
  roles: 'add `roles:` declaring who acts, e.g. `roles: { agent: { title: Service agent } }`',
  steps: 'add `steps:` with at least one step',
  role: 'add `role:` naming who does the task',
  outcomes: 'add `outcomes:` listing what the person can decide, e.g. `outcomes: [done]`',
  otherwise: 'add `otherwise:` with the step to go to when no condition holds',
  decide: 'add `decide:` with a list of `- when: ... then: ...`',
  when: 'add `when:` with the condition',
  then: 'add `then:` with the step to go to',
  max: 'add `max:` with the number of visits allowed',
  escalate: 'add `escalate:` with the role that should sort it out',
  description: 'add `description:` saying what the value means and where the manual leaves it open',
  default: 'add `default:` with the value used unless a case says otherwise',
  type: 'add `type:` (integer, number, string, boolean or duration)',
};

function translate(errors: ErrorObject[], data: unknown, base: string): UnlocatedProblem[] {
  const problems: UnlocatedProblem[] = [];
  const seen = new Set<string>();
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => `${base}${e.instancePath}`));

  for (const error of errors) {
    const path = `${base}${error.instancePath}`;
    const value = valueAt(data, path);
    const where = describePath(path);
    let problem: UnlocatedProblem | undefined;

    // Inside an `anyOf` (then: step | mapping), keep only the errors of the alternative the value's type chose.
    const alternativeOf = [...anyOfPaths].find((p) => path === p);
    if (alternativeOf !== undefined && error.keyword !== 'anyOf') {
      if (error.keyword === 'type' || isScalarAlternative(error)) continue; // the anyOf error describes the accepted forms
      const expected = (error.parentSchema as Schema | undefined)?.type;
      if (expected && expected !== jsonType(value) && !(expected === 'number' && jsonType(value) === 'integer')) continue;
    }

    switch (error.keyword) {
      case 'anyOf': {
        // Shares of 100 % and more are explained by the SLA check ("that is the breach or later").
        if (segmentsOf(path).pop() === 'at' && typeof value === 'string' && /^\d+(\.\d+)?%$/.test(value)) continue;
        const related = errors.filter(
          (e) => e !== error && `${base}${e.instancePath}`.startsWith(path) && e.keyword !== 'type' && e.keyword !== 'anyOf' && !(`${base}${e.instancePath}` === path && isScalarAlternative(e)),
        );
        const chosenType = jsonType(value);
        const matching = related.filter((e) => {
          const expected = (e.parentSchema as Schema | undefined)?.type;
          return !expected || expected === chosenType || `${base}${e.instancePath}` !== path;
        });
        if (matching.length > 0) continue; // the alternative's own errors say it better
        const typeFits = alternativeTypes(error).includes(chosenType);
        problem = {
          path,
          code: typeFits ? 'SCHEMA_INVALID' : 'SCHEMA_TYPE',
          message: `${where} must be ${anyOfShape(path)}, not ${typeFits ? valuePreview(value).trim().replace(/^\((.*)\)$/, '$1') : typeWord(chosenType)}`,
        };
        break;
      }
      case 'required': {
        const missing = String(error.params.missingProperty);
        const hint = requiredHints[missing] ?? `add \`${missing}:\``;
        problem = { path, at: 'key', code: 'SCHEMA_REQUIRED', message: `${where} is missing \`${missing}\`: ${hint}` };
        break;
      }
      case 'additionalProperties': {
        const key = String(error.params.additionalProperty);
        const allowed = Object.keys(((error.parentSchema as Schema | undefined)?.properties as Schema | undefined) ?? {});
        const isStepLevel = /\/steps\/[^/]+$/.test(path);
        const stepKind = isStepLevel ? (Object.keys(stepKinds) as StepKindKey[]).find((k) => value && typeof value === 'object' && k in value) : undefined;
        const suggestion = didYouMean(key, allowed);
        const context = stepKind ? ` (a${/^[aeiou]/.test(stepKind) ? 'n' : ''} ${stepKind} step takes ${listOf(allowed.filter((k) => k !== stepKind), 'and')})` : '';
        problem = {
          path: `${path}${pointer(key)}`,
          at: 'key',
          code: 'SCHEMA_UNKNOWN_KEY',
          message: `${where} has an unknown key \`${key}\`${suggestion || context}`,
        };
        break;
      }
      case 'type': {
        problem = { path, code: 'SCHEMA_TYPE', message: `${where} ${keywordWords({ keyword: 'type', params: error.params, value }, { yaml: true, preview: true })}` };
        break;
      }
      case 'enum': {
        const allowed = (error.params.allowedValues as unknown[]).map(String);
        problem = {
          path,
          code: 'SCHEMA_ENUM',
          message: `${where} ${keywordWords({ keyword: 'enum', params: error.params, value }, { yaml: true })}${didYouMean(String(value), allowed)}`,
        };
        break;
      }
      case 'pattern': {
        // Under `propertyNames`, ajv names the offending key on the error itself, not in params.
        const isPropertyName = error.propertyName !== undefined || (error.params !== undefined && 'propertyName' in error.params);
        const name = isPropertyName ? String(error.propertyName ?? error.params.propertyName) : String(value);
        const target = isPropertyName ? `${path}${pointer(name)}` : path;
        if (error.schemaPath.includes('identifier') || String(error.params.pattern).startsWith('^[a-zA-Z_]')) {
          problem = {
            path: target,
            at: isPropertyName ? 'key' : 'value',
            code: 'SCHEMA_IDENTIFIER',
            message: `${isPropertyName ? `the name of ${describePath(target)}` : `${where} \`${name}\``} cannot be used in expressions: use letters, digits and underscores, e.g. \`${camel(name) || 'name'}\``,
          };
        } else {
          const suggestion = kebab(name);
          problem = {
            path: target,
            at: isPropertyName ? 'key' : 'value',
            code: 'SCHEMA_NAME',
            message: `${isPropertyName ? `the name of ${describePath(target)} is not in kebab-case` : `${where}: \`${name}\` is not a kebab-case name`}${suggestion && suggestion !== name ? `; write \`${suggestion}\`` : ': use lower-case words joined by dashes'}`,
          };
        }
        break;
      }
      case 'propertyNames':
        continue; // the inner pattern error names the key
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'minItems':
      case 'maxItems':
      case 'minProperties':
      case 'minLength':
      case 'uniqueItems': {
        problem = { path, code: 'SCHEMA_RANGE', message: `${where} ${keywordWords({ keyword: error.keyword, params: error.params, value }) ?? error.message ?? 'is out of range'}` };
        break;
      }
      default:
        problem = { path, code: 'SCHEMA_INVALID', message: `${where} ${error.message ?? 'is not valid'}` };
    }
    const key = `${problem.code}|${problem.path}|${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

/** An alternative of an anyOf that is a single value or form (`const`, `enum`, a pattern other than a name's). */
function isScalarAlternative(error: ErrorObject): boolean {
  if (error.keyword === 'const' || error.keyword === 'enum') return true;
  return error.keyword === 'pattern' && !isNamePattern(String(error.params.pattern));
}

function isNamePattern(pattern: string): boolean {
  return pattern === nameDef.pattern || pattern === identifierDef.pattern;
}

const nameDef = processSchema.$defs.name;
const identifierDef = processSchema.$defs.identifier;

/** The JSON types the alternatives of an anyOf accept (a `const` or a pattern implies a string). */
function alternativeTypes(error: ErrorObject): string[] {
  const alternatives = ((error.schema as Schema[] | undefined) ?? []).map((alt) => resolveLocal(alt));
  return alternatives.flatMap((alt) => {
    if (typeof alt.type === 'string') return alt.type === 'number' ? ['number', 'integer'] : [alt.type];
    if (Array.isArray(alt.type)) return alt.type.map(String);
    if ('const' in alt) return [jsonType(alt.const)];
    return [];
  });
}

function resolveLocal(schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/$defs/')) return schema;
  return ((processSchema.$defs as Record<string, Schema>)[ref.slice('#/$defs/'.length)] ?? schema) as Schema;
}

function anyOfShape(path: string): string {
  const segments = segmentsOf(path);
  const last = segments.pop();
  const parent = segments.pop();
  if (last === 'at') return 'a share of the target under 100 %, like `75%`, or `breach`';
  if (last === 'start' || last === 'stop' || parent === 'stop') return '`case-opened`, `{ enter: <step> }` or `{ leave: <step>, outcome: ... }`' + (last === 'stop' ? ', or a list of these' : '');
  if (last === 'target') return 'a duration like `24h` or `3 working days`, or targets by value (`{ by: "${input.severity}", critical: 4h, otherwise: 24h }`)';
  if (last === 'notify') return 'a role, or a list of roles';
  if (last === 'outcome') return 'an outcome, or a list of outcomes';
  if (last === 'then') return 'a step id, or a mapping from outcomes to step ids';
  if (last === 'on-failure') return 'a step id, or `{ escalate: <role> }`';
  if (last === 'wait') return 'a duration like `3 days`, or `{ for: <duration> }` / `{ until: <time> }`';
  return 'one of the accepted forms';
}
