/**
 * What no scenario reaches, per process: the steps never entered, the end outcomes never
 * closed with, the task outcomes never chosen and the SLA rungs never fired, over the results
 * of scenarios run against the published definitions (a draft's scenarios do not count).
 */
import { nodeId, renderGraph } from '../dsl/graph.js';
import type { DefinitionRegistry } from '../dsl/load/registry.js';
import type { ScenarioResult } from './run.js';

export interface CoverageList {
  total: number;
  missed: string[];
}

export interface ProcessCoverage {
  process: string;
  version: number;
  scenarios: number;
  steps: CoverageList;
  outcomes: CoverageList;
  taskOutcomes: CoverageList;
  rungs: CoverageList;
}

const list = (all: readonly string[], reached: ReadonlySet<string>): CoverageList => ({ total: all.length, missed: all.filter((x) => !reached.has(x)) });

/** Coverage of every process a result ran (or of `processes`, when given). */
export function coverageOf(registry: DefinitionRegistry, results: readonly ScenarioResult[], processes?: readonly string[]): ProcessCoverage[] {
  const names = processes ?? [...new Set(results.map((r) => r.process))].sort();
  return names.map((name) => {
    const compiled = registry.get(name).compiled;
    const mine = results.filter((r) => r.process === name && r.version === compiled.version && !r.draft);
    const reached = (pick: (r: ScenarioResult) => string[]) => new Set(mine.flatMap(pick));
    const taskOutcomes = Object.values(compiled.steps).flatMap((s) => (s.kind === 'task' ? s.outcomes.map((o) => `${s.id}: ${o}`) : []));
    const rungs = compiled.slas.flatMap((sla) => sla.escalations.map((rung) => `${sla.id}: ${rung.label}`));
    return {
      process: name,
      version: compiled.version,
      scenarios: mine.length,
      steps: list(
        Object.keys(compiled.steps),
        reached((r) => r.reached.steps),
      ),
      outcomes: list(
        compiled.outcomes,
        reached((r) => r.reached.outcomes),
      ),
      taskOutcomes: list(
        taskOutcomes,
        reached((r) => r.reached.taskOutcomes),
      ),
      rungs: list(
        rungs,
        reached((r) => r.reached.rungs),
      ),
    };
  });
}

/** The process's Mermaid diagram with the steps no scenario reaches drawn in red, dashed. */
export function coverageDiagram(registry: DefinitionRegistry, coverage: ProcessCoverage): string {
  const diagram = renderGraph(registry.get(coverage.process).compiled, 'mermaid');
  if (coverage.steps.missed.length === 0) return diagram;
  return `${diagram}  classDef unreached stroke:#c62828,stroke-width:3px,stroke-dasharray:6 3,color:#c62828\n  class ${coverage.steps.missed.map(nodeId).join(',')} unreached\n`;
}

export function percent({ total, missed }: CoverageList): string {
  return total === 0 ? '100 %' : `${Math.floor(((total - missed.length) / total) * 1000) / 10} %`;
}
