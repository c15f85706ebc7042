/**
 * What the loader reports about a definition: every problem at once, each with a location,
 * a stable code and a message in plain words that names the thing and suggests the fix.
 *
 * The codes are a contract with process owners and with tools that read `--json`: never
 * rename one; add new ones. `docs/errors.md` is generated from `problemCodes`.
 */

export const problemCodes = {
  YAML_SYNTAX: 'The file is not valid YAML. Fix the line shown; often an indentation or a missing colon or quote.',
  YAML_DUPLICATE_KEY: 'The same key appears twice in one mapping; YAML would silently keep only one. Remove or rename one.',
  YAML_NOT_A_MAPPING: 'The file must be a mapping (`process:`, `version:`, `steps:` ...), not a list or a single value.',
  FILE_UNREADABLE: 'The file could not be read (missing, a folder, or no permission).',
  SCHEMA_REQUIRED: 'A required key is missing. Add it.',
  SCHEMA_UNKNOWN_KEY: 'A key the language does not know; usually a typo. The message suggests the nearest known key.',
  SCHEMA_TYPE: 'A value has the wrong type (text where a number is expected, a list where a mapping is expected...).',
  SCHEMA_ENUM: 'A value is not one of the allowed words; the message lists them.',
  SCHEMA_NAME: 'A name is not in kebab-case (lower-case words joined by dashes, like `follow-up-visit`).',
  SCHEMA_IDENTIFIER: 'A name used in expressions must be letters, digits and underscores, like `workOrder`.',
  SCHEMA_RANGE: 'A number is outside its allowed range, or a list or mapping has too few or too many entries.',
  SCHEMA_INVALID: 'The value does not match the language (the message says what was expected).',
  STEP_KIND_MISSING: 'A step does not say what it does: give it exactly one of action, task, decide, wait, parallel, subprocess, end.',
  STEP_KIND_CONFLICT: 'A step says more than one thing it does (for example both `task` and `action`); split it into two steps.',
  STEP_DUPLICATE_ID: 'Two steps have the same id (possibly in different parallel branches); step ids must be unique in the file.',
  STEP_UNKNOWN_TARGET: 'A transition names a step that does not exist (in this branch). The message suggests the nearest id.',
  STEP_UNREACHABLE: 'No path from the start leads to this step. Link it from another step or delete it.',
  STEP_CANNOT_END: 'From this step no path leads to an end step, so a case that gets here can never close.',
  STEP_MISSING_THEN: 'A step outside a parallel branch must say where to go next with `then`.',
  STEP_END_IN_BRANCH: 'An end step inside a parallel branch would close the case while other branches run; end the branch by leaving out `then` instead.',
  LOOP_NO_EXIT: 'These steps form a loop that nothing leaves: add a transition out of the loop, or a `visits` bound.',
  START_UNKNOWN: '`start` names a step that does not exist.',
  ROLE_UNKNOWN: 'A task, escalation or `acts-for` names a role that `roles` does not declare.',
  ACTIVITY_UNKNOWN: 'An action names an activity the worker does not register. The message lists the nearest names.',
  SUBPROCESS_UNKNOWN: 'A subprocess step names a process that no definition provides.',
  SUBPROCESS_CYCLE: 'Processes open each other as subprocesses in a circle; a case would never finish.',
  OUTCOME_NO_TRANSITION: 'A task or subprocess offers an outcome that `then` does not route; add it or an `otherwise`.',
  OUTCOME_UNKNOWN: '`then` routes an outcome the task (or the subprocess) never produces; usually a typo.',
  OUTCOME_DUPLICATE_ROUTE: 'Every outcome goes to the same step through `otherwise`; write `then: <step>` instead.',
  EXPRESSION_SYNTAX: 'An expression does not parse. The message shows where.',
  EXPRESSION_UNKNOWN_FIELD: 'An expression names a field that the input schema (or the parameters) do not have.',
  EXPRESSION_TYPE: 'An expression mixes types that do not go together, or a condition is not true/false.',
  EXPRESSION_UNKNOWN_STEP: '`outcomes.<step>` names a step without outcomes (not a task or subprocess) or that does not exist.',
  TEMPLATE_UNCLOSED: 'A `${` in a text has no closing `}`.',
  DURATION_INVALID: 'A duration could not be read. Write for example `30s`, `24h`, `3 days`, `8 business hours`, `3 working days`.',
  FORM_SCHEMA_INVALID: 'A task form (or the case input) is not a valid JSON Schema; the message says where.',
  FORM_SCHEMA_UNKNOWN_KEYWORD: 'A JSON Schema keyword is misspelt or unknown, so it would be silently ignored.',
  PARAMETER_INVALID: 'A parameter default does not match its declared type or range.',
  VISITS_TARGET_UNKNOWN: 'A `visits` bound sends the case to a step that does not exist.',
  CALENDAR_UNKNOWN: 'The process names a calendar that no calendar file defines.',
  VERSION_CONFLICT: 'Two files define the same process and version with different content; raise the version of the newer one.',
  ACTIVITY_INPUT_UNKNOWN: 'An action passes a `with:` key the activity does not take; usually a typo.',
  ACTIVITY_INPUT_MISSING: 'An action does not pass a `with:` key the activity requires.',
  SLA_INVALID: 'An SLA clock is not well defined (the message says what is missing or contradictory).',
  SLA_UNKNOWN_STEP: 'An SLA clock starts, pauses, resumes or stops on a step that does not exist.',
  SLA_UNKNOWN_OUTCOME: 'An SLA clock reacts to an outcome that the named step never gives.',
  FOLLOW_UP_INVALID: 'A follow-up is not well defined (the message says what is missing or contradictory).',
  CALENDAR_TIME_ZONE_UNKNOWN: 'The calendar names a time zone that is not an IANA zone (like `Asia/Shanghai` or `Europe/Berlin`).',
  CALENDAR_INTERVAL_INVALID: 'Working hours must be written `HH:MM-HH:MM` with the start before the end (`24:00` may end a day).',
  CALENDAR_INTERVALS_OVERLAP: 'Two working intervals of the same day overlap; merge them or fix one.',
  CALENDAR_DATE_INVALID: 'A date is not a real calendar date in the form `YYYY-MM-DD`, or a range ends before it starts.',
  CALENDAR_DAY_CONFLICT: 'The same date is both a holiday and an extra working day; keep one.',
  CALENDAR_DATE_OUTSIDE_KNOWN_YEARS: 'A holiday or extra working day falls in a year the calendar does not list in `known-years`.',
  CALENDAR_NO_WORKING_TIME: 'The calendar has no working hours at all, so no business deadline could ever be reached.',
  CALENDAR_DUPLICATE: 'Two files define the same calendar and version with different content; raise the version of the newer one.',
} as const;

export type ProblemCode = keyof typeof problemCodes;

export interface Problem {
  /** Path of the file as given to the loader. */
  file: string;
  /** 1-based line and column of the offending key or value (1:1 when the file has no better place). */
  line: number;
  column: number;
  /** JSON pointer into the document, e.g. `/steps/investigate/then`. */
  path: string;
  code: ProblemCode;
  message: string;
}

/** A problem found before positions are known: the checker works on plain data. */
export interface UnlocatedProblem {
  path: string;
  code: ProblemCode;
  message: string;
  /** Place the caret on the key rather than its value (unknown keys, duplicate ids). */
  at?: 'key' | 'value';
  /** Offset inside the string value (an expression error), when the value is a plain scalar. */
  offset?: number;
}

/** `file:line:col  CODE  message`, the form editors and terminals turn into links. */
export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.column}  ${problem.code}  ${problem.message}`;
}
