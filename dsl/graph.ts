/**
 * A process as a diagram: Mermaid (rendered by GitHub and most editors) or Graphviz DOT.
 * Steps are shaped by kind, transitions labelled with outcomes and conditions, loops and
 * failure paths drawn as they are.
 */
import type { CompiledProcess, CompiledStep } from '../model/compiled-process.js';
import { kindOfCompiled } from './steps/index.js';
import type { GraphEdge } from './steps/types.js';

export type GraphFormat = 'mermaid' | 'dot';

/** Where a case went (`aftercare case graph`): drawn over the process in Mermaid. */
export interface CasePath {
  /** How many times each step was entered (the case state's `visits`). */
  visits: Readonly<Record<string, number>>;
  /** The steps the case is at now. */
  current: readonly string[];
  /** Moves from one step to the next, in the order they happened (from the timeline). */
  taken: readonly (readonly [string, string])[];
}

/** The Mermaid and DOT id of a step's node (coverage marks nodes by it). */
export function nodeId(stepId: string): string {
  return `s_${stepId.replace(/[^A-Za-z0-9]/g, '_')}`;
}

function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'));
}

function subtitle(step: CompiledStep): string | undefined {
  return kindOfCompiled(step).graph.subtitle(step);
}

/** The step's lines out: its kind's, then the bound on visits, which any kind may have. */
function edgesOf(step: CompiledStep): GraphEdge[] {
  const edges = [...kindOfCompiled(step).graph.edges(step)];
  if (step.visits) edges.push({ from: step.id, to: step.visits.then, label: `after ${step.visits.max} visits`, style: 'dotted' });
  return edges;
}

function branchesOf(step: CompiledStep): { name: string; start: string }[] | undefined {
  return kindOfCompiled(step).graph.branches?.(step);
}

function shortLabel(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function toMermaid(process: CompiledProcess, path?: CasePath): string {
  const lines = ['flowchart TD', `  start_(["${mermaidText(process.title)}"]) --> ${nodeId(process.start)}`];
  // Mermaid numbers links in the order they are written: the ones the case took, to draw them bold.
  let links = 1;
  const takenLinks: number[] = path ? [0] : [];
  const taken = new Set((path?.taken ?? []).map(([from, to]) => `${from}\n${to}`));
  const link = (line: string, from?: string, to?: string) => {
    if (from !== undefined && to !== undefined && taken.has(`${from}\n${to}`)) takenLinks.push(links);
    links++;
    lines.push(line);
  };
  const shape = (step: CompiledStep): string => {
    const sub = subtitle(step);
    const visits = path?.visits[step.id] ?? 0;
    const text = mermaidText(step.title) + (sub ? `<br/><small>${mermaidText(sub)}</small>` : '') + (visits > 0 ? `<br/><b>${visits === 1 ? 'visited once' : `visited ${visits} times`}</b>` : '');
    return kindOfCompiled(step).graph.mermaid(text);
  };
  const render = (scope: string, indent: string) => {
    for (const step of Object.values(process.steps).filter((s) => s.scope === scope)) {
      lines.push(`${indent}${nodeId(step.id)}${shape(step)}`);
      const branches = branchesOf(step);
      if (branches) {
        // Each branch is a subgraph from the step, its last steps meeting in a join.
        const join = `${nodeId(step.id)}_join`;
        for (const branch of branches) {
          lines.push(`${indent}subgraph ${nodeId(step.id)}_${branch.name.replace(/[^A-Za-z0-9]/g, '_')} ["${mermaidText(branch.name)}"]`);
          render(`${step.id}/${branch.name}`, `${indent}  `);
          lines.push(`${indent}end`);
          link(`${indent}${nodeId(step.id)} --> ${nodeId(branch.start)}`, step.id, branch.start);
          for (const last of Object.values(process.steps).filter((s) => s.scope === `${step.id}/${branch.name}` && endsBranch(s))) {
            link(`${indent}${nodeId(last.id)} --> ${join}`);
          }
        }
        lines.push(`${indent}${join}[\\"all done"/]`);
      }
    }
  };
  render('', '  ');
  for (const step of Object.values(process.steps)) {
    for (const edge of edgesOf(step)) {
      // A step with branches goes on from its join; its dotted lines (visits) leave the step itself.
      const from = branchesOf(step) && !edge.style ? `${nodeId(step.id)}_join` : nodeId(edge.from);
      const arrow = edge.style === 'dotted' ? '-.->' : '-->';
      link(`  ${from} ${arrow}${edge.label ? `|"${mermaidText(shortLabel(edge.label))}"|` : ''} ${nodeId(edge.to)}`, edge.from, edge.to);
    }
  }
  lines.push('  classDef task fill:#e8f1ff,stroke:#3b6fb6', '  classDef action fill:#f4f4f4,stroke:#777', '  classDef finish fill:#e9f7ec,stroke:#2e8540');
  const byClass = (cls: string) => Object.values(process.steps).filter((s) => kindOfCompiled(s).graph.mermaidClass === cls).map((s) => nodeId(s.id));
  for (const cls of ['task', 'action', 'finish'] as const) {
    const ids = byClass(cls);
    if (ids.length > 0) lines.push(`  class ${ids.join(',')} ${cls}`);
  }
  if (path) {
    const visited = Object.keys(process.steps).filter((id) => (path.visits[id] ?? 0) > 0 && !path.current.includes(id));
    const current = path.current.filter((id) => id in process.steps);
    lines.push('  classDef visited fill:#fff4d6,stroke:#c27c0e,stroke-width:2px', '  classDef current fill:#ffd34d,stroke:#b3261e,stroke-width:4px');
    if (visited.length > 0) lines.push(`  class ${visited.map(nodeId).join(',')} visited`);
    if (current.length > 0) lines.push(`  class ${current.map(nodeId).join(',')} current`);
    lines.push(`  linkStyle ${[...new Set(takenLinks)].join(',')} stroke:#c27c0e,stroke-width:3px`);
  }
  return `${lines.join('\n')}\n`;
}

function endsBranch(step: CompiledStep): boolean {
  return kindOfCompiled(step).graph.endsBranch(step);
}

function dotText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function toDot(process: CompiledProcess): string {
  const lines = [`digraph "${dotText(process.process)}" {`, '  rankdir=TB;', '  node [fontname="Helvetica"];', `  start_ [shape=circle, label="start"];`, `  start_ -> ${nodeId(process.start)};`];
  for (const step of Object.values(process.steps)) {
    const sub = subtitle(step);
    lines.push(`  ${nodeId(step.id)} [shape=${kindOfCompiled(step).graph.dot}, label="${dotText(step.title)}${sub ? `\\n${dotText(sub)}` : ''}"];`);
    for (const branch of branchesOf(step) ?? []) lines.push(`  ${nodeId(step.id)} -> ${nodeId(branch.start)} [label="${dotText(branch.name)}"];`);
    for (const edge of edgesOf(step)) {
      const attrs = [edge.label ? `label="${dotText(shortLabel(edge.label))}"` : '', edge.style === 'dotted' ? 'style=dotted' : ''].filter(Boolean).join(', ');
      lines.push(`  ${nodeId(edge.from)} -> ${nodeId(edge.to)}${attrs ? ` [${attrs}]` : ''};`);
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** The diagram of a compiled process; with a case's `path` (Mermaid only), where that case went and is. */
export function renderGraph(process: CompiledProcess, format: GraphFormat = 'mermaid', path?: CasePath): string {
  return format === 'dot' ? toDot(process) : toMermaid(process, path);
}
