/**
 * The validated definitions of a folder, by process and version: what the client opens new
 * cases with (the highest version of a process) and pins to them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { activityCatalog } from '../../model/activity-catalog/index.js';
import type { CalendarData, PinnedDefinition } from '../../model/pinned.js';
import { loadCalendars, type LoadedCalendar } from './calendar-load.js';
import { loadDefinitions, type LoadedDefinition, type LoadOptions } from './load.js';
import { formatProblem, type Problem } from '../problems.js';

/** Thrown when definitions do not pass validation; carries every problem. */
export class DefinitionsInvalidError extends Error {
  override readonly name = 'DefinitionsInvalidError';
  constructor(readonly problems: Problem[]) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the definitions:\n${problems.map(formatProblem).join('\n')}`);
  }
}

export class UnknownProcessError extends Error {
  override readonly name = 'UnknownProcessError';
  constructor(
    readonly process: string,
    readonly known: string[],
  ) {
    super(`there is no process \`${process}\`; known processes: ${known.join(', ') || 'none'}`);
  }
}

export class UnknownCalendarError extends Error {
  override readonly name = 'UnknownCalendarError';
  constructor(
    readonly calendar: string,
    readonly known: string[],
  ) {
    super(`there is no calendar \`${calendar}\`; known calendars: ${known.join(', ') || 'none'}`);
  }
}

/** The `calendars/` folders of the definition folders among `paths` (calendars live inside the definitions folder). */
export async function calendarFolders(paths: readonly string[]): Promise<string[]> {
  const folders: string[] = [];
  for (const p of paths) {
    const candidate = path.basename(p) === 'calendars' ? p : path.join(p, 'calendars');
    const stat = await fs.stat(candidate).catch(() => undefined);
    if (stat?.isDirectory()) folders.push(candidate);
  }
  return [...new Set(folders)];
}

/** Loaded things by name, every version kept, highest first: processes and calendars alike. */
class Versions<T> {
  private readonly byName = new Map<string, T[]>();

  constructor(
    items: readonly T[],
    private readonly nameOf: (item: T) => string,
    private readonly versionOf: (item: T) => number,
  ) {
    for (const item of items) {
      const versions = this.byName.get(nameOf(item)) ?? [];
      if (!versions.some((v) => versionOf(v) === versionOf(item))) versions.push(item);
      versions.sort((x, y) => versionOf(y) - versionOf(x));
      this.byName.set(nameOf(item), versions);
    }
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  all(name: string): readonly T[] {
    return this.byName.get(name) ?? [];
  }

  /** The highest version of `name`, or a specific one; undefined when there is none. */
  find(name: string, version?: number): T | undefined {
    const versions = this.all(name);
    return version === undefined ? versions[0] : versions.find((v) => this.versionOf(v) === version);
  }
}

export class DefinitionRegistry {
  private readonly processVersions: Versions<LoadedDefinition>;
  private readonly calendarVersions: Versions<LoadedCalendar>;

  constructor(definitions: readonly LoadedDefinition[], calendars: readonly LoadedCalendar[] = []) {
    this.processVersions = new Versions(definitions, (d) => d.compiled.process, (d) => d.compiled.version);
    this.calendarVersions = new Versions(calendars, (c) => c.compiled.calendar, (c) => c.compiled.version);
  }

  /**
   * Loads and validates `paths` and the business calendars in their `calendars/` folders;
   * throws `DefinitionsInvalidError` listing every problem of both.
   */
  static async load(paths: readonly string[], options: LoadOptions = {}): Promise<DefinitionRegistry> {
    const calendars = await loadCalendars(await calendarFolders(paths));
    const result = await loadDefinitions(paths, { activities: activityCatalog, calendars: calendars.names, ...options });
    const problems = [...calendars.problems, ...result.problems];
    if (problems.length > 0) throw new DefinitionsInvalidError(problems);
    return new DefinitionRegistry(result.definitions, calendars.calendars);
  }

  calendars(): string[] {
    return this.calendarVersions.names();
  }

  /** The highest version of a calendar (what new cases pin), or a specific version. */
  calendar(name: string, version?: number): LoadedCalendar {
    const found = this.calendarVersions.find(name, version);
    if (!found) throw new UnknownCalendarError(version === undefined ? name : `${name}@${version}`, this.calendars());
    return found;
  }

  processes(): string[] {
    return this.processVersions.names();
  }

  /** The highest version of `process` (what new cases get), or a specific version. */
  get(process: string, version?: number): LoadedDefinition {
    const found = this.processVersions.find(process, version);
    if (!found) throw new UnknownProcessError(version === undefined ? process : `${process}@${version}`, this.processes());
    return found;
  }

  has(process: string): boolean {
    return this.processVersions.all(process).length > 0;
  }

  /** Every loaded version of `process`, highest first. */
  versions(process: string): readonly LoadedDefinition[] {
    return this.processVersions.all(process);
  }

  /**
   * The definition a new case of `process` runs, the definitions of every process it may open
   * as a subprocess (by a step or an SLA escalation, transitively), and the business calendars
   * all of them count working time with (the process's, its SLA clocks'), each at its highest
   * version: all pinned together at opening, so a case keeps them whatever is edited later.
   */
  pin(process: string): { pinned: PinnedDefinition; subprocesses: Record<string, PinnedDefinition>; calendars: Record<string, CalendarData>; loaded: LoadedDefinition } {
    const loaded = this.get(process);
    const subprocesses: Record<string, PinnedDefinition> = {};
    const calendarNames = new Set<string>();
    const queue = [loaded];
    while (queue.length > 0) {
      const current = queue.shift() as LoadedDefinition;
      const { compiled } = current;
      if (compiled.calendar) calendarNames.add(compiled.calendar);
      for (const sla of compiled.slas) if (sla.calendar) calendarNames.add(sla.calendar);
      const children = [
        ...Object.values(compiled.steps).flatMap((step) => (step.kind === 'subprocess' ? [step.process] : [])),
        ...compiled.slas.flatMap((sla) => sla.escalations.flatMap((rung) => (rung.subprocess ? [rung.subprocess.process] : []))),
      ];
      for (const name of children) {
        if (subprocesses[name]) continue;
        const child = this.get(name);
        subprocesses[name] = { definition: child.definition, hash: child.hash };
        queue.push(child);
      }
    }
    const calendars: Record<string, CalendarData> = {};
    for (const name of [...calendarNames].sort()) calendars[name] = this.calendar(name).compiled;
    return { pinned: { definition: loaded.definition, hash: loaded.hash }, subprocesses, calendars, loaded };
  }
}
