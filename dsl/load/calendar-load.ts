/**
 * The calendar loader: reads calendar files (`definitions/calendars/*.yaml`) and returns either
 * compiled calendars or every problem at once, located at a line and column, in the same shape
 * as the process loader (dsl/load/load.ts). Parse (yaml, with positions) → schema (ajv) → meaning
 * checks → compile → hash.
 */
import { isObject } from '../document.js';
import { hashDefinition } from './load.js';
import { capProblemsPerFile, type Problem, type UnlocatedProblem } from '../problems.js';
import { withSuggestionBudget } from '../names.js';
import { findYamlFiles, readYamlFile } from './yaml-files.js';
import { readYaml, type YamlSource } from './yaml-source.js';
import { checkCalendar } from '../calendar/check.js';
import { compileCalendar, type CalendarFile } from '../calendar/compile.js';
import type { CompiledCalendar } from '../../model/compiled-calendar.js';
import { checkCalendarSchema } from './calendar-schema-check.js';

export interface LoadedCalendar {
  file: string;
  /** The file as written. */
  source: CalendarFile;
  /** What a case pins and the workflow computes with. */
  compiled: CompiledCalendar;
}

export interface CalendarLoadResult {
  calendars: LoadedCalendar[];
  problems: Problem[];
  files: string[];
  /**
   * Every calendar name a file declares, including files with problems, so that a process
   * naming a broken calendar is not also told the calendar does not exist.
   */
  names: Set<string>;
}

/** The calendar files under `paths`: files as given, folders searched for .yaml/.yml (recursively). */
export function findCalendarFiles(paths: readonly string[]): Promise<string[]> {
  return findYamlFiles(paths);
}

function locateAll(file: string, source: YamlSource, problems: UnlocatedProblem[]): Problem[] {
  return problems.map((p) => ({ file, ...source.locate(p.path, p.at ?? 'value', p.offset), path: p.path, code: p.code, message: p.message }));
}

async function loadFile(file: string): Promise<{ source?: YamlSource; problems: Problem[] }> {
  const read = await readYamlFile(file, 'a calendar');
  if ('problem' in read) return { problems: [read.problem] };
  const text = read.text;
  const source = readYaml(text);
  const problems: Problem[] = source.syntaxProblems.map((p) => ({ file, line: p.line, column: p.column, path: p.path, code: p.code, message: p.message }));
  if (problems.length === 0 && !isObject(source.data)) {
    problems.push({ file, line: 1, column: 1, path: '', code: 'YAML_NOT_A_MAPPING', message: 'a calendar file is a mapping starting with `calendar:`, `version:`, `title:`, `time-zone:` and `week:`' });
  }
  if (problems.length > 0) return { source, problems };
  if (isObject(source.data) && 'process' in source.data) {
    // A process definition dropped into calendars/: one clear problem instead of a dozen unknown keys.
    return {
      source,
      problems: [{ file, ...source.locate('/process', 'key'), path: '', code: 'SCHEMA_REQUIRED', message: 'this is a process definition (it has `process:`), not a calendar: move it out of the calendars folder, into the definitions folder' }],
    };
  }
  return { source, problems: locateAll(file, source, withSuggestionBudget(() => [...checkCalendarSchema(source.data), ...checkCalendar(source.data)])) };
}

/** The compiled calendar with its content hash (SHA-256 of its canonical JSON). */
export function sealCalendar(compiled: Omit<CompiledCalendar, 'hash'>): CompiledCalendar {
  return { ...compiled, hash: hashDefinition(compiled) };
}

/**
 * Loads calendar files (and folders of them). Never throws for a user's mistake: every problem
 * of every file comes back located; only files without problems are compiled.
 */
export async function loadCalendars(paths: readonly string[]): Promise<CalendarLoadResult> {
  const files = await findCalendarFiles(paths);
  const problems: Problem[] = [];
  const calendars: LoadedCalendar[] = [];
  const names = new Set<string>();
  const sources = new Map<string, YamlSource>();
  for (const file of files) {
    const { source, problems: found } = await loadFile(file);
    if (source && isObject(source.data) && typeof source.data.calendar === 'string' && !('process' in source.data)) names.add(source.data.calendar);
    if (source) sources.set(file, source);
    problems.push(...found);
    if (!source || found.length > 0) continue;
    const data = source.data as CalendarFile;
    calendars.push({ file, source: data, compiled: sealCalendar(compileCalendar(data)) });
  }

  // One calendar version defined twice with different content: which one would a case get?
  const byVersion = new Map<string, LoadedCalendar>();
  for (const loaded of calendars) {
    const key = `${loaded.compiled.calendar}@${loaded.compiled.version}`;
    const other = byVersion.get(key);
    if (!other) byVersion.set(key, loaded);
    else if (other.compiled.hash !== loaded.compiled.hash) {
      problems.push({
        file: loaded.file,
        ...(sources.get(loaded.file)?.locate('/version') ?? { line: 1, column: 1 }),
        path: '/version',
        code: 'CALENDAR_DUPLICATE',
        message: `calendar \`${loaded.compiled.calendar}\` version ${loaded.compiled.version} is also defined, differently, in ${other.file}; raise the version of the newer file`,
      });
    }
  }
  const broken = new Set(problems.map((p) => p.file));
  return {
    calendars: calendars.filter((c) => !broken.has(c.file)),
    problems: capProblemsPerFile(problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code))),
    files,
    names,
  };
}
