/**
 * What a rung of an SLA escalation ladder does, as data: the notifications to queue, the
 * priority to raise, the role to hand open tasks to, the task or the escalation case to open —
 * in the order the definition's rung lists them. Pure: the case's SLA clocks (case-slas.ts)
 * carry the actions out.
 */
import type { StepContext } from '../../model/activity-catalog/index.js';
import type { CompiledSla, SlaEscalation } from '../../model/compiled-process.js';
import type { CaseState } from '../case-state.js';
import type { ClockCalendar, SlaClockState } from '../sla-clock.js';
import { iso } from './entry.js';
import type { TaskSpec } from './tasks.js';

export type RungAction =
  | { kind: 'notify'; role: string; context: StepContext; input: Record<string, unknown>; summary: string }
  | { kind: 'raise-priority'; priority: string; because: string }
  | { kind: 'reassign'; role: string; because: string }
  | { kind: 'open-task'; task: TaskSpec }
  /** `with` is filled in when the case is opened, after the rung's earlier actions (a raised priority) took effect. */
  | { kind: 'open-case'; process: string; with: unknown; caseId: string; because: string };

/** The activity context of an SLA's side effect: one key per clock cycle and purpose, so a retry or replay does it once. */
export function slaStepContext(state: CaseState, spec: CompiledSla, clock: SlaClockState, what: string): StepContext {
  return {
    caseId: state.caseId,
    process: state.process,
    version: state.version,
    stepId: `sla:${spec.id}`,
    visit: clock.cycle,
    idempotencyKey: `${state.caseId}:sla:${spec.id}:${clock.cycle}:${what}`,
  };
}

export function rungActions(
  state: CaseState,
  spec: CompiledSla,
  clock: SlaClockState,
  rung: SlaEscalation,
  index: number,
  now: number,
  calendar: ClockCalendar | undefined,
  evaluate: (template: string) => unknown,
): RungAction[] {
  const because = `SLA ${spec.id} (${spec.title}) ${rung.label}`;
  const actions: RungAction[] = [];
  for (const role of rung.notify) {
    let message = `${spec.title}: ${rung.label === 'breach' ? 'the time limit was missed' : `${rung.label}`} for case ${state.caseId} (${state.summary ?? state.title}); target ${clock.target}${clock.deadline ? `, due ${clock.deadline}` : ''}.`;
    if (rung.message) {
      try {
        message = String(evaluate(rung.message));
      } catch {
        // keep the default text: a message must not stop the escalation
      }
    }
    const notBefore = rung.withinWorkingHours && calendar ? calendar.nextWorkingInstant(now) : undefined;
    actions.push({
      kind: 'notify',
      role,
      context: slaStepContext(state, spec, clock, `notify-${index}-${role}`),
      input: {
        recipient: { role },
        channel: 'internal',
        subject: `${spec.title}: ${rung.label} · case ${state.caseId}`,
        body: message,
        ...(notBefore !== undefined ? { notBefore: iso(notBefore) } : {}),
      },
      summary: `Notify ${role}: ${because}`,
    });
  }
  if (rung.raisePriority) actions.push({ kind: 'raise-priority', priority: rung.raisePriority, because });
  if (rung.reassignTo) actions.push({ kind: 'reassign', role: rung.reassignTo, because });
  if (rung.task) {
    actions.push({
      kind: 'open-task',
      task: { stepId: `sla:${spec.id}`, title: rung.task.title, role: rung.task.role, ...(rung.task.instructions ? { instructions: rung.task.instructions } : {}), outcomes: rung.task.outcomes },
    });
  }
  if (rung.subprocess) {
    actions.push({ kind: 'open-case', process: rung.subprocess.process, with: rung.subprocess.with, caseId: `${state.caseId}.${spec.id}.${clock.cycle}.${index + 1}`, because });
  }
  return actions;
}
