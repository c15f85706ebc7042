/* Generated from schema/process.schema.json by `npm run generate`. Do not edit: change the schema. */

/**
 * A name in kebab-case: lower-case letters and digits, words joined by single dashes.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "name".
 */
export type Name = string;
/**
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "step".
 */
export type Step = ActionStep | TaskStep | DecisionStep | WaitStep | ParallelStep | SubprocessStep | EndStep;
/**
 * A duration: `30s`, `24h`, `3 days`, `8 business hours`, `3 working days`, or an expression `${...}`.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "duration".
 */
export type Duration = string;
/**
 * A CEL expression over input, data, outcomes, params and case.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "expression".
 */
export type Expression = string;
/**
 * A name usable in expressions: letters, digits and underscores, not starting with a digit.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "identifier".
 */
export type Identifier = string;
/**
 * Text with `${expression}` placeholders; exactly `${expression}` keeps the value's type.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "template".
 */
export type Template = string;

/**
 * An Aftercare after-sales process: one YAML file per process version.
 */
export interface ProcessDefinition {
  /**
   * The process name, in kebab-case. It is the workflow type operators see in the Temporal Web UI.
   */
  process: string;
  /**
   * Raise it whenever the process changes. Running cases keep the version they started with; new cases get the highest version.
   */
  version: number;
  /**
   * The process as the manual names it.
   */
  title: string;
  /**
   * What the process is for and where it comes from.
   */
  description?: string;
  /**
   * Who answers for this definition (a person or a role).
   */
  owner?: string;
  /**
   * The business calendar for working days and business hours (a file in definitions/calendars).
   */
  calendar?: string;
  /**
   * Numbers the manual leaves open, each with a documented default.
   */
  parameters?: {
    [k: string]: Parameter;
  };
  /**
   * The roles that act in this process.
   */
  roles: {
    [k: string]: Role;
  };
  input?: JsonSchema;
  case?: CasePresentation;
  /**
   * A name in kebab-case: lower-case letters and digits, words joined by single dashes.
   */
  start?: string;
  steps: Steps;
}
/**
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "parameter".
 */
export interface Parameter {
  type: 'integer' | 'number' | 'string' | 'boolean' | 'duration';
  /**
   * The value used unless a case is opened with another.
   */
  default: number | string | boolean;
  /**
   * What the number means, and which manual leaves it open.
   */
  description: string;
  minimum?: number;
  maximum?: number;
}
/**
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "role".
 */
export interface Role {
  title: string;
  description?: string;
  /**
   * Roles whose tasks this role may also complete (a supervisor acts for agents).
   */
  'acts-for'?: Name[];
}
/**
 * JSON Schema of the data a service passes when opening a case.
 */
export interface JsonSchema {
  [k: string]: unknown;
}
/**
 * How a case shows to operators.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "casePresentation".
 */
export interface CasePresentation {
  /**
   * One line for the Web UI, e.g. "Complaint ${case.id} · ${input.customer.name}".
   */
  summary?: string;
  /**
   * The customer id, searchable as CustomerId.
   */
  customer?: string;
  /**
   * The priority or severity, searchable as Priority.
   */
  priority?: string;
}
/**
 * The steps, by id. Transitions name these ids.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "steps".
 */
export interface Steps {
  [k: string]: Step;
}
/**
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "actionStep".
 */
export interface ActionStep {
  title: string;
  description?: string;
  visits?: Visits;
  /**
   * A name in kebab-case: lower-case letters and digits, words joined by single dashes.
   */
  action: string;
  with?: Mapping;
  /**
   * A name usable in expressions: letters, digits and underscores, not starting with a digit.
   */
  'save-as'?: string;
  /**
   * How long one attempt may take (default 1 minute).
   */
  timeout?: string;
  retry?: Retry;
  /**
   * What happens when the last attempt fails: go to a step, or escalate to a role.
   */
  'on-failure'?: Name | Escalation;
  then?: Name;
}
/**
 * A bound on how often a loop may come back to this step, and where to go when it is exceeded.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "visits".
 */
export interface Visits {
  max: number;
  then: Name;
}
/**
 * Values built from case data: literals, or templates with `${expression}`.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "mapping".
 */
export interface Mapping {
  [k: string]: unknown;
}
/**
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "retry".
 */
export interface Retry {
  /**
   * Attempts in all, the first included.
   */
  attempts?: number;
  'initial-interval'?: Duration;
  backoff?: number;
  'max-interval'?: Duration;
}
/**
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "escalation".
 */
export interface Escalation {
  /**
   * A name in kebab-case: lower-case letters and digits, words joined by single dashes.
   */
  escalate: string;
  instructions?: string;
}
/**
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "taskStep".
 */
export interface TaskStep {
  title: string;
  description?: string;
  visits?: Visits;
  task: Task;
  then?: Name | OutcomeTransitions;
}
/**
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "task".
 */
export interface Task {
  role: Name;
  /**
   * `owner`: the task goes straight to the case owner (first-contact responsibility).
   */
  assign?: 'owner';
  instructions?: string;
  /**
   * @minItems 1
   */
  outcomes: [Name, ...Name[]];
  form?: JsonSchema1;
  /**
   * A duration: `30s`, `24h`, `3 days`, `8 business hours`, `3 working days`, or an expression `${...}`.
   */
  due?: string;
  /**
   * A name usable in expressions: letters, digits and underscores, not starting with a digit.
   */
  'save-as'?: string;
}
/**
 * JSON Schema of what the person submits.
 */
export interface JsonSchema1 {
  [k: string]: unknown;
}
/**
 * Where each outcome leads; `otherwise` covers the outcomes not listed.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "outcomeTransitions".
 */
export interface OutcomeTransitions {
  [k: string]: Name;
}
/**
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "decisionStep".
 */
export interface DecisionStep {
  title: string;
  description?: string;
  visits?: Visits;
  /**
   * Conditions tried in order; the first that holds decides.
   *
   * @minItems 1
   */
  decide: [Condition, ...Condition[]];
  /**
   * A name in kebab-case: lower-case letters and digits, words joined by single dashes.
   */
  otherwise: string;
}
/**
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "condition".
 */
export interface Condition {
  when: Expression;
  then: Name;
}
/**
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "waitStep".
 */
export interface WaitStep {
  title: string;
  description?: string;
  visits?: Visits;
  wait: Duration | WaitUntil;
  then?: Name;
}
/**
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "waitUntil".
 */
export interface WaitUntil {
  for?: Duration;
  /**
   * An instant from case data, e.g. `${input.promisedDate}`.
   */
  until?: string;
}
/**
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "parallelStep".
 */
export interface ParallelStep {
  title: string;
  description?: string;
  visits?: Visits;
  /**
   * Branches that run together; the step goes on when all have finished.
   */
  parallel: {
    [k: string]: Branch;
  };
  then?: Name;
}
/**
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "branch".
 */
export interface Branch {
  start?: Name;
  steps: Steps;
}
/**
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "subprocessStep".
 */
export interface SubprocessStep {
  title: string;
  description?: string;
  visits?: Visits;
  /**
   * A name in kebab-case: lower-case letters and digits, words joined by single dashes.
   */
  subprocess: string;
  with?: Mapping;
  'save-as'?: Identifier;
  then?: Name | OutcomeTransitions;
}
/**
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "endStep".
 */
export interface EndStep {
  title: string;
  description?: string;
  /**
   * A name in kebab-case: lower-case letters and digits, words joined by single dashes.
   */
  end: string;
}
/**
 * A JSON Schema (draft 2020-12).
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "jsonSchema".
 */
export interface JsonSchema2 {
  [k: string]: unknown;
}
