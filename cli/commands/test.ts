import path from 'node:path';
import { formatProblem } from '../../dsl/problems.js';
import { coverageDiagram, coverageOf, percent, runScenarioFiles, type ProcessCoverage, type ScenarioResult } from '../../scenarios/index.js';
import { readConfig } from '../../worker/config.js';
import { parse, printJson, UsageError, type Command } from '../io.js';

const help = `aftercare test [files|folders|processes...] [--coverage] [--diagram] [--records] [--json]

Runs the scenario files (definitions/tests/*.test.yaml; docs/testing.md says how to write them)
on Temporal's time-skipping test server: the real workflow code, the pinned definitions and
calendars, days of waiting in milliseconds. Activities are stubbed unless --records is given.
Name files or folders, or processes (their scenarios in definitions/tests); default: all.
Prints each scenario as it finishes, and for a failure the expectation, what happened instead
and the line in the file. Exit status: 0 when every scenario passed, 1 otherwise.
  --coverage       list per process the steps, outcomes and SLA rungs no scenario reaches
  --diagram        with --coverage: print each process's Mermaid diagram with those steps marked
  --records        run the real activities against an embedded PostgreSQL; check \`records:\`
  --parallel N     scenarios at once (default: the machine's cores, at most 4)
  --filter TEXT    only the scenarios whose name contains TEXT
  --json           print {"problems":[...],"results":[...],"coverage":[...]} for CI`;

const relative = (file: string) => path.relative(process.cwd(), file) || file;

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function printResult(result: ScenarioResult): void {
  const where = `${relative(result.file)}:${result.line}`;
  const draft = result.draft ? ` [draft ${relative(result.draft)}]` : '';
  if (result.passed) {
    console.log(`✓ ${result.process}: ${result.name}${draft}  (${(result.ms / 1000).toFixed(1)} s)`);
    return;
  }
  const failure = result.failure;
  console.log(`✗ ${result.process}: ${result.name}${draft}  ${where}`);
  if (!failure) return;
  console.log(`    at ${relative(result.file)}:${failure.line}  ${failure.step}${failure.message ? `: ${failure.message}` : ''}`);
  for (const m of failure.mismatches) {
    console.log(`    ${relative(result.file)}:${m.line}  expect ${m.expectation}`);
    console.log(`      expected: ${show(m.expected)}`);
    console.log(`      actual:   ${show(m.actual)}`);
  }
}

function printCoverage(coverage: ProcessCoverage): void {
  console.log(
    `${coverage.process} v${coverage.version} (${coverage.scenarios} scenario${coverage.scenarios === 1 ? '' : 's'}): steps ${percent(coverage.steps)}, outcomes ${percent(coverage.outcomes)}, task outcomes ${percent(coverage.taskOutcomes)}, SLA rungs ${percent(coverage.rungs)}`,
  );
  const lines: [string, string[]][] = [
    ['steps not reached', coverage.steps.missed],
    ['outcomes not reached', coverage.outcomes.missed],
    ['task outcomes not chosen', coverage.taskOutcomes.missed],
    ['SLA rungs not reached', coverage.rungs.missed],
  ];
  for (const [what, missed] of lines) if (missed.length > 0) console.log(`  ${what}: ${missed.join(', ')}`);
}

export const testCommand: Command = async (argv) => {
  const { values, positionals } = parse(
    argv,
    { coverage: { type: 'boolean' }, diagram: { type: 'boolean' }, records: { type: 'boolean' }, json: { type: 'boolean' }, parallel: { type: 'string' }, filter: { type: 'string' } },
    help,
  );
  const parallel = values.parallel === undefined ? undefined : Number(values.parallel);
  if (parallel !== undefined && (!Number.isInteger(parallel) || parallel < 1)) throw new UsageError(`--parallel ${values.parallel}: give a whole number of 1 or more`);
  const config = readConfig();
  const report = await runScenarioFiles(positionals, {
    definitionsDir: config.definitionsDir,
    toolsDir: config.toolsDir,
    ...(values.records ? { records: true } : {}),
    ...(parallel ? { parallel } : {}),
    ...(values.filter ? { filter: values.filter } : {}),
    log: (message) => console.error(message),
    ...(values.json ? {} : { onResult: printResult }),
  });
  const problems = report.problems.map((p) => ({ ...p, file: relative(p.file) }));
  const coverage = values.coverage && report.registry ? coverageOf(report.registry, report.results) : [];
  const failed = report.results.filter((r) => !r.passed).length;
  if (values.json) {
    printJson({
      problems,
      results: report.results.map((r) => ({ ...r, file: relative(r.file), ...(r.draft ? { draft: relative(r.draft) } : {}) })),
      ...(values.coverage ? { coverage } : {}),
      ms: report.ms,
    });
    return problems.length > 0 || failed > 0 || report.results.length === 0 ? 1 : 0;
  }
  for (const problem of problems) console.log(formatProblem(problem));
  if (values.coverage && report.registry) {
    console.log('\nCoverage:');
    for (const c of coverage) {
      printCoverage(c);
      if (values.diagram) console.log(`\n\`\`\`mermaid\n${coverageDiagram(report.registry, c)}\`\`\`\n`);
    }
  }
  const passed = report.results.length - failed;
  const seconds = (report.ms / 1000).toFixed(1);
  if (report.results.length === 0 && problems.length === 0) {
    console.log(`no scenarios found in ${report.files.length > 0 ? report.files.map(relative).join(', ') : relative(path.join(config.definitionsDir, 'tests'))}`);
    return 1;
  }
  console.log(
    `\n${passed} passed, ${failed} failed${problems.length > 0 ? `, ${problems.length} problem${problems.length === 1 ? '' : 's'} in the files` : ''} (${report.results.length} scenario${report.results.length === 1 ? '' : 's'} in ${seconds} s)`,
  );
  return problems.length > 0 || failed > 0 ? 1 : 0;
};
