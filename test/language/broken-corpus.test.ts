/**
 * Every broken definition in test/fixtures/broken reports exactly the problems its file
 * expects — same codes, same lines and columns, all at once — each with a message that names
 * what is wrong. And every problem code the language has is shown by at least one file.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinitions } from '../../dsl/load/load.js';
import { problemCodes, type Problem } from '../../dsl/problems.js';
import { brokenCases, brokenDir, corpusLoadOptions, expectationsOf, root, type Expected } from './broken-corpus.js';

const cases = await brokenCases();
const key = (p: { file: string; code: string; line: number; column: number }) => `${path.relative(brokenDir, p.file)} ${p.code} ${p.line}:${p.column}`;

/**
 * Codes no definition file can produce, with the reason. The test below checks that none of
 * them shows up in the corpus, and that the ones "not produced yet" really are produced nowhere,
 * so this list cannot quietly hide a code that needs a fixture.
 */
const notFromDefinitionFiles: Record<string, string> = {
  FILE_UNREADABLE: 'needs a file that cannot be read; the test "a path that does not exist" covers it',
  FILE_TOO_LARGE: 'needs a file over 1 MiB, too big to commit as a fixture; hostile-yaml.test.ts writes one and covers it',
  TOO_MANY_PROBLEMS: 'needs a file with over 500 problems; hostile-yaml.test.ts writes one and covers it',
  SCENARIO_UNKNOWN_NAME: 'a mistake in a scenario file (definitions/tests), not in a process definition; test/scenarios/aftercare-test.test.ts covers it',
  SCENARIO_INVALID: 'a mistake in a scenario file (definitions/tests); scenarios/load.ts checks it',
  CALENDAR_TIME_ZONE_UNKNOWN: 'a mistake in a business calendar file (definitions/calendars), not in a process definition',
  CALENDAR_INTERVAL_INVALID: 'a mistake in a business calendar file',
  CALENDAR_INTERVALS_OVERLAP: 'a mistake in a business calendar file',
  CALENDAR_DATE_INVALID: 'a mistake in a business calendar file',
  CALENDAR_DAY_CONFLICT: 'a mistake in a business calendar file',
  CALENDAR_DATE_OUTSIDE_KNOWN_YEARS: 'a mistake in a business calendar file',
  CALENDAR_NO_WORKING_TIME: 'a mistake in a business calendar file',
  CALENDAR_DUPLICATE: 'two business calendar files in conflict',
};
/** Codes reserved in problems.ts that no check produces yet: a fixture is due when one does. */
const notProducedYet: Record<string, string> = {
};

describe('the broken definitions corpus', () => {
  it('holds at least 40 cases, each expecting at least one problem', async () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const c of cases) {
      const expected = (await Promise.all(c.files.map(expectationsOf))).flat();
      expect(expected.length, `${c.name} has no "# expect:" lines`).toBeGreaterThan(0);
    }
  });

  for (const c of cases) {
    it(`reports exactly the expected problems for ${c.name}`, async () => {
      const expected: Expected[] = (await Promise.all(c.files.map(expectationsOf))).flat();
      const result = await loadDefinitions([c.target], corpusLoadOptions);
      expect(result.problems.map(key).sort()).toEqual(expected.map(key).sort());
      expect(result.definitions.filter((d) => expected.some((e) => e.file === d.file))).toEqual([]);
      for (const problem of result.problems) expectWellFormed(problem);
    });
  }

  it('reports a path that does not exist as FILE_UNREADABLE at 1:1', async () => {
    const missing = path.join(brokenDir, 'no-such-file.yaml');
    const result = await loadDefinitions([missing], corpusLoadOptions);
    expect(result.problems).toEqual([{ file: missing, line: 1, column: 1, path: '', code: 'FILE_UNREADABLE', message: `cannot read ${missing}: no such file` }]);
  });

  it('shows every problem code at least once, apart from the listed exceptions', async () => {
    const shown = new Set((await Promise.all(cases.flatMap((c) => c.files.map(expectationsOf)))).flat().map((e) => e.code));
    const excepted = { ...notFromDefinitionFiles, ...notProducedYet };
    const missing = Object.keys(problemCodes).filter((code) => !shown.has(code) && !(code in excepted));
    expect(missing, 'problem codes with no broken fixture').toEqual([]);
    for (const code of Object.keys(excepted)) {
      expect(code in problemCodes, `${code} is not a problem code`).toBe(true);
      expect(shown.has(code), `${code} is shown by a fixture: take it off the exceptions`).toBe(false);
    }
    for (const code of Object.keys(notProducedYet)) {
      const producers = await filesMentioning(`'${code}'`, ['model', 'dsl', 'workflows', 'activities', 'cli']);
      expect(producers, `${code} is produced now: add a broken fixture and take it off notProducedYet`).toEqual([]);
    }
  });
});

/** A problem a process owner can act on: located, coded, and a message naming the thing. */
function expectWellFormed(problem: Problem): void {
  expect(problem.line).toBeGreaterThanOrEqual(1);
  expect(problem.column).toBeGreaterThanOrEqual(1);
  expect(problem.path === '' || problem.path.startsWith('/')).toBe(true);
  expect(Object.keys(problemCodes)).toContain(problem.code);
  expect(problem.message.trim().length).toBeGreaterThan(10);
  expect(problem.message).not.toMatch(/undefined|\[object Object\]|NaN/);
  // Names the thing: every message quotes a name, a key or a value — except YAML syntax errors,
  // whose thing is the line itself (the location says which).
  if (problem.code !== 'YAML_SYNTAX') expect(problem.message, `${problem.code}: ${problem.message}`).toMatch(/`[^`]+`/);
}

async function filesMentioning(text: string, folders: string[]): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await visit(full);
      else if (entry.name.endsWith('.ts') && entry.name !== 'problems.ts' && (await fs.readFile(full, 'utf8')).includes(text)) found.push(path.relative(root, full));
    }
  };
  for (const folder of folders) await visit(path.join(root, folder));
  return found;
}
