/**
 * Workflow interceptors of the case interpreter (bundled through `workflowInterceptorModules`,
 * not exported from index.ts, where every exported function would become a workflow type).
 *
 * One search-attribute upsert per workflow task: the interpreter publishes what operators see
 * whenever its state changes, and one activation can change it several times (an Update
 * completes a task, the case moves on, an SLA clock reacts). Temporal bills every upsert
 * command and writes an event for each, so the commands of an activation are merged into
 * one, placed where the last of them was, holding the last value of every attribute. That
 * is what a hand-written workflow upserting once at the end of its work would emit.
 *
 * Cases started before this existed upserted several times per task; their histories must
 * replay as they were written, so the merge is a patch (`one-upsert-per-activation`): decided
 * once when a run starts, on for new runs, off when replaying a run without the marker; cases
 * of engine revision 2 take it without one (workflows/engine.ts).
 */
import type { ConcludeActivationInput, WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { takes, type EngineRevision } from './engine.js';

type Command = ConcludeActivationInput['commands'][number];

export function mergeSearchAttributeUpserts(commands: readonly Command[]): Command[] {
  const upserts = commands.filter((command) => command.upsertWorkflowSearchAttributes);
  if (upserts.length < 2) return [...commands];
  const fields = Object.assign({}, ...upserts.map((command) => command.upsertWorkflowSearchAttributes?.searchAttributes?.indexedFields ?? {}));
  const last = upserts[upserts.length - 1] as Command;
  const merged: Command = { ...last, upsertWorkflowSearchAttributes: { ...last.upsertWorkflowSearchAttributes, searchAttributes: { indexedFields: fields } } };
  return commands.filter((command) => !command.upsertWorkflowSearchAttributes || command === last).map((command) => (command === last ? merged : command));
}

export const interceptors: WorkflowInterceptorsFactory = () => {
  const run = { mergeUpserts: false };
  return {
    inbound: [
      {
        execute(input, next) {
          run.mergeUpserts = takes(input.args[0] as EngineRevision | undefined, 'one-upsert-per-activation');
          return next(input);
        },
      },
    ],
    internals: [
      {
        concludeActivation(input, next) {
          return next(run.mergeUpserts ? { ...input, commands: mergeSearchAttributeUpserts(input.commands) } : input);
        },
      },
    ],
  };
};
