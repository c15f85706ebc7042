/**
 * What the loader reports about a definition: every problem at once, each with a location,
 * a stable code and a message in plain words that names the thing and suggests the fix.
 *
 * The codes are a contract with process owners and with tools that read `--json`: never
 * rename one; add new ones. `docs/errors.md` is generated from `problemCodes`.
 */
import { expressionVariableNames } from './expression-variables.js';
import { listOf } from './names.js';

export const problemCodes = {
  YAML_SYNTAX: 'The file is not valid YAML. Fix the line shown; often an indentation or a missing colon or quote.',
  YAML_DUPLICATE_KEY: 'The same key appears twice in one mapping; YAML would silently keep only one. Remove or rename one.',
  YAML_NOT_A_MAPPING: 'The file must be a mapping (`process:`, `version:`, `steps:` ...), not a list or a single value.',
  FILE_UNREADABLE: 'The file could not be read (missing, a folder, or no permission).',
  FILE_TOO_LARGE: 'The file is over 1 MiB, far more than any definition or calendar needs; it is not read at all.',
  TOO_MANY_PROBLEMS: 'A file has more than 500 problems: the first 500 are listed, and this one counts the rest.',
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
  ROLE_UNKNOWN: 'A task, escalation, `acts-for` or `may-cancel` names a role that `roles` does not declare.',
  ACTIVITY_UNKNOWN: 'An action names an activity the worker does not register. The message lists the nearest names.',
  SUBPROCESS_UNKNOWN: 'A subprocess step names a process that no definition provides.',
  SUBPROCESS_CYCLE: 'Processes open each other as subprocesses in a circle; a case would never finish.',
  OUTCOME_NO_TRANSITION: 'A task or subprocess offers an outcome that `then` does not route; add it or an `otherwise`.',
  OUTCOME_UNKNOWN: '`then` routes an outcome the task (or the subprocess) never produces; usually a typo.',
  TASK_RULE_INVALID: 'Who may complete a task is said in a way that cannot hold: both `assign: owner` and `assign-to`, or `not-by` naming the step itself or a step that is not a task.',
  OUTCOME_DUPLICATE_ROUTE: 'Every outcome goes to the same step through `otherwise`; write `then: <step>` instead.',
  EXPRESSION_SYNTAX: 'An expression does not parse. The message shows where.',
  EXPRESSION_UNKNOWN_FIELD: 'An expression names a field that the input schema (or the parameters) do not have.',
  EXPRESSION_TYPE: 'An expression mixes types that do not go together, or a condition is not true/false.',
  EXPRESSION_UNKNOWN_STEP: '`outcomes.<step>` names a step without outcomes (not a task or subprocess) or that does not exist.',
  EXPRESSION_TOO_COSTLY: 'An expression goes through a list of the case data once for every element of another, so its cost is the product of two lengths the definition does not bound; a case with long lists would run out of the expression budget.',
  TEMPLATE_UNCLOSED: 'A `${` in a text has no closing `}`.',
  DURATION_INVALID: 'A duration could not be read. Write for example `30s`, `24h`, `3 days`, `8 business hours`, `3 working days`.',
  FORM_SCHEMA_INVALID: 'A task form (or the case input) is not a valid JSON Schema; the message says where.',
  FORM_SCHEMA_UNKNOWN_KEYWORD: 'A JSON Schema keyword is misspelt or unknown, so it would be silently ignored.',
  PARAMETER_INVALID: 'A parameter default does not match its declared type or range.',
  PARAMETER_UNUSED: 'A parameter is declared but no expression of the process reads it.',
  VISITS_TARGET_UNKNOWN: 'A `visits` bound sends the case to a step that does not exist.',
  CALENDAR_UNKNOWN: 'The process names a calendar that no calendar file defines.',
  VERSION_CONFLICT: 'Two files define the same process and version with different content; raise the version of the newer one.',
  VERSION_CHANGED: 'The definition differs from what was published under its version (published.json); raise the version.',
  ACTIVITY_INPUT_UNKNOWN: 'An action passes a `with:` key the activity does not take; usually a typo.',
  ACTIVITY_INPUT_MISSING: 'An action does not pass a `with:` key the activity requires.',
  SLA_INVALID: 'An SLA clock is not well defined (the message says what is missing or contradictory).',
  SLA_UNKNOWN_STEP: 'An SLA clock starts, pauses, resumes or stops on a step that does not exist.',
  SLA_UNKNOWN_OUTCOME: 'An SLA clock reacts to an outcome that the named step never gives.',
  CALENDAR_TIME_ZONE_UNKNOWN: 'The calendar names a time zone that is not an IANA zone (like `Asia/Shanghai` or `Europe/Berlin`).',
  CALENDAR_INTERVAL_INVALID: 'Working hours must be written `HH:MM-HH:MM` with the start before the end (`24:00` may end a day).',
  CALENDAR_INTERVALS_OVERLAP: 'Two working intervals of the same day overlap; merge them or fix one.',
  CALENDAR_DATE_INVALID: 'A date is not a real calendar date in the form `YYYY-MM-DD`, or a range ends before it starts.',
  CALENDAR_DAY_CONFLICT: 'The same date is both a holiday and an extra working day; keep one.',
  CALENDAR_DATE_OUTSIDE_KNOWN_YEARS: 'A holiday or extra working day falls in a year the calendar does not list in `known-years`.',
  CALENDAR_NO_WORKING_TIME: 'The calendar has no working hours at all, so no business deadline could ever be reached.',
  CALENDAR_DUPLICATE: 'Two files define the same calendar and version with different content; raise the version of the newer one.',
  SCENARIO_UNKNOWN_NAME: 'A scenario names a step, outcome, activity or SLA clock that the definition it runs does not have; usually a typo.',
  SCENARIO_INVALID: 'A scenario writes a duration or an instant that cannot be read, or asks for something the test server cannot do.',
} as const;

export type ProblemCode = keyof typeof problemCodes;

/**
 * What to do about each problem, in the process owner's words: `docs/errors.md` shows it under
 * the code's explanation and an example. Typed by the codes, so a new code needs its fix here.
 */
export const problemFixes: Record<ProblemCode, string> = {
  YAML_SYNTAX: 'Go to the line and column shown. Check that every `key:` has its colon and a space after it, that keys of one mapping line up exactly, that quotes and brackets are closed, and that indentation uses spaces. Only the first syntax error is reported: fix it and validate again.',
  YAML_DUPLICATE_KEY: 'Keep one of the two entries. If both were meant (two roles, two steps), give the second its own name.',
  YAML_NOT_A_MAPPING: 'Start the file with `process:`, `version:`, `title:`, `roles:` and `steps:` at the left margin. A file with only comments, a list or a single word is not a definition.',
  FILE_UNREADABLE: 'Check the path you gave, that it is a file and not a folder, and that you may read it.',
  FILE_TOO_LARGE: 'A definition is a few tens of KB. Split a process this large into subprocesses, and move data out of it: long texts, lists and tables belong in the case input or behind an activity. A file this size was more likely generated or pasted by mistake: check that it is the file you meant.',
  TOO_MANY_PROBLEMS: 'Fix the problems listed (hundreds of them are usually one mistake repeated, or a file that is not a definition at all) and validate again to see the rest.',
  SCHEMA_REQUIRED: 'Add the key named in the message where the message says; the message suggests a value.',
  SCHEMA_UNKNOWN_KEY: 'Correct the spelling to the key the message suggests, or remove the key. Keys are lower-case words joined by dashes, like `save-as` and `on-failure`.',
  SCHEMA_TYPE: 'Write the value in the form the message asks for: text, a whole number, `true`/`false`, a mapping (`key: value` lines) or a list (`- item` lines).',
  SCHEMA_ENUM: 'Use one of the words the message lists, spelt exactly.',
  SCHEMA_NAME: 'Rename it as the message suggests: lower-case words and digits joined by single dashes (`follow-up-visit`). Change every place that names it too.',
  SCHEMA_IDENTIFIER: 'Rename it as the message suggests (letters, digits and underscores, like `workOrder`) and use the new name in expressions.',
  SCHEMA_RANGE: 'Bring the value into the range the message gives: at least 1 for versions, attempts and visits, at least one entry where a list or mapping must not be empty, no value listed twice.',
  SCHEMA_INVALID: 'Write the value in one of the forms the message lists.',
  STEP_KIND_MISSING: 'Give the step the key for what it does (`action`, `task`, `decide`, `wait`, `parallel`, `subprocess` or `end`); if the message suggests a kind, the key is probably misspelt.',
  STEP_KIND_CONFLICT: 'Split the step in two, each doing one thing, and link them with `then`.',
  STEP_DUPLICATE_ID: 'Rename one of the steps and update the transitions that go to it.',
  STEP_UNKNOWN_TARGET: 'Correct the step id (the message suggests the nearest one), or add the missing step. A branch of a parallel step cannot go to steps outside it: leave out `then` on its last step instead.',
  STEP_UNREACHABLE: 'Add a transition to the step from the step before it, or delete the step if it is no longer needed.',
  STEP_CANNOT_END: 'Follow the transitions from this step: one of the steps after it does not say where to go next. Add the missing `then`, or a way to an end step.',
  STEP_MISSING_THEN: 'Add `then: <step>` with the step that comes next (for a task, `then:` may map each outcome to a step).',
  STEP_END_IN_BRANCH: 'Remove the end step from the branch and leave out `then` on the branch\'s last step; put the end step after the parallel step.',
  LOOP_NO_EXIT: 'Give one of the steps a way out (an outcome or a condition that leads beyond the loop), or bound the loop with `visits: { max: 3, then: <step> }` on one of its steps.',
  START_UNKNOWN: 'Correct `start` to the id of an existing step (the message suggests the nearest), or remove it to start at the first step listed.',
  ROLE_UNKNOWN: 'Correct the role name (the message suggests the nearest), or declare the role under `roles:` with its title.',
  ACTIVITY_UNKNOWN: 'Use the name of an activity the worker registers (the message suggests the nearest or lists them); a new activity must be added to the worker first.',
  SUBPROCESS_UNKNOWN: 'Correct the process name (the message suggests the nearest), or add the definition of that process to the definitions folder.',
  SUBPROCESS_CYCLE: 'Remove the subprocess step that closes the circle; a process cannot wait, directly or through others, for a case of itself.',
  OUTCOME_NO_TRANSITION: 'Add the outcome under `then` with the step it leads to, or add `otherwise: <step>` for every outcome not listed.',
  OUTCOME_UNKNOWN: 'Correct the outcome to one the task offers (or the subprocess ends with), or add it to the task\'s `outcomes`.',
  TASK_RULE_INVALID: 'Keep one of `assign: owner` and `assign-to`; under `not-by`, name other task steps of the process (the ones whose completer may not complete this task).',
  OUTCOME_DUPLICATE_ROUTE: 'Replace the mapping with `then: <step>`.',
  EXPRESSION_SYNTAX: 'Correct the expression at the column shown: compare with `==` (not `=`), close every parenthesis and quote, and put text in double quotes.',
  // The variables come from the one list, so a new one shows up here too (this text once forgot `actors`).
  EXPRESSION_UNKNOWN_FIELD: 'Correct the field name (the message suggests the nearest), or add the field to the `input` schema or the parameter to `parameters`. Expressions start from ' + `${listOf(expressionVariableNames)}.`,
  EXPRESSION_TYPE: 'Compare values of the same kind (numbers with numbers, text with text), and make a condition say true or false, for example `input.amount > 1000`.',
  EXPRESSION_UNKNOWN_STEP: 'Name a task or subprocess step in `outcomes.<step>` (or `outcomes["step-id"]`), spelt as its id.',
  EXPRESSION_TOO_COSTLY: 'Declare how long the lists can be with `maxItems` in the input schema, so that the product of their lengths stays within the number the message gives; or go through each list once (loop over the outer element\'s own parts, `input.orders.all(o, o.lines.all(l, l.quantity > 0))`, which walks the data only once).',
  TEMPLATE_UNCLOSED: 'Close the placeholder with `}`, or write `$${` for a literal `${`.',
  DURATION_INVALID: 'Write a number and a unit: `30s`, `15m`, `24h`, `3 days`, `1h 30m`, `8 business hours`, `3 working days` (whole days), or an expression `${params.window}`.',
  FORM_SCHEMA_INVALID: 'Correct the JSON Schema at the place shown: `type` is one of string, number, integer, boolean, object, array or null; `required` is a list of property names; formats Aftercare checks are listed in the message.',
  FORM_SCHEMA_UNKNOWN_KEYWORD: 'Correct the keyword to the one the message suggests. For hints to a user interface, prefix your own keys with `x-`.',
  PARAMETER_INVALID: 'Change the default so it matches the parameter\'s `type` and lies between its `minimum` and `maximum`.',
  PARAMETER_UNUSED: 'Use it where the number belongs (`${params.name}` in a duration, a condition, a `with:` value), or remove it.',
  VISITS_TARGET_UNKNOWN: 'Correct `visits.then` to an existing step (the message suggests the nearest), or add the step.',
  CALENDAR_UNKNOWN: 'Correct the calendar name (the message lists the known ones), or add the calendar file to `definitions/calendars`.',
  VERSION_CONFLICT: 'Raise `version` in the file you changed: running cases keep the version they started with, so a changed process needs a new number.',
  VERSION_CHANGED: 'Raise `version` (and run `npx aftercare publish` when it is released), or undo the change if it was not meant for a new version.',
  ACTIVITY_INPUT_UNKNOWN: 'Correct the key to one the activity takes (the message suggests the nearest or lists them), or remove it.',
  ACTIVITY_INPUT_MISSING: 'Add the key under the action\'s `with:`, with a value or an expression like `${input.customer}`.',
  SLA_INVALID: 'Do what the message says: add a `calendar:` for business-time targets, give each trigger either `enter` or `leave`, give each escalation exactly one moment (`at`, `before` or `after`) and something to do.',
  SLA_UNKNOWN_STEP: 'Correct the step id (the message suggests the nearest), or add the step.',
  SLA_UNKNOWN_OUTCOME: 'Correct the outcome to one the step offers, or leave `outcome` out to react to any outcome.',
  CALENDAR_TIME_ZONE_UNKNOWN: 'Write the IANA name of the zone, like `Asia/Shanghai`; the message suggests the nearest.',
  CALENDAR_INTERVAL_INVALID: 'Write working hours as `09:00-18:00`, the start before the end.',
  CALENDAR_INTERVALS_OVERLAP: 'Merge the overlapping intervals into one, or correct the times.',
  CALENDAR_DATE_INVALID: 'Write a real date as `YYYY-MM-DD`, and ranges with the earlier date first.',
  CALENDAR_DAY_CONFLICT: 'Keep the date in one list only: holidays or extra working days.',
  CALENDAR_DATE_OUTSIDE_KNOWN_YEARS: 'Add the year to `known-years` (and its holidays), or correct the date.',
  CALENDAR_NO_WORKING_TIME: 'Give at least one day of the week working hours.',
  CALENDAR_DUPLICATE: 'Raise the `version` of the calendar file you changed.',
  SCENARIO_UNKNOWN_NAME: 'Use a name of the definition the scenario runs (`aftercare graph <process>` draws them all).',
  SCENARIO_INVALID: 'Write durations like `2h` or `3 working days`, instants with their offset like `2026-09-30T10:00+08:00`.',
};

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

/** The most problems listed for one file; beyond them one TOO_MANY_PROBLEMS counts the rest. */
export const maxProblemsPerFile = 500;

/**
 * Problems sorted by file and position, with at most `max` kept per file: a file past it keeps
 * its first `max` and gets one TOO_MANY_PROBLEMS, placed where the first one left out was, that
 * counts the others. Keeps the output of a generated or mangled file readable and bounded.
 */
export function capProblemsPerFile(sorted: readonly Problem[], max = maxProblemsPerFile): Problem[] {
  const kept: Problem[] = [];
  let i = 0;
  while (i < sorted.length) {
    const file = sorted[i]?.file;
    let end = i;
    while (end < sorted.length && sorted[end]?.file === file) end++;
    kept.push(...sorted.slice(i, Math.min(end, i + max)));
    const first = sorted[i + max];
    if (end - i > max && first) {
      const more = end - i - max;
      kept.push({
        file: first.file,
        line: first.line,
        column: first.column,
        path: '',
        code: 'TOO_MANY_PROBLEMS',
        message: `the file has ${end - i} problems; the first \`${max}\` are listed and ${more} more, from here on, are not: fix those listed and validate again`,
      });
    }
    i = end;
  }
  return kept;
}

/** `file:line:col  CODE  message`, the form editors and terminals turn into links. */
export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.column}  ${problem.code}  ${problem.message}`;
}
