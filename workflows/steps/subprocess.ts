/** A subprocess step: a child case of another pinned process; its outcome routes this case. */
import { ApplicationFailure, ChildWorkflowFailure, executeChild, isCancellation } from '@temporalio/workflow';
import type { SubprocessStep } from '../../model/compiled-process.js';
import { compiledProcess } from '../definition-cache.js';
import { evaluateMapping } from '../../dsl/expressions.js';
import { caseStart } from '../case-start.js';
import type { CaseArgs, CaseResult } from '../messages.js';
import { route } from '../transitions/flow.js';
import { stepFailure } from '../transitions/step-failure.js';
import type { StepRunner } from './runtime.js';

export const runSubprocess: StepRunner<SubprocessStep> = async (step, token, _resume, runtime) => {
  const { args, state } = runtime;
  const pinned = args.subprocesses?.[step.process];
  if (!pinned) throw ApplicationFailure.nonRetryable(`step \`${step.id}\` opens process \`${step.process}\`, which was not pinned with this case`, 'StepFailed');
  const visit = state.visits[step.id] ?? 1;
  const childId = `${state.caseId}.${step.id}${visit > 1 ? `.${visit}` : ''}`;
  let input: unknown;
  try {
    input = evaluateMapping(step.with ?? {}, runtime.expressionContext());
  } catch (error) {
    throw stepFailure(step, 'its `with` could not be computed', error);
  }
  const start = caseStart({
    process: compiledProcess(pinned.definition),
    pinned,
    caseId: childId,
    input,
    ...(args.subprocesses ? { subprocesses: args.subprocesses } : {}),
    ...(args.calendars ? { calendars: args.calendars } : {}),
    ...(state.owner ? { owner: state.owner } : {}),
    parent: { caseId: state.caseId, stepId: step.id },
    ...(args.options ? { options: args.options } : {}),
    ...(state.actorKeys ? { actorKeys: state.actorKeys } : {}),
    now: Date.now(),
  });
  token.wait = { kind: 'subprocess', caseId: childId };
  runtime.record({ type: 'subprocess-opened', step: step.id, detail: `${step.process} case ${childId}` });
  runtime.changed();
  let result: CaseResult;
  try {
    result = await executeChild<(args: CaseArgs) => Promise<CaseResult>>(step.process, {
      workflowId: childId,
      args: [start.args],
      staticSummary: start.staticSummary,
      typedSearchAttributes: start.searchAttributes,
      memo: start.memo,
    });
  } catch (error) {
    if (isCancellation(error)) throw error;
    const reason = error instanceof ChildWorkflowFailure && error.cause ? error.cause.message : error instanceof Error ? error.message : String(error);
    throw ApplicationFailure.nonRetryable(`step \`${step.id}\`: subprocess case ${childId} (${step.process}) failed: ${reason}`, 'SubprocessFailed');
  }
  state.outcomes[step.id] = result.outcome;
  if (step.saveAs) state.data[step.saveAs] = { caseId: childId, outcome: result.outcome, data: result.data };
  runtime.record({ type: 'subprocess-closed', step: step.id, outcome: result.outcome, detail: `case ${childId}` });
  return route(step.next, result.outcome);
};
