/**
 * A priority written over case data (`case.priority: "${outcomes['classify'] == ...}"`) follows
 * the data as steps complete, unless an SLA escalation has raised it.
 */
import type { CompiledProcess } from '../../model/compiled-process.js';
import type { CaseState } from '../case-state.js';

/** The case's priority now, or undefined when it stays as it is. */
export function followedPriority(state: CaseState, process: CompiledProcess, evaluate: (template: string) => unknown): string | undefined {
  const template = process.presentation.priority;
  if (!template || state.priorityRaised) return undefined;
  let priority: string;
  try {
    priority = String(evaluate(template));
  } catch {
    return undefined;
  }
  return priority !== '' && priority !== state.priority ? priority : undefined;
}
