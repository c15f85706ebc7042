/**
 * What a step kind's runner needs from the case it runs in. The interpreter (case-workflow.ts)
 * provides it; each runner (one file per step kind, beside this one) only says how its kind
 * runs: what it waits for and where it leads.
 */
import type { CarriedRecords } from '../../model/carried-records.js';
import type { CompiledProcess, CompiledStep, DurationSpec } from '../../model/compiled-process.js';
import type { ExpressionContext } from '../../dsl/expressions.js';
import type { CaseState, CaseTask, Token } from '../case-state.js';
import type { CaseArgs } from '../messages.js';
import type { ClockCalendar } from '../sla-clock.js';
import type { Entry } from '../transitions/entry.js';
import type { StepResult } from '../transitions/flow.js';
import type { TaskSpec } from '../transitions/tasks.js';

export interface CaseRuntime {
  readonly args: CaseArgs;
  readonly process: CompiledProcess;
  readonly state: CaseState;
  record(entry: Entry): void;
  /** Something operators see changed: search attributes and details are published at the end of this activation. */
  changed(): void;
  expressionContext(): ExpressionContext;
  evaluate(template: string): unknown;
  calendar(name: string | undefined): ClockCalendar | undefined;
  /** Opens a task (due `due` after now, counted in the process calendar) and records it. */
  openTask(spec: TaskSpec, due: DurationSpec | undefined): CaseTask;
  /** Runs a position to its end: the root, or one branch of a parallel step. */
  runToken(token: Token, resume: boolean): Promise<StepResult>;
  /** Instructions with case data filled in; as written when they cannot be filled in. */
  instructionsText(instructions: string): string;
  /** The records this workflow task has queued, for an activity it schedules to carry (engine revision 2); undefined before, or when none. */
  carriedRecords(): CarriedRecords | undefined;
}

/**
 * How a step kind runs. `resume` is true when the case continued as new while waiting in this
 * step: the runner picks up its wait (`token.wait`) instead of starting the step again.
 */
export type StepRunner<S extends CompiledStep> = (step: S, token: Token, resume: boolean, runtime: CaseRuntime) => Promise<StepResult>;
