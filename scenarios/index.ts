/**
 * `aftercare test`: finds scenario files, checks them (schema, then the names they use against
 * the definition each runs), runs their scenarios in parallel on time-skipping servers, and
 * reports per scenario, with what no scenario reached (`--coverage`).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readYaml } from '../dsl/load/yaml-source.js';
import { calendarFolders, DefinitionRegistry, DefinitionsInvalidError } from '../dsl/load/registry.js';
import { loadCalendars } from '../dsl/load/calendar-load.js';
import { findDefinitionFiles, loadDefinitions } from '../dsl/load/load.js';
import type { Problem } from '../dsl/problems.js';
import { activityCatalog } from '../model/activity-catalog/index.js';
import { ensureTestServer } from '../worker/dev/temporal-binaries.js';
import { bundleWorkflows } from '../worker/worker.js';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { checkScenarioNames, findScenarioFiles, locateScenarioProblems, readScenarioFile, scenariosOf } from './load.js';
import type { Scenario } from './model.js';
import { runScenario, type ScenarioResult } from './run.js';
import { scratchDir, startRecordsServer } from './server.js';

export { coverageDiagram, coverageOf, percent, type ProcessCoverage } from './coverage.js';
export type { ScenarioResult } from './run.js';

export interface RunOptions {
  definitionsDir: string;
  toolsDir: string;
  /** With the real activities against an embedded PostgreSQL; `records:` expectations are checked. */
  records?: boolean;
  /** Scenarios run at once (default: the machine's cores, at most 4). */
  parallel?: number;
  /** Only the scenarios whose name contains this text. */
  filter?: string;
  log?: (message: string) => void;
  /** Told of each scenario as it finishes. */
  onResult?: (result: ScenarioResult) => void;
}

export interface RunReport {
  files: string[];
  problems: Problem[];
  results: ScenarioResult[];
  /** The registry of the published definitions (coverage is measured on it). */
  registry?: DefinitionRegistry;
  ms: number;
}

/**
 * `paths`: scenario files, folders of them, or process names (their scenarios in
 * `<definitions>/tests`). None: every scenario file in `<definitions>/tests`.
 */
export async function selectScenarioFiles(paths: readonly string[], definitionsDir: string): Promise<{ files: string[]; processes: Set<string> }> {
  const testsDir = path.join(definitionsDir, 'tests');
  const processes = new Set<string>();
  const given: string[] = [];
  for (const p of paths) {
    const exists = await fs.stat(p).catch(() => undefined);
    if (!exists && /^[a-z][a-z0-9-]*$/.test(p)) processes.add(p);
    else given.push(p);
  }
  const files = await findScenarioFiles(given.length > 0 ? given : [testsDir]);
  return { files, processes };
}

/** The published definitions with `draft` in place of the file(s) defining the same process. */
async function draftRegistry(definitionsDir: string, draft: string): Promise<DefinitionRegistry> {
  const text = await fs.readFile(draft, 'utf8');
  const data = readYaml(text).data as { process?: unknown } | undefined;
  const processOf = async (file: string) => (readYaml(await fs.readFile(file, 'utf8')).data as { process?: unknown } | undefined)?.process;
  const others: string[] = [];
  for (const file of await findDefinitionFiles([definitionsDir])) {
    if (path.resolve(file) !== path.resolve(draft) && (await processOf(file)) !== data?.process) others.push(file);
  }
  const calendars = await loadCalendars(await calendarFolders([definitionsDir]));
  const result = await loadDefinitions([...others, draft], { activities: activityCatalog, calendars: calendars.names });
  const problems = [...calendars.problems, ...result.problems];
  if (problems.length > 0) {
    throw new DefinitionsInvalidError(problems);
  }
  return new DefinitionRegistry(result.definitions, calendars.calendars);
}

/** Runs `items` with at most `limit` at once, in order of start. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}

let runtimeInstalled = false;

export async function runScenarioFiles(paths: readonly string[], options: RunOptions): Promise<RunReport> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const { files, processes } = await selectScenarioFiles(paths, options.definitionsDir);
  const problems: Problem[] = [];
  const scenarios: { scenario: Scenario; registry: DefinitionRegistry }[] = [];

  let published: DefinitionRegistry;
  try {
    published = await DefinitionRegistry.load([options.definitionsDir]);
  } catch (error) {
    const listed = (error as { problems?: Problem[] }).problems;
    if (listed) return { files, problems: listed, results: [], ms: Date.now() - started };
    throw error;
  }
  const drafts = new Map<string, Promise<DefinitionRegistry>>();
  for (const file of files) {
    const loaded = await readScenarioFile(file);
    problems.push(...loaded.problems);
    if (loaded.problems.length > 0) continue;
    for (const scenario of scenariosOf(loaded)) {
      if (processes.size > 0 && !processes.has(scenario.process)) continue;
      if (options.filter && !scenario.spec.name.includes(options.filter)) continue;
      let registry = published;
      if (scenario.draft) {
        const draft = scenario.draft;
        if (!drafts.has(draft)) drafts.set(draft, draftRegistry(options.definitionsDir, draft));
        try {
          registry = await (drafts.get(draft) as Promise<DefinitionRegistry>);
        } catch (error) {
          const listed = (error as { problems?: Problem[] }).problems;
          if (!listed) throw error;
          problems.push(...listed.filter((p) => !problems.includes(p)));
          continue;
        }
      }
      if (!registry.has(scenario.process)) {
        problems.push(
          ...locateScenarioProblems(loaded, [{ path: '/process', code: 'SCENARIO_UNKNOWN_NAME', message: `there is no process \`${scenario.process}\`; known: ${registry.processes().join(', ')}` }]),
        );
        break;
      }
      const found = locateScenarioProblems(loaded, checkScenarioNames(scenario, registry.get(scenario.process).compiled));
      problems.push(...found);
      if (found.length === 0) scenarios.push({ scenario, registry });
    }
  }
  const unique = [...new Map(problems.map((p) => [`${p.file}:${p.line}:${p.column}:${p.code}:${p.message}`, p])).values()];
  if (scenarios.length === 0) return { files, problems: unique, results: [], registry: published, ms: Date.now() - started };

  // The worker's own log lines (state changes, the test server's version) are not the owner's business.
  if (!runtimeInstalled) {
    runtimeInstalled = true;
    try {
      Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } } });
    } catch {
      // Installed already (a test process installs its own): keep it.
    }
  }
  const scratch = await scratchDir();
  const [testServer, bundle] = await Promise.all([ensureTestServer(options.toolsDir, log), bundleWorkflows()]);
  const records = options.records ? await startRecordsServer(scratch) : undefined;
  try {
    const parallel = options.parallel ?? Math.min(4, os.availableParallelism());
    const results = await pool(scenarios, parallel, async ({ scenario, registry }) => {
      const result = await runScenario(scenario, { bundle, testServer: testServer.path, scratch, registry, ...(records ? { records } : {}) });
      options.onResult?.(result);
      return result;
    });
    return { files, problems: unique, results, registry: published, ms: Date.now() - started };
  } finally {
    await records?.stop();
    await fs.rm(scratch, { recursive: true, force: true });
  }
}
