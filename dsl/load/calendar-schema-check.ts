/**
 * A calendar file against schema/calendar.schema.json (ajv), with errors in a process owner's
 * words, in the same codes as process definitions. Badly written hours and dates get their
 * calendar codes here (CALENDAR_INTERVAL_INVALID, CALENDAR_DATE_INVALID); the meaning checks
 * then skip those values, so each mistake is reported once.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import calendarSchema from '../../schema/calendar.schema.json' with { type: 'json' };
import { describePath, valueAt } from './schema-check.js';
import { keywordWords } from '../../model/schema-words.js';
import { didYouMean, pointer } from '../names.js';
import type { UnlocatedProblem } from '../problems.js';

let validator: ValidateFunction | undefined;

function build(): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  return ajv.compile(calendarSchema);
}

const requiredHints: Record<string, string> = {
  calendar: 'add `calendar:` with the name processes use, in kebab-case, e.g. `calendar: mainland-china`',
  version: 'add `version: 1` (raise it whenever the calendar changes)',
  title: 'add `title:` with a readable name',
  'time-zone': 'add `time-zone:` with an IANA zone, e.g. `time-zone: Asia/Shanghai`',
  week: 'add `week:` with the hours of each weekday, e.g. `monday: [09:00-12:00, 13:30-18:00]` and `saturday: []`',
  name: 'add `name:` saying what the day is, e.g. `name: National Day`',
  date: 'add `date:` with the day, e.g. `date: 2026-10-01`',
};

/** Validates a parsed calendar file against the schema; every problem, translated. */
export function checkCalendarSchema(data: unknown): UnlocatedProblem[] {
  validator ??= build();
  if (validator(data)) return [];
  const errors = validator.errors ?? [];
  const problems: UnlocatedProblem[] = [];
  const seen = new Set<string>();
  const add = (problem: UnlocatedProblem) => {
    const key = `${problem.code}|${problem.path}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(problem);
  };
  for (const error of errors) {
    const problem = translate(error, data);
    if (problem) add(problem);
  }
  return problems;
}

function translate(error: ErrorObject, data: unknown): UnlocatedProblem | undefined {
  const path = error.instancePath;
  const value = valueAt(data, path);
  const where = describePath(path);
  // The two shapes of a holiday are explained once, by the `oneOf` error itself.
  if (error.schemaPath.includes('/oneOf/')) return undefined;
  switch (error.keyword) {
    case 'oneOf': {
      const holiday = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
      const both = 'date' in holiday && ('from' in holiday || 'to' in holiday);
      return {
        path,
        code: 'SCHEMA_INVALID',
        message: both
          ? `${where} gives both \`date:\` and a range: keep \`date:\` for one day, or \`from:\` and \`to:\` for several`
          : `${where} needs \`date:\` for one day, or both \`from:\` and \`to:\` for a range of days`,
      };
    }
    case 'required': {
      const missing = String(error.params.missingProperty);
      const hint = requiredHints[missing] ?? `add \`${missing}:\``;
      return { path, at: 'key', code: 'SCHEMA_REQUIRED', message: `${where} is missing \`${missing}\`: ${hint}` };
    }
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const allowed = Object.keys(((error.parentSchema as Record<string, unknown> | undefined)?.properties as Record<string, unknown> | undefined) ?? {});
      return { path: `${path}${pointer(key)}`, at: 'key', code: 'SCHEMA_UNKNOWN_KEY', message: `${where} has an unknown key \`${key}\`${didYouMean(key, allowed)}` };
    }
    case 'type':
      return { path, code: 'SCHEMA_TYPE', message: `${where} ${keywordWords({ keyword: 'type', params: error.params, value }, { yaml: true })}` };
    case 'pattern': {
      const text = String(value);
      if (error.schemaPath.includes('/hours/')) {
        return { path, code: 'CALENDAR_INTERVAL_INVALID', message: `${where}: \`${text}\` is not a working interval: write \`HH:MM-HH:MM\`, e.g. \`09:00-12:00\`` };
      }
      if (error.schemaPath.includes('/date/')) {
        return { path, code: 'CALENDAR_DATE_INVALID', message: `${where}: \`${text}\` is not a date: write \`YYYY-MM-DD\`, e.g. \`2026-10-01\`` };
      }
      return { path, code: 'SCHEMA_NAME', message: `${where}: \`${text}\` is not a kebab-case name: use lower-case words joined by dashes, like \`mainland-china\`` };
    }
    case 'minimum':
    case 'maximum':
    case 'minLength':
      return { path, code: 'SCHEMA_RANGE', message: `${where} ${keywordWords({ keyword: error.keyword, params: error.params, value }) ?? error.message ?? 'is out of range'}` };
    case 'minItems':
      return { path, code: 'SCHEMA_RANGE', message: `${where} needs at least ${String(error.params.limit)} interval; leave \`hours\` out to work the usual hours` };
    case 'uniqueItems':
      return { path, code: 'SCHEMA_RANGE', message: `${where} lists the same year twice (items ${Number(error.params.j) + 1} and ${Number(error.params.i) + 1})` };
    default:
      return { path, code: 'SCHEMA_INVALID', message: `${where} ${error.message ?? 'is not valid'}` };
  }
}
