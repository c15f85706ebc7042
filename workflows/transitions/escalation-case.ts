/** The case an SLA rung opens (`subprocess:` on a rung): started beside this case, which does not wait for it. */
import { ApplicationFailure } from '@temporalio/common';
import { compiledProcess } from '../definition-cache.js';
import type { Effect } from '../case-effects.js';
import { caseStart } from '../case-start.js';
import type { CaseState } from '../case-state.js';
import type { CaseArgs } from '../messages.js';
import type { Entry } from './entry.js';

export function escalationCase(args: CaseArgs, state: CaseState, process: string, input: unknown, caseId: string, because: string, now: number): { entry: Entry; effect: Effect } {
  const pinned = args.subprocesses?.[process];
  if (!pinned) throw ApplicationFailure.nonRetryable(`${because} opens process \`${process}\`, which was not pinned with this case`, 'StepFailed');
  const start = caseStart({
    process: compiledProcess(pinned.definition),
    pinned,
    caseId,
    input,
    ...(args.subprocesses ? { subprocesses: args.subprocesses } : {}),
    ...(args.calendars ? { calendars: args.calendars } : {}),
    ...(state.owner ? { owner: state.owner } : {}),
    parent: { caseId: state.caseId, stepId: 'sla' },
    ...(state.actorKeys ? { actorKeys: state.actorKeys } : {}),
    now,
  });
  return {
    entry: { type: 'subprocess-opened', detail: `${process} case ${caseId}: ${because}` },
    effect: { kind: 'child', process, workflowId: caseId, args: start.args, summary: start.staticSummary, searchAttributes: start.searchAttributes, memo: start.memo },
  };
}
