/** A parallel step: every branch runs as its own position; the step is left when all have finished. */
import type { ParallelStep } from '../../model/compiled-process.js';
import type { Token } from '../case-state.js';
import { follow } from '../transitions/flow.js';
import type { StepRunner } from './runtime.js';

export const runParallel: StepRunner<ParallelStep> = async (step, token, resume, runtime) => {
  const { state } = runtime;
  let children: Token[];
  if (resume && token.wait?.kind === 'branches') {
    children = token.wait.children.map((id) => state.tokens[id]).filter((t): t is Token => t !== undefined);
  } else {
    const visit = state.visits[step.id] ?? 1;
    children = step.branches.map((branch) => {
      const child: Token = { id: `${token.id}/${step.id}.${visit}/${branch.name}`, stepId: branch.start, parent: token.id, branch: branch.name, done: false };
      state.tokens[child.id] = child;
      return child;
    });
    token.wait = { kind: 'branches', children: children.map((c) => c.id) };
  }
  runtime.changed();
  await Promise.all(children.filter((c) => !c.done).map((c) => runtime.runToken(c, resume)));
  for (const child of children) delete state.tokens[child.id];
  return { ...follow(step.next), detail: 'all branches finished' };
};
