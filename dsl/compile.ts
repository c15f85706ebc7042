/**
 * Compiles a checked definition into the form the interpreter runs: steps flattened with
 * their scope, transitions normalised, durations read, defaults filled in. Pure and
 * deterministic: the workflow compiles the definition its case carries.
 */
import type * as Source from '../model/generated/process-definition.js';
import { compileDuration as duration, type DurationSpec } from './durations.js';
import { endOutcomes } from './check.js';
import { kindOfStep } from './steps/index.js';
import type { CompiledProcess, CompiledRole, CompiledSla, CompiledStep, SlaEscalation, SlaThreshold, SlaTrigger } from '../model/compiled-process.js';

export { defaultActionTimeoutMs, defaultRetry } from './steps/action.js';

function compileRoles(roles: Source.ProcessDefinition['roles']): Record<string, CompiledRole> {
  const result: Record<string, CompiledRole> = {};
  for (const name of Object.keys(roles)) {
    const actsFor = new Set<string>([name]);
    const queue = [...(roles[name]?.['acts-for'] ?? [])];
    while (queue.length > 0) {
      const other = queue.shift() as string;
      if (actsFor.has(other)) continue;
      actsFor.add(other);
      queue.push(...(roles[other]?.['acts-for'] ?? []));
    }
    result[name] = { title: roles[name]?.title ?? name, actsFor: [...actsFor].sort() };
  }
  return result;
}

/** Every step, each by its kind's module; branch steps land before the step that holds them. */
function compileSteps(steps: Source.Steps, scope: string, out: Record<string, CompiledStep>): void {
  for (const [id, step] of Object.entries(steps)) {
    const base = {
      id,
      title: step.title,
      ...(step.description !== undefined ? { description: step.description } : {}),
      scope,
      ...('visits' in step && step.visits ? { visits: { max: step.visits.max, then: step.visits.then } } : {}),
    };
    const kind = kindOfStep(step as unknown as Record<string, unknown>);
    if (!kind) throw new Error(`cannot compile step \`${id}\`: it has no kind, or several`);
    out[id] = kind.compile(step, { base, compileBranch: (branch, branchScope) => compileSteps(branch, branchScope, out) });
  }
}

function trigger(source: Source.Sla['start']): SlaTrigger {
  if (source === undefined || source === 'case-opened') return { kind: 'case-opened' };
  if (source.enter !== undefined) return { kind: 'enter', step: source.enter };
  const outcomes = source.outcome === undefined ? undefined : Array.isArray(source.outcome) ? [...source.outcome] : [source.outcome];
  return { kind: 'leave', step: source.leave ?? '', ...(outcomes ? { outcomes } : {}) };
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? [...value] : [value];
}

function threshold(rung: Source.SlaEscalation): { threshold: SlaThreshold; label: string } {
  if (rung.at === 'breach') return { threshold: { kind: 'breach' }, label: 'breach' };
  if (rung.at !== undefined) return { threshold: { kind: 'percent', percent: Number(rung.at.replace('%', '')) }, label: rung.at };
  if (rung.before !== undefined) return { threshold: { kind: 'before', spec: duration(rung.before) as DurationSpec }, label: `${rung.before} before breach` };
  return { threshold: { kind: 'after', spec: duration(rung.after) as DurationSpec }, label: `${rung.after ?? '?'} after breach` };
}

function compileSla(id: string, sla: Source.Sla): CompiledSla {
  const targets: Record<string, DurationSpec> = {};
  let targetBy: string | undefined;
  let otherwise: DurationSpec | undefined;
  if (typeof sla.target === 'string') otherwise = duration(sla.target);
  else {
    const { by, ...rows } = sla.target;
    targetBy = by;
    for (const [value, text] of Object.entries(rows)) {
      if (value === 'otherwise') otherwise = duration(text);
      else targets[value] = duration(text) as DurationSpec;
    }
  }
  const stops = sla.stop === undefined ? [] : Array.isArray(sla.stop) ? sla.stop : [sla.stop];
  const escalations: SlaEscalation[] = (sla.escalations ?? []).map((rung) => ({
    ...threshold(rung),
    notify: list(rung.notify),
    ...(rung.message !== undefined ? { message: rung.message } : {}),
    withinWorkingHours: rung['within-working-hours'] ?? false,
    ...(rung['raise-priority'] !== undefined ? { raisePriority: rung['raise-priority'] } : {}),
    ...(rung['reassign-to'] !== undefined ? { reassignTo: rung['reassign-to'] } : {}),
    ...(rung.task
      ? { task: { role: rung.task.role, title: rung.task.title, ...(rung.task.instructions ? { instructions: rung.task.instructions } : {}), outcomes: rung.task.outcomes ? [...rung.task.outcomes] : ['done'] } }
      : {}),
    ...(rung.subprocess !== undefined ? { subprocess: { process: rung.subprocess, ...(rung.with !== undefined ? { with: rung.with } : {}) } } : {}),
  }));
  return {
    id,
    title: sla.title,
    ...(sla.calendar !== undefined ? { calendar: sla.calendar } : {}),
    ...(targetBy !== undefined ? { targetBy } : {}),
    targets,
    ...(otherwise ? { otherwise } : {}),
    start: trigger(sla.start),
    stop: stops.map((s) => trigger(s)),
    ...(sla.pause ? { pause: { whileIn: [...(sla.pause['while-in'] ?? [])], ...(sla.pause.while ? { while: sla.pause.while } : {}), ...(sla.pause.reason ? { reason: sla.pause.reason } : {}) } } : {}),
    reopen: sla.reopen ?? 'new-cycle',
    escalations,
  };
}

/** Compiles a definition that passed the schema and the meaning checks. */
export function compileProcess(definition: Source.ProcessDefinition): CompiledProcess {
  const steps: Record<string, CompiledStep> = {};
  compileSteps(definition.steps, '', steps);
  const params: Record<string, unknown> = {};
  for (const [name, parameter] of Object.entries(definition.parameters ?? {})) params[name] = parameter.default;
  return {
    process: definition.process,
    version: definition.version,
    title: definition.title,
    ...(definition.description !== undefined ? { description: definition.description } : {}),
    ...(definition.calendar !== undefined ? { calendar: definition.calendar } : {}),
    calendarUpdates: definition['calendar-updates'] ?? 'keep',
    roles: compileRoles(definition.roles),
    // Only when declared: a definition without it compiles exactly as before the key existed
    // (test/fixtures/compiled/ pins that form for cases already running).
    ...(definition['may-cancel'] !== undefined ? { mayCancel: [...definition['may-cancel']] } : {}),
    ...(definition.input !== undefined ? { input: definition.input } : {}),
    params,
    presentation: { ...(definition.case ?? {}) },
    start: definition.start ?? Object.keys(definition.steps)[0] ?? '',
    steps,
    outcomes: endOutcomes(definition),
    slas: Object.entries(definition.slas ?? {}).map(([id, sla]) => compileSla(id, sla)),
  };
}
