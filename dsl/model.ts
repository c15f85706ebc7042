/**
 * The compiled process: the resolved form the interpreter runs, kept apart from the YAML
 * the author writes (`ProcessDefinition`, generated from the schema). Plain data, so it can be
 * produced inside the workflow from the definition a case carries.
 */
import type { DurationSpec } from './durations.js';
import type { JsonSchema } from './expressions.js';

export interface Transitions {
  /** Outcome → step id. */
  byOutcome: Record<string, string>;
  /** Where every other outcome goes (and the only target of `then: <step>`). */
  otherwise?: string;
}

interface StepBase {
  id: string;
  title: string;
  description?: string;
  /** `''` at the top level; `<parallel step id>/<branch>` inside a branch. */
  scope: string;
  visits?: { max: number; then: string };
}

export interface RetryPolicy {
  maximumAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
}

export type FailurePolicy = { goTo: string } | { escalate: string; instructions?: string } | { fail: true };

export interface ActionStep extends StepBase {
  kind: 'action';
  activity: string;
  with?: unknown;
  saveAs?: string;
  timeoutMs: number;
  retry: RetryPolicy;
  onFailure: FailurePolicy;
  next?: string;
}

export interface TaskStep extends StepBase {
  kind: 'task';
  role: string;
  assignToOwner: boolean;
  instructions?: string;
  outcomes: string[];
  form?: JsonSchema;
  due?: DurationSpec;
  saveAs?: string;
  next: Transitions;
}

export interface DecisionStep extends StepBase {
  kind: 'decision';
  conditions: { when: string; then: string }[];
  otherwise: string;
}

export interface WaitStep extends StepBase {
  kind: 'wait';
  for?: DurationSpec;
  /** A template giving an instant (ISO text or milliseconds). */
  until?: string;
  next?: string;
}

export interface ParallelStep extends StepBase {
  kind: 'parallel';
  branches: { name: string; start: string }[];
  next?: string;
}

export interface SubprocessStep extends StepBase {
  kind: 'subprocess';
  process: string;
  with?: unknown;
  saveAs?: string;
  next: Transitions;
}

export interface EndStep extends StepBase {
  kind: 'end';
  outcome: string;
}

export type CompiledStep = ActionStep | TaskStep | DecisionStep | WaitStep | ParallelStep | SubprocessStep | EndStep;
export type StepKind = CompiledStep['kind'];

export interface CompiledRole {
  title: string;
  /** Roles whose tasks this role may complete, itself included, transitively. */
  actsFor: string[];
}

export interface CompiledProcess {
  process: string;
  version: number;
  title: string;
  description?: string;
  calendar?: string;
  roles: Record<string, CompiledRole>;
  input?: JsonSchema;
  params: Record<string, unknown>;
  presentation: { summary?: string; customer?: string; priority?: string };
  start: string;
  /** Every step, branch steps included, by id (ids are unique across the file). */
  steps: Record<string, CompiledStep>;
  /** The outcomes the process can end with. */
  outcomes: string[];
}
