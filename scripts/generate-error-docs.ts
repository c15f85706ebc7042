/**
 * `npm run docs:errors`: writes docs/errors.md, the reference of every problem code — what it
 * means and what to do (from dsl/problems.ts), with a real example: the first file of the broken
 * corpus (test/fixtures/broken, or test/fixtures/calendars/broken for calendar files) that shows
 * the code, the lines it points at and the message the loader prints. A test fails when the
 * committed file is not what this script writes.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCalendars } from '../dsl/load/calendar-load.js';
import { loadDefinitions } from '../dsl/load/load.js';
import { problemCodes, problemFixes, type Problem, type ProblemCode } from '../dsl/problems.js';
import { brokenCases, corpusLoadOptions } from '../test/language/broken-corpus.js';
import { actorRefusalCodes } from '../client/errors.js';
import { rejectionCodes } from '../workflows/rejection.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const errorDocsPath = path.join(root, 'docs', 'errors.md');

const groups: { title: string; intro: string; codes: ProblemCode[] }[] = [
  { title: 'Reading the file', intro: 'The file must be YAML, and a mapping.', codes: ['YAML_SYNTAX', 'YAML_DUPLICATE_KEY', 'YAML_NOT_A_MAPPING', 'FILE_UNREADABLE'] },
  {
    title: 'The shape of a definition',
    intro: 'Checked against the JSON Schema, `schema/process.schema.json`. Each step is checked against the one kind it declares, so the messages speak of that kind only.',
    codes: ['SCHEMA_REQUIRED', 'SCHEMA_UNKNOWN_KEY', 'SCHEMA_TYPE', 'SCHEMA_ENUM', 'SCHEMA_NAME', 'SCHEMA_IDENTIFIER', 'SCHEMA_RANGE', 'SCHEMA_INVALID', 'STEP_KIND_MISSING', 'STEP_KIND_CONFLICT'],
  },
  {
    title: 'Steps, transitions and loops',
    intro: 'Where each step leads: every path from the start must be able to reach an end.',
    codes: ['STEP_DUPLICATE_ID', 'STEP_UNKNOWN_TARGET', 'START_UNKNOWN', 'VISITS_TARGET_UNKNOWN', 'STEP_MISSING_THEN', 'STEP_UNREACHABLE', 'STEP_CANNOT_END', 'LOOP_NO_EXIT', 'STEP_END_IN_BRANCH', 'OUTCOME_NO_TRANSITION', 'OUTCOME_UNKNOWN', 'OUTCOME_DUPLICATE_ROUTE', 'TASK_RULE_INVALID'],
  },
  {
    title: 'Names of things outside the step',
    intro: 'Roles, activities and their inputs, other processes, calendars.',
    codes: ['ROLE_UNKNOWN', 'ACTIVITY_UNKNOWN', 'ACTIVITY_INPUT_UNKNOWN', 'ACTIVITY_INPUT_MISSING', 'SUBPROCESS_UNKNOWN', 'SUBPROCESS_CYCLE', 'CALENDAR_UNKNOWN', 'VERSION_CONFLICT', 'VERSION_CHANGED'],
  },
  {
    title: 'Expressions, durations, forms and parameters',
    intro: 'Expressions are parsed and checked against the `input` schema and the parameters when the file loads, not when a case gets there.',
    codes: ['EXPRESSION_SYNTAX', 'EXPRESSION_UNKNOWN_FIELD', 'EXPRESSION_TYPE', 'EXPRESSION_UNKNOWN_STEP', 'EXPRESSION_TOO_COSTLY', 'TEMPLATE_UNCLOSED', 'DURATION_INVALID', 'FORM_SCHEMA_INVALID', 'FORM_SCHEMA_UNKNOWN_KEYWORD', 'PARAMETER_INVALID', 'PARAMETER_UNUSED'],
  },
  { title: 'SLA clocks', intro: 'The `slas:` section: targets, triggers, pauses and escalation ladders.', codes: ['SLA_INVALID', 'SLA_UNKNOWN_STEP', 'SLA_UNKNOWN_OUTCOME'] },
  {
    title: 'Business calendar files',
    intro: 'Files in `definitions/calendars` (see [calendars.md](calendars.md)).',
    codes: ['CALENDAR_TIME_ZONE_UNKNOWN', 'CALENDAR_INTERVAL_INVALID', 'CALENDAR_INTERVALS_OVERLAP', 'CALENDAR_DATE_INVALID', 'CALENDAR_DAY_CONFLICT', 'CALENDAR_DATE_OUTSIDE_KNOWN_YEARS', 'CALENDAR_NO_WORKING_TIME', 'CALENDAR_DUPLICATE'],
  },
  {
    title: 'Scenario files',
    intro: 'Files in `definitions/tests` run by `npx aftercare test` (see [testing.md](testing.md)); their shape is checked with the `SCHEMA_*` codes above, against `schema/scenario.schema.json`.',
    codes: ['SCENARIO_UNKNOWN_NAME', 'SCENARIO_INVALID'],
  },
];

interface Example {
  problem: Problem;
  lines: string[];
}

const relative = (file: string) => path.relative(root, path.resolve(root, file)).split(path.sep).join('/');
const withoutRoot = (text: string) => text.split(`${root}${path.sep}`).join('');

/** The first example of each code: broken definitions, then broken calendars, then a missing file. */
async function collectExamples(): Promise<Map<string, Example>> {
  const examples = new Map<string, Example>();
  // An example whose line is a comment (a problem of the whole file, at 1:1) shows nothing to
  // point at: a later example that points into the definition is preferred.
  const add = async (problems: Problem[]) => {
    for (const problem of problems) {
      const known = examples.get(problem.code);
      if (known && !pointsAtComment(known)) continue;
      const lines = await fs.readFile(problem.file, 'utf8').then((text) => text.split('\n'), () => []);
      if (known && pointsAtComment({ problem, lines })) continue;
      examples.set(problem.code, { problem, lines });
    }
  };
  for (const c of await brokenCases()) await add((await loadDefinitions([c.target], corpusLoadOptions)).problems);
  const calendarDir = path.join(root, 'test', 'fixtures', 'calendars', 'broken');
  const calendarEntries = await fs.readdir(calendarDir).catch(() => [] as string[]);
  for (const entry of calendarEntries.sort()) await add((await loadCalendars([path.join(calendarDir, entry)])).problems);
  await add((await loadDefinitions([path.join(root, 'test', 'fixtures', 'broken', 'no-such-file.yaml')], corpusLoadOptions)).problems);
  return examples;
}

function pointsAtComment({ problem, lines }: Example): boolean {
  const line = lines[problem.line - 1];
  return line === undefined || line.trimStart().startsWith('#') || line.trim() === '';
}

/** The line the problem points at, with a caret, between the lines before and after it (unless comments). */
function snippet({ problem, lines }: Example): string {
  const numbered = (n: number) => `${String(n).padStart(3)} | ${lines[n - 1] ?? ''}`;
  const shown: string[] = [];
  const before = lines[problem.line - 2];
  if (problem.line > 1 && before !== undefined && !before.trimStart().startsWith('#') && before.trim() !== '') shown.push(numbered(problem.line - 1));
  shown.push(numbered(problem.line));
  shown.push(`${' '.repeat(6 + problem.column - 1)}^`);
  const after = lines[problem.line];
  if (after !== undefined && after.trim() !== '' && !after.trimStart().startsWith('#')) shown.push(numbered(problem.line + 1));
  return shown.join('\n');
}

export async function generateErrorDocs(): Promise<string> {
  const examples = await collectExamples();
  const grouped = new Set(groups.flatMap((g) => g.codes));
  const others = (Object.keys(problemCodes) as ProblemCode[]).filter((code) => !grouped.has(code));
  const allGroups = others.length > 0 ? [...groups, { title: 'Other problems', intro: '', codes: others }] : groups;

  const out: string[] = [];
  out.push('# Problem codes');
  out.push('');
  out.push('<!-- Generated by `npm run docs:errors` from dsl/problems.ts and the broken definitions in test/fixtures/broken. Do not edit: change those and run it again. -->');
  out.push('');
  out.push('`npx aftercare validate` checks definitions before any case runs and prints every problem at once, one per line:');
  out.push('');
  out.push('```text');
  out.push('file:line:column  CODE  message');
  out.push('```');
  out.push('');
  out.push('The line and column point at the key or value to change (with `--json`, each problem also has a JSON pointer, `path`). The code is stable: tools may rely on it. The message names the thing and, where it can, suggests the fix ("did you mean ...?"). This page lists every code with what it means, a real example from the test corpus, and what to do. The language itself is described in [language.md](language.md).');
  out.push('');
  for (const group of allGroups) out.push(`- **${group.title}**: ${group.codes.map((code) => `[\`${code}\`](#${code.toLowerCase()})`).join(', ')}`);
  for (const group of allGroups) {
    out.push('');
    out.push(`## ${group.title}`);
    if (group.intro) out.push('', group.intro);
    for (const code of group.codes) {
      out.push('');
      out.push(`### ${code}`);
      out.push('');
      out.push(problemCodes[code]);
      const example = examples.get(code);
      if (example) {
        const { problem } = example;
        out.push('');
        out.push(`Example, from \`${relative(problem.file)}\`:`);
        out.push('');
        if (!pointsAtComment(example)) {
          out.push('```yaml');
          out.push(snippet(example));
          out.push('```');
          out.push('');
        }
        out.push('```text');
        out.push(`${path.basename(problem.file)}:${problem.line}:${problem.column}  ${problem.code}  ${withoutRoot(problem.message)}`);
        out.push('```');
      } else {
        out.push('');
        out.push(code.startsWith('SCENARIO_') ? '_Reported by `npx aftercare test` for scenario files; the tests in test/scenarios/ show examples._' : '_No check produces this code yet._');
      }
      out.push('');
      out.push(`**What to do:** ${problemFixes[code]}`);
    }
  }
  out.push('');
  out.push(...refusalDocs());
  return out.join('\n');
}

/** The codes of refused requests: what a service or the CLI gets back, and what nothing changed. */
function refusalDocs(): string[] {
  const out: string[] = [];
  out.push('# Refused requests');
  out.push('');
  out.push('A request to a running case — complete, claim or hand on a task, cancel the case — is checked before anything is written: by the client (who the person is, `ActorRefusedError`) and by the case itself in its Update validator (`RequestRejectedError`), so a request that reaches Temporal by another path is checked too. A refusal changes nothing: no history event, no row. The code is stable; the message says what and where. `aftercare task ...` prints `refused (CODE): message` and exits 1 (`--json`: `{"error":{"code","message"}}`).');
  out.push('');
  out.push('## Refused by the client, before the case sees the request');
  out.push('');
  for (const [code, meaning] of Object.entries(actorRefusalCodes)) out.push(`- **\`${code}\`**: ${meaning}`);
  out.push('');
  out.push('## Refused by the case');
  out.push('');
  for (const [code, meaning] of Object.entries(rejectionCodes)) out.push(`- **\`${code}\`**: ${meaning}`);
  out.push('');
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await fs.mkdir(path.dirname(errorDocsPath), { recursive: true });
  await fs.writeFile(errorDocsPath, await generateErrorDocs());
  console.log(`wrote ${relative(errorDocsPath)}`);
}
