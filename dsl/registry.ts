/**
 * The validated definitions of a folder, by process and version: what the client opens new
 * cases with (the highest version of a process) and pins to them.
 */
import { activityCatalog } from '../activities/catalog.js';
import type { PinnedDefinition } from '../workflows/messages.js';
import { loadDefinitions, type LoadedDefinition, type LoadOptions } from './load.js';
import { formatProblem, type Problem } from './problems.js';

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

export class DefinitionRegistry {
  private readonly byProcess = new Map<string, LoadedDefinition[]>();

  constructor(definitions: readonly LoadedDefinition[]) {
    for (const loaded of definitions) {
      const versions = this.byProcess.get(loaded.compiled.process) ?? [];
      if (!versions.some((v) => v.compiled.version === loaded.compiled.version)) versions.push(loaded);
      versions.sort((a, b) => b.compiled.version - a.compiled.version);
      this.byProcess.set(loaded.compiled.process, versions);
    }
  }

  /** Loads and validates `paths`; throws `DefinitionsInvalidError` listing every problem. */
  static async load(paths: readonly string[], options: LoadOptions = {}): Promise<DefinitionRegistry> {
    const result = await loadDefinitions(paths, { activities: activityCatalog, ...options });
    if (result.problems.length > 0) throw new DefinitionsInvalidError(result.problems);
    return new DefinitionRegistry(result.definitions);
  }

  processes(): string[] {
    return [...this.byProcess.keys()].sort();
  }

  /** The highest version of `process` (what new cases get), or a specific version. */
  get(process: string, version?: number): LoadedDefinition {
    const versions = this.byProcess.get(process);
    const found = version === undefined ? versions?.[0] : versions?.find((v) => v.compiled.version === version);
    if (!found) throw new UnknownProcessError(version === undefined ? process : `${process}@${version}`, this.processes());
    return found;
  }

  has(process: string): boolean {
    return this.byProcess.has(process);
  }

  /**
   * The definition a new case of `process` runs, and the definitions of every process it may
   * open as a subprocess (transitively), all pinned together at opening.
   */
  pin(process: string): { pinned: PinnedDefinition; subprocesses: Record<string, PinnedDefinition>; loaded: LoadedDefinition } {
    const loaded = this.get(process);
    const subprocesses: Record<string, PinnedDefinition> = {};
    const queue = [loaded];
    while (queue.length > 0) {
      const current = queue.shift() as LoadedDefinition;
      for (const step of Object.values(current.compiled.steps)) {
        if (step.kind !== 'subprocess' || subprocesses[step.process]) continue;
        const child = this.get(step.process);
        subprocesses[step.process] = { definition: child.definition, hash: child.hash };
        queue.push(child);
      }
    }
    return { pinned: { definition: loaded.definition, hash: loaded.hash }, subprocesses, loaded };
  }
}
