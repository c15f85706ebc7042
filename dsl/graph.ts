/**
 * A process as a diagram: Mermaid (rendered by GitHub and most editors) or Graphviz DOT.
 * Steps are shaped by kind, transitions labelled with outcomes and conditions, loops and
 * failure paths drawn as they are.
 */
import { describeDuration } from './durations.js';
import type { CompiledProcess, CompiledStep, Transitions } from '../model/compiled-process.js';

export type GraphFormat = 'mermaid' | 'dot';

interface Edge {
  from: string;
  to: string;
  label?: string;
  style?: 'dotted';
}

function nodeId(stepId: string): string {
  return `s_${stepId.replace(/[^A-Za-z0-9]/g, '_')}`;
}

function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'));
}

function subtitle(step: CompiledStep): string | undefined {
  switch (step.kind) {
    case 'action':
      return `action: ${step.activity}`;
    case 'task':
      return `${step.role}${step.due ? ` · due ${describeDuration(step.due)}` : ''}`;
    case 'wait':
      return step.for ? `wait ${describeDuration(step.for)}` : `until ${step.until ?? ''}`;
    case 'subprocess':
      return `opens ${step.process}`;
    case 'end':
      return `outcome: ${step.outcome}`;
    default:
      return undefined;
  }
}

function transitionEdges(from: string, transitions: Transitions): Edge[] {
  const edges: Edge[] = [];
  const byTarget = new Map<string, string[]>();
  for (const [outcome, target] of Object.entries(transitions.byOutcome)) byTarget.set(target, [...(byTarget.get(target) ?? []), outcome]);
  for (const [target, outcomes] of byTarget) edges.push({ from, to: target, label: outcomes.join(' / ') });
  if (transitions.otherwise) {
    const routed = Object.keys(transitions.byOutcome).length > 0;
    edges.push({ from, to: transitions.otherwise, ...(routed ? { label: 'otherwise' } : {}) });
  }
  return edges;
}

function edgesOf(step: CompiledStep): Edge[] {
  const edges: Edge[] = [];
  const plain = (to: string | undefined) => to !== undefined && edges.push({ from: step.id, to });
  switch (step.kind) {
    case 'action':
      plain(step.next);
      if ('goTo' in step.onFailure) edges.push({ from: step.id, to: step.onFailure.goTo, label: 'on failure', style: 'dotted' });
      break;
    case 'task':
    case 'subprocess':
      edges.push(...transitionEdges(step.id, step.next));
      break;
    case 'decision':
      for (const condition of step.conditions) edges.push({ from: step.id, to: condition.then, label: condition.when });
      edges.push({ from: step.id, to: step.otherwise, label: 'otherwise' });
      break;
    case 'wait':
    case 'parallel':
      plain(step.next);
      break;
    case 'end':
      break;
  }
  if (step.visits) edges.push({ from: step.id, to: step.visits.then, label: `after ${step.visits.max} visits`, style: 'dotted' });
  return edges;
}

function shortLabel(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function toMermaid(process: CompiledProcess): string {
  const lines = ['flowchart TD', `  start_(["${mermaidText(process.title)}"]) --> ${nodeId(process.start)}`];
  const shape = (step: CompiledStep): string => {
    const sub = subtitle(step);
    const text = mermaidText(step.title) + (sub ? `<br/><small>${mermaidText(sub)}</small>` : '');
    switch (step.kind) {
      case 'action':
        return `["${text}"]`;
      case 'task':
        return `("${text}")`;
      case 'decision':
        return `{"${text}"}`;
      case 'wait':
        return `{{"${text}"}}`;
      case 'subprocess':
        return `[["${text}"]]`;
      case 'parallel':
        return `[/"${text}"\\]`;
      case 'end':
        return `(["${text}"])`;
    }
  };
  const render = (scope: string, indent: string) => {
    for (const step of Object.values(process.steps).filter((s) => s.scope === scope)) {
      lines.push(`${indent}${nodeId(step.id)}${shape(step)}`);
      if (step.kind === 'parallel') {
        const join = `${nodeId(step.id)}_join`;
        for (const branch of step.branches) {
          lines.push(`${indent}subgraph ${nodeId(step.id)}_${branch.name.replace(/[^A-Za-z0-9]/g, '_')} ["${mermaidText(branch.name)}"]`);
          render(`${step.id}/${branch.name}`, `${indent}  `);
          lines.push(`${indent}end`);
          lines.push(`${indent}${nodeId(step.id)} --> ${nodeId(branch.start)}`);
          for (const last of Object.values(process.steps).filter((s) => s.scope === `${step.id}/${branch.name}` && endsBranch(s))) {
            lines.push(`${indent}${nodeId(last.id)} --> ${join}`);
          }
        }
        lines.push(`${indent}${join}[\\"all done"/]`);
      }
    }
  };
  render('', '  ');
  for (const step of Object.values(process.steps)) {
    for (const edge of edgesOf(step)) {
      const from = step.kind === 'parallel' && !edge.style ? `${nodeId(step.id)}_join` : nodeId(edge.from);
      const arrow = edge.style === 'dotted' ? '-.->' : '-->';
      lines.push(`  ${from} ${arrow}${edge.label ? `|"${mermaidText(shortLabel(edge.label))}"|` : ''} ${nodeId(edge.to)}`);
    }
  }
  lines.push('  classDef task fill:#e8f1ff,stroke:#3b6fb6', '  classDef action fill:#f4f4f4,stroke:#777', '  classDef finish fill:#e9f7ec,stroke:#2e8540');
  const byKind = (kind: string) => Object.values(process.steps).filter((s) => s.kind === kind).map((s) => nodeId(s.id));
  for (const [kind, cls] of [['task', 'task'], ['action', 'action'], ['end', 'finish']] as const) {
    const ids = byKind(kind);
    if (ids.length > 0) lines.push(`  class ${ids.join(',')} ${cls}`);
  }
  return `${lines.join('\n')}\n`;
}

function endsBranch(step: CompiledStep): boolean {
  switch (step.kind) {
    case 'action':
    case 'wait':
    case 'parallel':
      return step.next === undefined;
    case 'task':
      return step.next.otherwise === undefined && step.outcomes.some((o) => !(o in step.next.byOutcome));
    case 'subprocess':
      return step.next.otherwise === undefined;
    default:
      return false;
  }
}

function dotText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function toDot(process: CompiledProcess): string {
  const shapes: Record<CompiledStep['kind'], string> = {
    action: 'box',
    task: 'box, style="rounded,filled", fillcolor="#e8f1ff"',
    decision: 'diamond',
    wait: 'hexagon',
    parallel: 'trapezium',
    subprocess: 'box, peripheries=2',
    end: 'oval, style=filled, fillcolor="#e9f7ec"',
  };
  const lines = [`digraph "${dotText(process.process)}" {`, '  rankdir=TB;', '  node [fontname="Helvetica"];', `  start_ [shape=circle, label="start"];`, `  start_ -> ${nodeId(process.start)};`];
  for (const step of Object.values(process.steps)) {
    const sub = subtitle(step);
    lines.push(`  ${nodeId(step.id)} [shape=${shapes[step.kind]}, label="${dotText(step.title)}${sub ? `\\n${dotText(sub)}` : ''}"];`);
    if (step.kind === 'parallel') {
      for (const branch of step.branches) lines.push(`  ${nodeId(step.id)} -> ${nodeId(branch.start)} [label="${dotText(branch.name)}"];`);
    }
    for (const edge of edgesOf(step)) {
      const attrs = [edge.label ? `label="${dotText(shortLabel(edge.label))}"` : '', edge.style === 'dotted' ? 'style=dotted' : ''].filter(Boolean).join(', ');
      lines.push(`  ${nodeId(edge.from)} -> ${nodeId(edge.to)}${attrs ? ` [${attrs}]` : ''};`);
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** The diagram of a compiled process. */
export function renderGraph(process: CompiledProcess, format: GraphFormat = 'mermaid'): string {
  return format === 'dot' ? toDot(process) : toMermaid(process);
}
