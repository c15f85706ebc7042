/** The state a case opens with: nothing done yet, the root position at the start step, every SLA clock idle. */
import type { CompiledProcess } from '../../model/compiled-process.js';
import type { CaseState } from '../case-state.js';
import type { CaseArgs } from '../messages.js';
import { presentCase } from '../presentation.js';
import { newClock } from '../sla-clock.js';
import { iso } from './entry.js';

/** The id of the root position (parallel branches get their own). */
export const ROOT = 'root';

export function openingState(args: CaseArgs, process: CompiledProcess, now: number): CaseState {
  const presentation = presentCase(process, args.caseId, args.input, now);
  return {
    caseId: args.caseId,
    process: process.process,
    version: process.version,
    hash: args.pinned.hash,
    title: process.title,
    summary: presentation.summary,
    status: 'open',
    ...(args.owner ? { owner: args.owner } : {}),
    ...(presentation.priority ? { priority: presentation.priority } : {}),
    ...(presentation.customer ? { customer: presentation.customer } : {}),
    openedAt: iso(now),
    parameters: process.params,
    input: args.input,
    data: {},
    outcomes: {},
    visits: {},
    tokens: { [ROOT]: { id: ROOT, stepId: process.start, done: false } },
    tasks: {},
    taskCounts: {},
    timeline: [],
    timelineDropped: 0,
    ...(args.parent ? { parent: args.parent } : {}),
    ...(args.actorKeys ? { actorKeys: args.actorKeys } : {}),
    slas: Object.fromEntries(process.slas.map((sla) => [sla.id, newClock(sla)])),
    run: 1,
  };
}
