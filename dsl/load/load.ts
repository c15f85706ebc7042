/**
 * The loader: one place that reads definition files and returns either compiled processes or
 * every problem at once, each located at a line and column. Parse (yaml, with positions) →
 * schema (ajv) → meaning checks → compile.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { checkAuthorSchema } from './author-schemas.js';
import { checkDefinition, endOutcomes, type CheckContext, type KnownActivities } from '../check.js';
import { compileProcess } from '../compile.js';
import { isObject } from '../document.js';
import { canonicalJson } from '../json.js';
import type { ProcessDefinition } from '../../model/generated/process-definition.js';
import type { CompiledProcess } from '../../model/compiled-process.js';
import { capProblemsPerFile, type Problem, type UnlocatedProblem } from '../problems.js';
import { withSuggestionBudget } from '../names.js';
import { checkSchema } from './schema-check.js';
import { publishedFileName, readPublished } from './published.js';
import { findYamlFiles, readYamlFile } from './yaml-files.js';
import { readYaml, type YamlSource } from './yaml-source.js';

export { canonicalJson };

export interface LoadedDefinition {
  file: string;
  /** The definition as written (plain data): what a case carries and the workflow re-checks. */
  definition: ProcessDefinition;
  compiled: CompiledProcess;
  /** SHA-256 of the definition's canonical JSON: the same content always has the same hash. */
  hash: string;
}

export interface LoadResult {
  definitions: LoadedDefinition[];
  problems: Problem[];
  /** The files that were read. */
  files: string[];
}

export interface LoadOptions {
  /**
   * The activities the worker registers: unknown names are errors. Pass the catalog
   * (`activityCatalog`) rather than bare names so that `with:` keys are checked against each
   * activity's input schema too.
   */
  activities?: KnownActivities;
  /** Calendar names available to processes. */
  calendars?: ReadonlySet<string>;
  /** Definitions that subprocess steps may name, beyond the files loaded (for checking one file). */
  context?: readonly { process: string; outcomes: readonly string[] }[];
}

export function hashDefinition(definition: unknown): string {
  return createHash('sha256').update(canonicalJson(definition)).digest('hex');
}

/** The definition files under `paths` (files as given; folders searched for .yaml/.yml, `calendars/` and `tests/` (scenarios) folders excluded). */
export function findDefinitionFiles(paths: readonly string[]): Promise<string[]> {
  return findYamlFiles(paths, (folder) => folder === 'calendars' || folder === 'tests');
}

interface ParsedFile {
  file: string;
  source: YamlSource | undefined;
  problems: Problem[];
}

function locateAll(file: string, source: YamlSource, problems: UnlocatedProblem[]): Problem[] {
  return problems.map((p) => {
    const { line, column } = source.locate(p.path, p.at ?? 'value', p.offset);
    return { file, line, column, path: p.path, code: p.code, message: p.message };
  });
}

async function parseFile(file: string): Promise<ParsedFile> {
  const read = await readYamlFile(file);
  if ('problem' in read) return { file, source: undefined, problems: [read.problem] };
  const text = read.text;
  const source = readYaml(text);
  const problems: Problem[] = source.syntaxProblems.map((p) => ({ file, line: p.line, column: p.column, path: p.path, code: p.code, message: p.message }));
  if (problems.length === 0 && !isObject(source.data)) {
    problems.push({
      file,
      line: 1,
      column: 1,
      path: '',
      code: 'YAML_NOT_A_MAPPING',
      message: `the file holds ${source.data === null || source.data === undefined ? 'nothing' : Array.isArray(source.data) ? 'a list' : 'a single value'}; a definition is a mapping starting with \`process:\`, \`version:\`, \`title:\``,
    });
  }
  return { file, source, problems };
}

function byPosition(a: Problem, b: Problem): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
}

/**
 * Loads definition files (and folders of them). Never throws for a user's mistake: every
 * problem of every file comes back located; only files without problems are compiled.
 */
export async function loadDefinitions(paths: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const files = await findDefinitionFiles(paths);
  const parsed = await Promise.all(files.map(parseFile));

  const processes = new Map<string, { outcomes: readonly string[] }>();
  for (const known of options.context ?? []) processes.set(known.process, { outcomes: known.outcomes });
  for (const { source } of parsed) {
    const data = source?.data;
    if (isObject(data) && typeof data.process === 'string') {
      const outcomes = new Set([...(processes.get(data.process)?.outcomes ?? []), ...endOutcomes(data)]);
      processes.set(data.process, { outcomes: [...outcomes] });
    }
  }
  const context: CheckContext = {
    processes,
    checkJsonSchema: checkAuthorSchema,
    ...(options.activities ? { activities: options.activities } : {}),
    ...(options.calendars ? { calendars: options.calendars } : {}),
  };

  const problems: Problem[] = [];
  const definitions: LoadedDefinition[] = [];
  for (const { file, source, problems: early } of parsed) {
    problems.push(...early);
    if (!source || early.length > 0) continue;
    // One suggestion budget per file: thousands of broken names must not make checking slow.
    const found = locateAll(file, source, withSuggestionBudget(() => [...checkSchema(source.data), ...checkDefinition(source.data, context)]));
    problems.push(...found);
    if (found.length > 0) continue;
    const definition = source.data as ProcessDefinition;
    try {
      definitions.push({ file, definition, compiled: compileProcess(definition), hash: hashDefinition(definition) });
    } catch (error) {
      problems.push({ file, line: 1, column: 1, path: '', code: 'SCHEMA_INVALID', message: `the definition could not be compiled: ${(error as Error).message}` });
    }
  }
  const between = [...crossFileProblems(definitions, parsed), ...(await publishedProblems(paths, definitions, parsed, problems))];
  problems.push(...between);
  // A file in conflict with another, or in a circle of subprocesses, is not usable either.
  const troubled = new Set(between.map((p) => p.file));
  return { definitions: definitions.filter((d) => !troubled.has(d.file)), problems: capProblemsPerFile(dedupe(problems).sort(byPosition)), files };
}

/**
 * Definitions whose version was published (published.json of a folder given) with another
 * content. A broken published.json is reported into `problems` as it is found.
 */
async function publishedProblems(paths: readonly string[], definitions: LoadedDefinition[], parsed: ParsedFile[], problems: Problem[]): Promise<Problem[]> {
  const found: Problem[] = [];
  for (const folder of paths) {
    const stat = await fs.stat(folder).catch(() => undefined);
    if (!stat?.isDirectory()) continue;
    const { found: file, problem } = await readPublished(folder);
    if (problem) problems.push(problem);
    if (!file) continue;
    for (const loaded of definitions) {
      const hash = file.published[loaded.compiled.process]?.[String(loaded.compiled.version)];
      if (hash === undefined || hash === loaded.hash) continue;
      const where = parsed.find((p) => p.file === loaded.file)?.source?.locate('/version') ?? { line: 1, column: 1 };
      found.push({
        file: loaded.file,
        ...where,
        path: '/version',
        code: 'VERSION_CHANGED',
        message: `process \`${loaded.compiled.process}\` version ${loaded.compiled.version} was published with other content (hash ${hash.slice(0, 12)}…, see ${publishedFileName}); cases running it keep that content, so this change needs a new version: raise \`version\` to ${Math.max(loaded.compiled.version, ...Object.keys(file.published[loaded.compiled.process] ?? {}).map(Number)) + 1}`,
      });
    }
  }
  return found;
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}|${p.line}|${p.column}|${p.code}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Problems between files: one version defined twice differently; processes opening each other in a circle. */
function crossFileProblems(definitions: LoadedDefinition[], parsed: ParsedFile[]): Problem[] {
  const problems: Problem[] = [];
  const sourceOf = (file: string) => parsed.find((p) => p.file === file)?.source;
  const byVersion = new Map<string, LoadedDefinition>();
  for (const loaded of definitions) {
    const key = `${loaded.compiled.process}@${loaded.compiled.version}`;
    const other = byVersion.get(key);
    if (other && other.hash !== loaded.hash) {
      const where = sourceOf(loaded.file)?.locate('/version') ?? { line: 1, column: 1 };
      problems.push({
        file: loaded.file,
        ...where,
        path: '/version',
        code: 'VERSION_CONFLICT',
        message: `process \`${loaded.compiled.process}\` version ${loaded.compiled.version} is also defined, differently, in ${other.file}; raise the version of the newer file`,
      });
    } else if (!other) byVersion.set(key, loaded);
  }

  const calls = new Map<string, Set<string>>();
  for (const loaded of definitions) {
    const children = calls.get(loaded.compiled.process) ?? new Set<string>();
    for (const step of Object.values(loaded.compiled.steps)) if (step.kind === 'subprocess') children.add(step.process);
    calls.set(loaded.compiled.process, children);
  }
  for (const loaded of definitions) {
    const start = loaded.compiled.process;
    const pathTo = (from: string, seen: string[]): string[] | undefined => {
      for (const child of calls.get(from) ?? []) {
        if (child === start) return [...seen, child];
        if (!seen.includes(child)) {
          const found = pathTo(child, [...seen, child]);
          if (found) return found;
        }
      }
      return undefined;
    };
    const cycle = pathTo(start, [start]);
    if (!cycle) continue;
    const step = Object.values(loaded.compiled.steps).find((s) => s.kind === 'subprocess' && s.process === cycle[1]);
    const pointerPath = step ? stepPointer(loaded.definition, step.id) : '';
    const where = sourceOf(loaded.file)?.locate(`${pointerPath}/subprocess`) ?? { line: 1, column: 1 };
    problems.push({
      file: loaded.file,
      ...where,
      path: `${pointerPath}/subprocess`,
      code: 'SUBPROCESS_CYCLE',
      message: `${step ? `step \`${step.id}\` opens process \`${cycle[1]}\`, and ` : ''}processes open each other in a circle (${cycle.map((name) => `\`${name}\``).join(' → ')}); a case would never finish: break the circle`,
    });
  }
  return problems;
}

function stepPointer(definition: ProcessDefinition, id: string): string {
  const search = (steps: Record<string, unknown>, base: string): string | undefined => {
    for (const [stepId, step] of Object.entries(steps)) {
      const here = `${base}/steps/${stepId}`;
      if (stepId === id) return here;
      const parallel = isObject(step) ? step.parallel : undefined;
      if (isObject(parallel)) {
        for (const [branch, body] of Object.entries(parallel)) {
          const found = isObject(body) && isObject(body.steps) ? search(body.steps, `${here}/parallel/${branch}`) : undefined;
          if (found) return found;
        }
      }
    }
    return undefined;
  };
  return search(definition.steps as Record<string, unknown>, '') ?? '';
}
