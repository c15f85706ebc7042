/**
 * What a step kind says about itself. The checker, the compiler and the diagram treat every
 * kind alike through this contract, so a new kind is one module and one row in the table
 * (dsl/steps/index.ts), plus its schema and its interpreter.
 */
import type * as Source from '../../model/generated/process-definition.js';
import type { CompiledStep } from '../../model/compiled-process.js';
import type { CheckContext } from '../check-context.js';
import type { Json } from '../json.js';
import type { UnlocatedProblem } from '../problems.js';

export interface StepEntry {
  id: string;
  path: string;
  step: Json;
  /** `''` at the top level; the branch's pointer (`/steps/x/parallel/b`) inside a branch. */
  scope: string;
}

/** A transition a step declares, with the pointer of the value that names the target. */
export interface StepEdge {
  target: string;
  path: string;
}

/**
 * A value the checker must parse: a template (`${...}` inside text), a mapping whose strings
 * are templates, or a condition (a bare expression that must give true or false).
 */
export interface ExpressionSite {
  value: unknown;
  path: string;
  as: 'template' | 'mapping' | 'condition';
}

/** The checker's helpers a kind's meaning checks use; roles and calendars are the checker's business. */
export interface StepCheck {
  entry: StepEntry;
  context: CheckContext;
  report(problem: UnlocatedProblem): void;
  /** The ids of the process's task steps (anywhere in it). */
  taskSteps: readonly string[];
  /** Reports `name` when `roles` does not declare it; `what` reads "step `x` <what> `name`". */
  role(name: unknown, at: string, what: string): void;
  /** Reports a duration that does not parse, or business time without a calendar; `elapsedOnly` for worker-side times. */
  duration(value: unknown, at: string, what: string, elapsedOnly?: boolean): void;
}

/** What every compiled step has, whatever its kind. */
export type CompiledStepBase = Pick<CompiledStep, 'id' | 'title' | 'description' | 'scope' | 'visits'>;

export interface StepCompile {
  base: CompiledStepBase;
  /** Compiles the steps of a branch into the process, under `scope`. */
  compileBranch(steps: Source.Steps, scope: string): void;
}

/** A line of the diagram between two steps. */
export interface GraphEdge {
  from: string;
  to: string;
  label?: string;
  style?: 'dotted';
}

/**
 * How a kind leaves a step: `then` (the common case: `then:` says where, and a branch step
 * without it finishes its branch), `routes` (the step's own keys say where, so it never
 * finishes anything), or `ends` (it closes the case).
 */
export type StepFlow = 'then' | 'routes' | 'ends';

export interface StepKindModule<C extends CompiledStep = CompiledStep, S extends Source.Step = Source.Step, K extends string = string> {
  /** The YAML key that makes a step this kind (`decide:`). */
  key: K;
  /** The schema's definition of the kind (`#/$defs/<schema>`). */
  schema: string;
  /** The YAML keys the kind adds to `title`, `description`, `visits` and `then`. */
  keys: readonly string[];
  flow: StepFlow;
  /** Added to the STEP_MISSING_THEN message after "add `then: <step>`". */
  missingThenHint?: string;
  /** Which expression variables name this step by id (`outcomes.<id>`, `actors.<id>`). */
  namedBy?: readonly ('outcomes' | 'actors')[];

  /** Whether the step's kind key holds a value of this kind's shape (the schema reports others). */
  holds(step: Json): boolean;
  /** The transitions the kind declares beyond `then` and `visits`, which every kind shares. */
  edges(entry: StepEntry): StepEdge[];
  /** The branches the step holds, by name, as documents (only a parallel step has any). */
  branches?(step: Json): [string, unknown][];
  /** The values the checker must parse as expressions. */
  expressions(entry: StepEntry): ExpressionSite[];
  /** The kind's meaning checks. */
  check(check: StepCheck): void;

  compile(step: S, context: StepCompile): C;

  graph: {
    /** The Mermaid node around its (already escaped) label. */
    mermaid(label: string): string;
    /** The Graphviz `shape=` attributes. */
    dot: string;
    /** The Mermaid class that colours it, if any (graph.ts defines the classes). */
    mermaidClass?: 'task' | 'action' | 'finish';
    /** The second line of its label. */
    subtitle(step: C): string | undefined;
    /** Its outgoing lines beyond the `visits` bound. */
    edges(step: C): GraphEdge[];
    /** Whether a step of a branch finishes the branch (drawn into the join). */
    endsBranch(step: C): boolean;
    /** The branches drawn as subgraphs under the step, each from its first step into a join. */
    branches?(step: C): { name: string; start: string }[];
  };
}
