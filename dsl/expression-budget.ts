/**
 * The budget every expression is evaluated with, so that no definition and no case data can
 * make an evaluation run for minutes or fill the worker's memory inside a workflow task (where
 * it would hit the deadlock timeout and be retried forever, the case stuck).
 *
 * The budget is counted, never timed, so it is the same on every machine and on every replay:
 *
 * - **operations**: each node of the expression evaluated counts one, so each round of a
 *   comprehension (`exists`, `all`, `map`, `filter`, `exists_one`) counts the nodes of its
 *   body; and an operator or function applied to text, lists or mappings counts one more per
 *   character, element and entry of what it is given (`x in list`, `a + b`, `list == list`,
 *   `text.contains(...)` cost what they walk), except `size`, `type` and `dyn`, which do not
 *   walk their argument;
 * - **sizes**: no text, list or mapping an expression builds along the way may grow past
 *   `expressionBudget.textLength` characters or `expressionBudget.listLength` elements.
 *
 * How the counting reaches inside the library (an internal of @marcbachmann/cel-js 8.0.0, which
 * has parse-time limits but no run-time cost hook): its evaluator evaluates every node but the
 * root through one method, `Evaluator.run(ast, ctx)` (lib/evaluator.js), called for each
 * operand, each element of a literal, and each round of a comprehension and of `cel.bind`
 * (lib/operators.js, lib/macros.js). The evaluator of an environment is private, but function
 * handlers are called with `this` bound to it (`handler.apply(ev, args)`, lib/operators.js), so
 * `meterEvaluations` registers a probe function, evaluates it once to capture the evaluator,
 * and wraps that one instance's `run` (the type checker and other environments are untouched).
 * The package is pinned to the exact version in package.json; `meterEvaluations` checks at
 * once that the wrapped method is called, and test/unit/dsl/expression-budget.test.ts counts the
 * operations of known expressions, so an upgrade that changes the internals fails loudly
 * instead of dropping the budget.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { MAX_CASE_INPUT_BYTES } from '../model/limits.js';

/**
 * The budget of one expression. A million operations take some tens of milliseconds; an
 * ordinary condition or template needs a few dozen, a pass over the largest list a case input
 * can hold (about 32,000 elements in 64 KiB) some hundreds of thousands. The sizes are four
 * times the largest case input: room for any text or list built from the case's data, far
 * below what would strain a worker.
 */
export const expressionBudget = {
  operations: 1_000_000,
  textLength: 4 * MAX_CASE_INPUT_BYTES,
  listLength: 4 * MAX_CASE_INPUT_BYTES,
} as const;

/**
 * Parse-time limits (cel-js's own; the same for checking and evaluating, so a definition that
 * validates parses when a case runs it). Expressions in definitions are a line or a few: a
 * thousand nodes and a nesting of 50 are far beyond any written by hand, and keep parsing,
 * type-checking and the evaluator's recursion bounded.
 */
export const expressionParseLimits = {
  maxAstNodes: 1_000,
  maxDepth: 100,
  maxListElements: 500,
  maxMapEntries: 500,
  maxCallArguments: 16,
} as const;

/** What ran out: the operations, or the size of a text, a list or a mapping built along the way. */
export type BudgetExhaustion = { kind: 'operations'; limit: number } | { kind: 'text' | 'list' | 'mapping'; limit: number; size: number };

/** Thrown inside cel-js when the budget runs out; dsl/expressions.ts turns it into an ExpressionBudgetError. */
export class BudgetExhausted extends Error {
  constructor(readonly exhaustion: BudgetExhaustion) {
    super(`the expression budget ran out (${exhaustion.kind})`);
  }
}

/** The shape of an AST node, as far as the meter reads it. */
interface MeteredNode {
  readonly op: string;
  readonly args: unknown;
  readonly meta?: { readonly macro?: unknown; readonly alternate?: unknown };
}

interface Evaluator {
  run(ast: MeteredNode, ctx: unknown): unknown;
}

/** Functions whose cost does not grow with their argument (they read a length or a type). */
const constantCostFunctions = new Set(['size', 'type', 'dyn']);

/**
 * What evaluating a node of each kind costs beside its one operation:
 * - `reads`: variables, literals, field and index access give a value that is already there
 *   (the case's data, the definition's literal), so its size is not the expression's doing;
 * - `passes`: the ternary and logical operators, literals of lists and mappings, and macros
 *   (`exists`, `map`, `has`, `cel.bind`...) build or pass on values without walking them, and
 *   their rounds count node by node;
 * - `walks`: an operator or a function walks its operands, which count by their size.
 * Whatever is not `reads` is checked against the size limits.
 */
type NodeCost = 'reads' | 'passes' | 'walks';

// A switch, not a lookup table: it runs for every node, and a keyed lookup by operator made
// loops a third slower (scripts/bench-expressions.ts).
function costOf(node: MeteredNode): NodeCost {
  switch (node.op) {
    case 'value':
    case 'id':
    case '.':
    case '.?':
    case '[]':
    case '[?]':
      return 'reads';
    case '==':
    case '!=':
    case 'in':
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '!_':
    case '-_':
      return 'walks';
    case 'call':
    case 'rcall': {
      const meta = node.meta;
      if (meta?.macro !== undefined || meta?.alternate !== undefined) return 'passes';
      const name = (node.args as readonly unknown[])[0];
      return typeof name === 'string' && constantCostFunctions.has(name) ? 'passes' : 'walks';
    }
    default:
      return 'passes';
  }
}

/** Counts one evaluation: the operations left, and whether the node being evaluated walks its operands. */
class Meter {
  remaining: number = expressionBudget.operations;
  walking: boolean;
  exhausted: BudgetExhausted | undefined;

  constructor(root: MeteredNode) {
    this.walking = costOf(root) === 'walks';
  }

  exhaust(exhaustion: BudgetExhaustion): never {
    this.exhausted ??= new BudgetExhausted(exhaustion);
    throw this.exhausted;
  }

  spend(operations: number): void {
    this.remaining -= operations;
    if (this.remaining < 0) this.exhaust({ kind: 'operations', limit: expressionBudget.operations });
  }

  /** Refuses a value larger than the budget allows (its own length: a list of lists counts each list where it is built). */
  checkSize(value: unknown): void {
    if (typeof value === 'string') {
      if (value.length > expressionBudget.textLength) this.exhaust({ kind: 'text', limit: expressionBudget.textLength, size: value.length });
    } else if (typeof value === 'object' && value !== null) {
      if (Array.isArray(value)) {
        if (value.length > expressionBudget.listLength) this.exhaust({ kind: 'list', limit: expressionBudget.listLength, size: value.length });
      } else if (value instanceof Map || value instanceof Set) {
        if (value.size > expressionBudget.listLength) this.exhaust({ kind: 'mapping', limit: expressionBudget.listLength, size: value.size });
      }
    }
  }

  /**
   * Spends what walking `value` costs: its characters, elements and entries, nested ones
   * included. Stops counting once the budget is spent, so measuring a huge value never costs
   * more than the budget it exhausts.
   */
  spendSizeOf(value: unknown): void {
    if (value === null || typeof value !== 'object') {
      if (typeof value === 'string' && value.length > 0) this.spend(value.length);
      return;
    }
    const pending: unknown[] = [value];
    let counted = 0;
    while (pending.length > 0 && counted <= this.remaining) {
      const next = pending.pop();
      if (typeof next === 'string') counted += next.length;
      else if (Array.isArray(next)) {
        counted += next.length;
        for (const item of next) if (item !== null && (typeof item === 'object' || typeof item === 'string')) pending.push(item);
      } else if (next instanceof Map) {
        counted += next.size;
        for (const [key, item] of next) pending.push(key, item);
      } else if (next instanceof Uint8Array) counted += next.length;
      else if (next !== null && typeof next === 'object' && isPlainObject(next)) {
        for (const key in next) {
          counted++;
          pending.push((next as Record<string, unknown>)[key]);
        }
      }
    }
    this.spend(counted);
  }
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The name of the probe function; the checker's environment does not know it, so no definition can call it. */
const probeName = 'aftercare_evaluator_probe';

/** Evaluates `expression` over `context` with a fresh budget: its value and the operations it used; throws BudgetExhausted when the budget runs out. */
export type MeteredEvaluate = (expression: string, context: Record<string, unknown>) => { value: unknown; operations: number };

/**
 * Installs the meter on `env`'s evaluator (see the top of this file) and returns the function
 * that evaluates with a budget. Throws at once when the library no longer works the way the
 * meter relies on.
 */
export function meterEvaluations(env: Environment): MeteredEvaluate {
  let captured: Evaluator | undefined;
  env.registerFunction(`${probeName}(): bool`, function (this: Evaluator) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- capturing the evaluator is what the probe is for
    captured = this;
    return true;
  });
  env.evaluate(`${probeName}()`, {});
  const evaluator = captured;
  if (!evaluator || typeof evaluator.run !== 'function') {
    throw new Error('@marcbachmann/cel-js no longer calls functions on its evaluator with a `run` method: the expression budget cannot be installed (see dsl/expression-budget.ts)');
  }
  const original = evaluator.run;
  let meter: Meter | undefined;
  evaluator.run = function meteredRun(this: Evaluator, ast: MeteredNode, ctx: unknown): unknown {
    const current = meter;
    if (current === undefined) return original.call(this, ast, ctx);
    // Once spent, every further node fails again: cel-js's `||`, `&&`, `exists` and `all` absorb
    // an error on one side when the other side decides, and must not absorb this one.
    if (current.exhausted) throw current.exhausted;
    if (--current.remaining < 0) current.exhaust({ kind: 'operations', limit: expressionBudget.operations });
    const outer = current.walking;
    const cost = costOf(ast);
    current.walking = cost === 'walks';
    let value: unknown;
    try {
      value = original.call(this, ast, ctx);
    } finally {
      current.walking = outer;
    }
    // Most values are numbers and booleans: only texts and objects have a size.
    if (typeof value === 'string' || (typeof value === 'object' && value !== null)) {
      if (cost !== 'reads') current.checkSize(value);
      if (outer) current.spendSizeOf(value);
    }
    return value;
  };

  const evaluate: MeteredEvaluate = (expression, context) => {
    // Parsing first gives the root node, which cel-js evaluates directly, not through `run`.
    const program = env.parse(expression);
    const root = program.ast as unknown as MeteredNode;
    const outer = meter;
    const current = new Meter(root);
    meter = current;
    try {
      current.spend(1);
      const value: unknown = program(context);
      if (costOf(root) !== 'reads') current.checkSize(value);
      if (current.exhausted) throw current.exhausted;
      return { value, operations: expressionBudget.operations - current.remaining };
    } catch (error) {
      // Whatever cel-js made of it (an error wrapped, or absorbed by `||`), the budget ran out.
      if (current.exhausted) throw current.exhausted;
      throw error;
    } finally {
      meter = outer;
    }
  };

  // The meter must see the nodes: two rounds of a comprehension over a literal list evaluate
  // far more nodes than the root. Were cel-js to stop calling `run` for them, nothing would be
  // counted and the budget would silently be gone.
  const probe = new Meter({ op: 'rcall', args: [] });
  meter = probe;
  try {
    env.evaluate('[1, 2].exists(x, x == 2)', {});
  } finally {
    meter = undefined;
  }
  const counted = expressionBudget.operations - probe.remaining;
  if (counted < 5) throw new Error(`@marcbachmann/cel-js no longer evaluates nodes through \`Evaluator.run\` (${counted} counted): the expression budget cannot be installed (see dsl/expression-budget.ts)`);
  return evaluate;
}
