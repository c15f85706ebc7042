/**
 * `aftercare test` as a process owner types it: a broken scenario file is reported at its line,
 * a wrong expectation fails with what was expected and what happened, and a shipped scenario
 * across the National Day holiday asserts the due instants on the make-up working day.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { fakeTimeLibrary } from '../../scenarios/server.js';
import { runAftercare } from '../helpers/cli.js';

// Scenarios that open their case in the past need libfaketime (`.ci/run` installs it); without
// it those tests are skipped, with a message, as the browser checks are without Chromium.
const fakeTime = await fakeTimeLibrary();
if (!fakeTime) console.warn('[aftercare test] no libfaketime (apt-get install faketime): the scenario runs that open a case in the past are skipped');
const itInThePast = it.skipIf(!fakeTime);

const scratch = () => fs.mkdtemp(path.join(inject('scratchDir'), 'scenarios-'));

const question = `process: passed-on-question
scenarios:
  - name: The department is asked first
    at: 2026-03-09T10:00+08:00
    input:
      customer: { id: M-20931, name: Wang Li, phone: "138-0013-8000" }
      question: Can the dryer be stacked?
    steps:
      - expect:
          tasks: [{ step: answer, role: department, due: 2026-03-10T10:00+08:00 }]
      - complete: answer
        outcome: answered
        data: { reply: "Yes." }
      - expect:
          current: [answer]
`;

describe('aftercare test', () => {
  it("reports a broken scenario file at its line and column, with the definitions' codes, and runs nothing", async () => {
    const dir = await scratch();
    const file = path.join(dir, 'broken.test.yaml');
    await fs.writeFile(
      file,
      question.replace('        outcome: answered\n', '        outcom: answered\n').replace('      - expect:\n          current: [answer]\n', '      - expect:\n          current: [anwser]\n'),
    );
    const ran = await runAftercare(['test', file]);
    expect(ran.code, ran.stderr).toBe(1);
    const lines = ran.stdout.split('\n');
    // `outcom:` is on line 12, under the step that completes `answer` (line 11).
    expect(lines).toContainEqual(expect.stringMatching(/broken\.test\.yaml:12:9 {2}SCHEMA_UNKNOWN_KEY {2}`scenarios\[1\]\.steps\[2\]` has an unknown key `outcom`.*`outcome`/));
    expect(ran.stdout).not.toMatch(/✓|✗/);

    // Once the shape is right, the names are checked against the definition: `anwser` on line 15.
    await fs.writeFile(file, question.replace('      - expect:\n          current: [answer]\n', '      - expect:\n          current: [anwser]\n'));
    const named = await runAftercare(['test', file]);
    expect(named.code).toBe(1);
    expect(named.stdout).toMatch(/broken\.test\.yaml:15:21 {2}SCENARIO_UNKNOWN_NAME {2}`anwser` is not a step of passed-on-question v2.*`answer`/);

    // A wait that is neither a duration nor `until <instant>`, and an `at:` that is no instant: SCENARIO_INVALID at each.
    await fs.writeFile(file, question.replace('at: 2026-03-09T10:00+08:00', 'at: the ninth of March').replace('      - expect:\n          current: [answer]\n', '      - wait: a while\n'));
    const invalid = await runAftercare(['test', file]);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toMatch(/broken\.test\.yaml:4:9 {2}SCENARIO_INVALID {2}`the ninth of March` is not an instant/);
    expect(invalid.stdout).toMatch(/broken\.test\.yaml:14:15 {2}SCENARIO_INVALID {2}`a while` is neither a duration nor `until <instant>`/);
    expect(invalid.stdout).not.toMatch(/✓|✗/);

    // A YAML mistake, located like the definitions' (the same reader): the second `name:`, line 4.
    await fs.writeFile(file, 'process: passed-on-question\nscenarios:\n  - name: One\n    name: Two\n');
    const syntax = await runAftercare(['test', file]);
    expect(syntax.code).toBe(1);
    expect(syntax.stdout).toMatch(/broken\.test\.yaml:4:5 {2}YAML_DUPLICATE_KEY {2}the key `name` appears twice/);
  });

  itInThePast('fails a wrong expectation with what was expected, what happened and the line; --json says the same', async () => {
    const dir = await scratch();
    const file = path.join(dir, 'wrong.test.yaml');
    await fs.writeFile(file, question);
    const ran = await runAftercare(['test', file]);
    expect(ran.code, ran.stderr).toBe(1);
    expect(ran.stdout).toContain('✗ passed-on-question: The department is asked first');
    // The due instant held (the first expect); the second expect is wrong: after the reply the
    // case waits for follow-up questions.
    expect(ran.stdout).toMatch(/wrong\.test\.yaml:15 {2}expect current\n {6}expected: \["answer"\]\n {6}actual: {3}\["wait-for-follow-up"\]/);
    expect(ran.stdout).toMatch(/0 passed, 1 failed/);

    const json = await runAftercare(['test', file, '--json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { results: { passed: boolean; failure: { mismatches: { expectation: string; line: number; expected: unknown; actual: unknown }[] } }[] };
    expect(report.results[0]?.passed).toBe(false);
    expect(report.results[0]?.failure.mismatches).toEqual([{ expectation: 'current', pointer: '/scenarios/0/steps/2/expect/current', line: 15, expected: ['answer'], actual: ['wait-for-follow-up'] }]);
  });

  itInThePast('runs the shipped National Day scenario: due on Friday 9 October and on the make-up Saturday 10 October', async () => {
    const ran = await runAftercare(['test', 'complaint', '--filter', 'National Day']);
    expect(ran.stdout + ran.stderr).toContain('✓ complaint: Across National Day, the follow-up is due on the make-up Saturday');
    expect(ran.code).toBe(0);
    // The scenario asserts what it says: its due instants are in the shipped file.
    const written = await fs.readFile(path.join('definitions', 'tests', 'complaint.test.yaml'), 'utf8');
    expect(written).toContain('due: 2026-10-09T18:00+08:00');
    expect(written).toContain('due: 2026-10-10T18:00+08:00');
  });

  itInThePast('runs a scenario against a draft definition next to the published one', async () => {
    const dir = await scratch();
    const published = await fs.readFile(path.join('definitions', 'passed-on-question.yaml'), 'utf8');
    // The draft gives the department 48 hours instead of 24.
    await fs.writeFile(path.join(dir, 'passed-on-question.draft.yaml'), published.replace('version: 2', 'version: 3').replace('      due: 24h', '      due: 48h'));
    const file = path.join(dir, 'draft.test.yaml');
    await fs.writeFile(file, question.replace('scenarios:', 'definition: passed-on-question.draft.yaml\nscenarios:').replace('current: [answer]', 'current: [wait-for-follow-up]'));
    const onDraft = await runAftercare(['test', file]);
    expect(onDraft.code).toBe(1);
    expect(onDraft.stdout).toContain('[draft ');
    expect(onDraft.stdout).toMatch(/expect tasks\n {6}expected: .*"due":"2026-03-10T10:00\+08:00".*\n {6}actual: {3}.*"due":"2026-03-11T02:00:\d\d\.\d{3}Z"/);
  });
});
