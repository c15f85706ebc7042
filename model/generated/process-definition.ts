/* Generated from schema/process.schema.json by `npm run generate`. Do not edit: change the schema. */

/**
 * A name in kebab-case: lower-case letters and digits, words joined by single dashes.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "name".
 */
export type Name = string;
/**
 * A duration: `30s`, `24h`, `3 days`, `8 business hours`, `3 working days`, or an expression `${...}`.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "duration".
 */
export type Duration = string;
/**
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "slaTrigger".
 */
export type SlaTrigger =
  | 'case-opened'
  | {
      /**
       * A name in kebab-case: lower-case letters and digits, words joined by single dashes.
       */
      enter?: string;
      /**
       * A name in kebab-case: lower-case letters and digits, words joined by single dashes.
       */
      leave?: string;
      /**
       * With `leave`: only when the step gives one of these outcomes.
       */
      outcome?: Name | [Name, ...Name[]];
    };
/**
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "step".
 */
export type Step = ActionStep | TaskStep | DecisionStep | WaitStep | ParallelStep | SubprocessStep | EndStep;
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
   * What a running case does when a newer version of one of its calendars is published (e.g. next year's official holidays): `keep` the version pinned when the case opened (the default), or `follow` the newer one when it is pushed with `aftercare calendars push`. Following moves the deadlines of running SLA clocks; due times already set and waits already started keep their instant.
   */
  'calendar-updates'?: 'keep' | 'follow';
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
  /**
   * The roles that may cancel a case of this process (`aftercare case cancel`, `cancelCase`), each named exactly: `acts-for` does not extend it. Without it no role may: a case is cancelled only by a Temporal operator (`temporal workflow cancel`).
   */
  'may-cancel'?: Name[];
  input?: JsonSchema;
  case?: CasePresentation;
  /**
   * Service-level clocks: the time limits a case is measured against (first reply, resolution, follow-up, a promise to the customer), when each starts, pauses and stops, and the escalations before and after a breach.
   */
  slas?: {
    [k: string]: Sla;
  };
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
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "sla".
 */
export interface Sla {
  title: string;
  description?: string;
  /**
   * The time limit: a duration (`24h`, `8 business hours`, `3 working days`, `${input.promisedBy}`), or one per value of an expression (per severity).
   */
  target: Duration | SlaTargets;
  /**
   * A name in kebab-case: lower-case letters and digits, words joined by single dashes.
   */
  calendar?: string;
  /**
   * When the clock starts: `case-opened` (the default), `{ enter: <step> }` or `{ leave: <step>, outcome: ... }`.
   */
  start?:
    | 'case-opened'
    | {
        /**
         * A name in kebab-case: lower-case letters and digits, words joined by single dashes.
         */
        enter?: string;
        /**
         * A name in kebab-case: lower-case letters and digits, words joined by single dashes.
         */
        leave?: string;
        /**
         * With `leave`: only when the step gives one of these outcomes.
         */
        outcome?: Name | [Name, ...Name[]];
      };
  /**
   * When the clock stops (one trigger or a list). A closing case stops every clock.
   */
  stop?: SlaTrigger | [SlaTrigger, ...SlaTrigger[]];
  pause?: SlaPause;
  /**
   * When the start trigger fires again after the clock stopped (the case was reopened): a new cycle with a full target (the default), or continue the old one.
   */
  reopen?: 'new-cycle' | 'continue';
  /**
   * The escalation ladder: warnings before the breach, the breach, and steps after it.
   */
  escalations?: SlaEscalation[];
}
/**
 * A target per value of `by` (e.g. per severity); `otherwise` covers the other values.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "slaTargets".
 */
export interface SlaTargets {
  /**
   * An expression whose value picks the target, e.g. `${input.severity}`.
   */
  by: string;
  [k: string]: Duration;
}
/**
 * When the clock does not run, e.g. while waiting for the customer to send the product.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "slaPause".
 */
export interface SlaPause {
  /**
   * Paused while the case is in any of these steps.
   *
   * @minItems 1
   */
  'while-in'?: [Name, ...Name[]];
  /**
   * Paused while this condition over case data holds.
   */
  while?: string;
  /**
   * Why the clock pauses, as recorded with each pause.
   */
  reason?: string;
}
/**
 * One rung of the ladder: when (`at: 75%`, `before: 2h`, `at: breach`, `after: 4h`) and what happens.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "slaEscalation".
 */
export interface SlaEscalation {
  /**
   * A share of the target (`75%`), or `breach`.
   */
  at?: string | 'breach';
  /**
   * A duration: `30s`, `24h`, `3 days`, `8 business hours`, `3 working days`, or an expression `${...}`.
   */
  before?: string;
  /**
   * A duration: `30s`, `24h`, `3 days`, `8 business hours`, `3 working days`, or an expression `${...}`.
   */
  after?: string;
  /**
   * Roles to notify (through the notifications outbox).
   */
  notify?: Name | [Name, ...Name[]];
  /**
   * The notification text; a sensible one is written when omitted.
   */
  message?: string;
  /**
   * Deliver the notification only within the calendar's working hours (held until the next working time).
   */
  'within-working-hours'?: boolean;
  /**
   * Set the case's priority (searchable as Priority).
   */
  'raise-priority'?: string;
  /**
   * A name in kebab-case: lower-case letters and digits, words joined by single dashes.
   */
  'reassign-to'?: string;
  task?: EscalationTask;
  /**
   * A name in kebab-case: lower-case letters and digits, words joined by single dashes.
   */
  subprocess?: string;
  with?: Mapping;
}
/**
 * A task opened beside the case's flow (it does not change where the case is).
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "escalationTask".
 */
export interface EscalationTask {
  role: Name;
  title: string;
  instructions?: string;
  /**
   * @minItems 1
   */
  outcomes?: [Name, ...Name[]];
}
/**
 * The input of the subprocess case.
 */
export interface Mapping {
  [k: string]: unknown;
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
  with?: Mapping1;
  /**
   * A name usable in expressions: letters, digits and underscores, not starting with a digit.
   */
  'save-as'?: string;
  /**
   * A duration: `30s`, `24h`, `3 days`, `8 business hours`, `3 working days`, or an expression `${...}`.
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
export interface Mapping1 {
  [k: string]: unknown;
}
/**
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "retry".
 */
export interface Retry {
  /**
   * Attempts in all, the first included. Without it the step retries until `give-up-after`: a database or service outage is waited out.
   */
  attempts?: number;
  /**
   * A duration: `30s`, `24h`, `3 days`, `8 business hours`, `3 working days`, or an expression `${...}`.
   */
  'give-up-after'?: string;
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
  /**
   * The person the task goes to, as a template over case data: `${data.dispatch.technician.id}` (the dispatched technician). Only they, or a role above the task's, may complete it; empty: nobody in particular.
   */
  'assign-to'?: string;
  /**
   * Four eyes: task steps whose completer may not complete this task (applicant ≠ approver).
   *
   * @minItems 1
   */
  'not-by'?: [Name, ...Name[]];
  /**
   * The amount this decision approves: a person whose `approvalLimit` (staff directory) is below it may not decide; a role above must.
   */
  approval?: {
    /**
     * A template giving the amount: `${input.order.amount}`.
     */
    amount: string;
    /**
     * The outcomes that approve (default: every outcome); the others, such as a rejection, need no limit.
     *
     * @minItems 1
     */
    outcomes?: [Name, ...Name[]];
  };
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
  with?: Mapping1;
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
