/**
 * What a scenario file says (schema/scenario.schema.json), as the runner reads it. docs/testing.md
 * is the owner's description of every key.
 */

export interface StubSpec {
  activity: string;
  step?: string;
  visit?: number;
  call?: number;
  result?: unknown;
  fail?: string;
}

export interface TaskExpectation {
  step: string;
  role?: string;
  assignee?: string;
  due?: string;
  title?: string;
  outcomes?: string[];
}

export type ClockEventName = 'started' | 'paused' | 'resumed' | 'warning' | 'breached' | 'escalated' | 'stopped';

export interface ClockExpectation {
  status?: 'waiting' | 'running' | 'paused' | 'stopped';
  result?: 'met' | 'breached';
  warned?: boolean;
  breached?: boolean;
  deadline?: string;
  events?: (ClockEventName | { type: ClockEventName; at?: string })[];
}

export interface NotificationExpectation {
  to?: string;
  subject?: string;
  channel?: string;
}

export interface EscalationExpectation {
  clock?: string;
  step?: string;
  to?: string;
}

export interface RecordsExpectation {
  table: string;
  count?: number;
  rows?: Record<string, unknown>[];
}

export interface Expectation {
  status?: 'open' | 'closed' | 'failed';
  outcome?: string;
  current?: string[];
  tasks?: TaskExpectation[];
  path?: string[];
  passes?: string[];
  avoids?: string[];
  data?: Record<string, unknown>;
  priority?: string;
  sla?: Record<string, ClockExpectation>;
  notifications?: NotificationExpectation[];
  escalations?: EscalationExpectation[];
  records?: RecordsExpectation[];
}

export interface ScenarioStep {
  complete?: string;
  in?: string;
  as?: string;
  role?: string;
  outcome?: string;
  data?: Record<string, unknown>;
  wait?: string;
  expect?: Expectation;
  'expect-refused'?: string;
}

export interface ScenarioSpec {
  name: string;
  definition?: string;
  at?: string;
  owner?: string;
  input: unknown;
  parameters?: Record<string, unknown>;
  stubs?: StubSpec[];
  steps: ScenarioStep[];
}

export interface ScenarioFileSpec {
  process: string;
  definition?: string;
  scenarios: ScenarioSpec[];
}

/** A scenario ready to run: what it says, where it is written, and the definition it runs. */
export interface Scenario {
  file: string;
  /** Its index in the file's `scenarios:` list. */
  index: number;
  spec: ScenarioSpec;
  process: string;
  /** The draft definition file it runs instead of the published one, when it names one. */
  draft?: string;
  /** The line of a JSON pointer into the file (`/scenarios/0/steps/2`). */
  lineOf(pointer: string): number;
}
