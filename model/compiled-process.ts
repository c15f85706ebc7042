/**
 * The compiled process: the resolved form the interpreter runs, kept apart from the YAML
 * the author writes (`ProcessDefinition`, generated from the schema). Plain data, so it can be
 * produced inside the workflow from the definition a case carries.
 */
/** A JSON Schema as plain data (a task's form, the case input). */
export type JsonSchema = Record<string, unknown>;

/** A duration as the compiled process keeps it (parsed from what the author wrote by dsl/durations.ts). */
export type DurationSpec =
  | { kind: 'elapsed'; ms: number; text?: string }
  | { kind: 'business-hours'; hours: number }
  | { kind: 'working-days'; days: number }
  /** `${...}` evaluated when the case gets there: a number of milliseconds or a duration text. */
  | { kind: 'expression'; template: string };

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
  /** Absent: no cap on attempts, only `giveUpAfterMs` (outages are waited out). */
  maximumAttempts?: number;
  /** How long the step keeps retrying, from its first attempt (the activity's schedule-to-close). */
  giveUpAfterMs: number;
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
  /** A template naming the person the task goes to (`${data.dispatch.technician.id}`). */
  assignTo?: string;
  /** Four eyes: task steps whose completer may not complete this one. */
  notBy?: string[];
  /** The amount the decision approves, checked against the approver's limit; for `outcomes` only (all when absent). */
  approval?: { amount: string; outcomes?: string[] };
  instructions?: string;
  outcomes: string[];
  form?: JsonSchema;
  due?: DurationSpec;
  saveAs?: string;
  next: Transitions;
}

export interface DecideStep extends StepBase {
  kind: 'decide';
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

export type CompiledStep = ActionStep | TaskStep | DecideStep | WaitStep | ParallelStep | SubprocessStep | EndStep;
export type StepKind = CompiledStep['kind'];

export interface CompiledRole {
  title: string;
  /** Roles whose tasks this role may complete, itself included, transitively. */
  actsFor: string[];
}

export type SlaTrigger = { kind: 'case-opened' } | { kind: 'enter'; step: string } | { kind: 'leave'; step: string; outcomes?: string[] };

/** When a rung of an escalation ladder is reached, measured in the clock's own time. */
export type SlaThreshold = { kind: 'percent'; percent: number } | { kind: 'before'; spec: DurationSpec } | { kind: 'breach' } | { kind: 'after'; spec: DurationSpec };

export interface SlaEscalation {
  threshold: SlaThreshold;
  /** The threshold as the author wrote it (`75%`, `breach`, `2h before`). */
  label: string;
  notify: string[];
  message?: string;
  withinWorkingHours: boolean;
  raisePriority?: string;
  reassignTo?: string;
  task?: { role: string; title: string; instructions?: string; outcomes: string[] };
  subprocess?: { process: string; with?: unknown };
}

export interface CompiledSla {
  id: string;
  title: string;
  calendar?: string;
  /** The template whose value picks a target (per severity), when there are several. */
  targetBy?: string;
  /** Target per value of `targetBy`; a single target is kept under `otherwise`. */
  targets: Record<string, DurationSpec>;
  otherwise?: DurationSpec;
  start: SlaTrigger;
  stop: SlaTrigger[];
  pause?: { whileIn: string[]; while?: string; reason?: string };
  reopen: 'new-cycle' | 'continue';
  escalations: SlaEscalation[];
}

export interface CompiledProcess {
  process: string;
  version: number;
  title: string;
  description?: string;
  calendar?: string;
  /** Whether running cases take newer versions of their calendars when pushed (`follow`) or keep the pinned ones. */
  calendarUpdates: 'keep' | 'follow';
  roles: Record<string, CompiledRole>;
  /**
   * The roles that may cancel a case (`may-cancel:`), exactly as listed. Absent when the
   * definition names none, and then no role may: the field is left out rather than kept as `[]`
   * so that definitions written before it compile to the same form.
   */
  mayCancel?: string[];
  input?: JsonSchema;
  params: Record<string, unknown>;
  presentation: { summary?: string; customer?: string; priority?: string };
  start: string;
  /** Every step, branch steps included, by id (ids are unique across the file). */
  steps: Record<string, CompiledStep>;
  /** The outcomes the process can end with. */
  outcomes: string[];
  slas: CompiledSla[];
}
