/**
 * Expressions in definitions: CEL (Common Expression Language), a side-effect-free language
 * that always terminates, parsed and type-checked when a definition loads, and evaluated by
 * an interpreter over plain data — never JavaScript `eval` or `new Function`.
 *
 * Conditions (`when:`) are bare expressions. Texts and mappings (`with:`, `summary:`,
 * `until:`) are templates: `${expression}` placeholders inside literal text; a value that is
 * exactly one placeholder keeps the expression's type (a number, a list, an object).
 *
 * The variables an expression can use are `expressionVariables` (dsl/expression-variables.ts,
 * re-exported here): input, data, outcomes, actors, params, case and now, each described there.
 *
 * Evaluation has a budget (dsl/expression-budget.ts): operations counted, and the sizes of the
 * texts and lists built along the way bounded, so no definition and no case data can keep a
 * workflow task busy; an expression that runs out fails with an ExpressionBudgetError.
 *
 * Numbers from JSON are doubles in CEL and literals like `2` are ints; CEL refuses to mix them,
 * which would trip every process owner who writes `input.price * 2`, so mixed arithmetic is
 * registered here (the result is a double).
 */
import { Environment } from '@marcbachmann/cel-js';
import { BudgetExhausted, expressionBudget, expressionParseLimits, meterEvaluations, type BudgetExhaustion, type MeteredEvaluate } from './expression-budget.js';
import { LINEAR_MATCHES, matchesLinear, re2Problem, withLinearMatches } from './linear-regex.js';
import type { ProblemCode } from './problems.js';
import { didYouMean } from './names.js';
import { expressionVariableNames, expressionVariablesInWords, type ExpressionVariable } from './expression-variables.js';

import type { JsonSchema } from '../model/compiled-process.js';
import { MAX_CASE_INPUT_BYTES } from '../model/limits.js';

export type { JsonSchema };
export { expressionVariables, expressionVariableNames, type ExpressionVariable } from './expression-variables.js';
export { expressionBudget } from './expression-budget.js';

// ---------------------------------------------------------------------------------------------
// Templates

export type TemplatePart = { text: string } | { expression: string; offset: number };
export type TemplateResult = { ok: true; parts: TemplatePart[] } | { ok: false; message: string; offset: number };

/** True when the text contains a `${` placeholder (so it must be parsed as a template). */
export function isTemplate(text: string): boolean {
  return text.includes('${');
}

/**
 * Splits a template into literal text and `${...}` expressions. Braces and quotes inside an
 * expression are balanced, so `${ {"a": 1} }` and `${ "}" }` work; `$${` writes a literal `${`.
 */
export function parseTemplate(source: string): TemplateResult {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    if (source.startsWith('$${', i)) {
      text += '${';
      i += 3;
      continue;
    }
    if (!source.startsWith('${', i)) {
      text += source[i];
      i++;
      continue;
    }
    const start = i + 2;
    let depth = 1;
    let j = start;
    let quote: string | undefined;
    while (j < source.length && depth > 0) {
      const ch = source[j];
      if (quote) {
        if (ch === '\\') j++;
        else if (ch === quote) quote = undefined;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '{') depth++;
      else if (ch === '}') depth--;
      j++;
    }
    if (depth > 0) return { ok: false, message: '`${` has no closing `}`', offset: i };
    if (text) parts.push({ text });
    text = '';
    const expression = source.slice(start, j - 1);
    if (expression.trim() === '') return { ok: false, message: '`${}` holds no expression', offset: i };
    parts.push({ expression, offset: start });
    i = j;
  }
  if (text) parts.push({ text });
  return { ok: true, parts };
}

// ---------------------------------------------------------------------------------------------
// Environments

function withMixedArithmetic(env: Environment): Environment {
  const ops: Record<string, (a: number, b: number) => number> = {
    '+': (a, b) => a + b,
    '-': (a, b) => a - b,
    '*': (a, b) => a * b,
    '/': (a, b) => a / b,
  };
  for (const [op, fn] of Object.entries(ops)) {
    env.registerOperator(`double ${op} int`, (a: number, b: bigint) => fn(a, Number(b)));
    env.registerOperator(`int ${op} double`, (a: bigint, b: number) => fn(Number(a), b));
  }
  env.registerOperator('double == int', (a: number, b: bigint) => a === Number(b));
  return env;
}

const options = { homogeneousAggregateLiterals: false, enableOptionalTypes: true, unlistedVariablesAreDyn: false, limits: expressionParseLimits } as const;

/**
 * The evaluation environment: every variable dynamic (but the time), so values come back as the
 * plain data they are; evaluated with a budget (dsl/expression-budget.ts).
 */
function createEvaluationEnvironment(): MeteredEvaluate {
  const env = withMixedArithmetic(new Environment(options));
  for (const name of expressionVariableNames) env.registerVariable(name, name === 'now' ? 'google.protobuf.Timestamp' : 'dyn');
  env.registerFunction(`string.${LINEAR_MATCHES}(string): bool`, (text: string, pattern: string) => {
    try {
      return matchesLinear(text, pattern);
    } catch (error) {
      throw new Error(`\`${pattern}\` is not a regular expression \`matches\` can use: ${(error as Error).message}`);
    }
  });
  return meterEvaluations(env);
}

let evaluation: MeteredEvaluate | undefined;
function evaluator(): MeteredEvaluate {
  evaluation ??= createEvaluationEnvironment();
  return evaluation;
}

type CelSchema = string | { [field: string]: CelSchema };

/** The CEL type of a JSON Schema, for type-checking (`dyn` where JSON Schema says too little). */
function celTypeOf(schema: unknown, root: JsonSchema, depth = 0): CelSchema {
  const resolved = resolveRef(schema, root);
  if (!resolved || typeof resolved !== 'object' || depth > 20) return 'dyn';
  const s = resolved as JsonSchema;
  const type = s.type;
  if (type === 'string') return 'string';
  if (type === 'integer' || type === 'number') return 'double';
  if (type === 'boolean') return 'bool';
  if (type === 'array') {
    const items = celTypeOf(s.items, root, depth + 1);
    return typeof items === 'string' && items !== 'dyn' ? `list<${items}>` : 'list';
  }
  if (type === 'object' || (type === undefined && s.properties)) {
    const properties = s.properties as Record<string, unknown> | undefined;
    if (!properties || Object.keys(properties).length === 0 || Object.keys(properties).some((k) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))) return 'map';
    const fields: Record<string, CelSchema> = {};
    for (const [name, sub] of Object.entries(properties)) fields[name] = celTypeOf(sub, root, depth + 1);
    return fields;
  }
  return 'dyn';
}

function resolveRef(schema: unknown, root: JsonSchema): unknown {
  let current = schema;
  for (let hops = 0; hops < 10; hops++) {
    if (!current || typeof current !== 'object') return current;
    const ref = (current as JsonSchema).$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#')) return current;
    let target: unknown = root;
    for (const segment of ref.slice(2).split('/').filter(Boolean)) {
      target = target && typeof target === 'object' ? (target as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    }
    current = target;
  }
  return current;
}

// ---------------------------------------------------------------------------------------------
// Checking

/** What a definition declares that expressions may refer to. */
export interface ExpressionScope {
  input?: JsonSchema;
  params: Record<string, 'integer' | 'number' | 'string' | 'boolean' | 'duration'>;
  /** Step ids that produce outcomes (tasks and subprocesses). */
  outcomeSteps: readonly string[];
  /** Task step ids, whose last completer `actors` names. */
  taskSteps?: readonly string[];
}

export interface ExpressionIssue {
  code: Extract<ProblemCode, 'EXPRESSION_SYNTAX' | 'EXPRESSION_UNKNOWN_FIELD' | 'EXPRESSION_TYPE' | 'EXPRESSION_UNKNOWN_STEP' | 'EXPRESSION_TOO_COSTLY' | 'TEMPLATE_UNCLOSED'>;
  message: string;
  /** Offset of the problem inside the checked text. */
  offset: number;
}

const caseFields: Record<string, CelSchema> = {
  id: 'string',
  process: 'string',
  version: 'double',
  owner: 'string',
  priority: 'string',
  customer: 'string',
  // 'timestamp' fields inside an object schema crash cel-js 8.0.0's converter; dyn checks the name only.
  openedAt: 'dyn',
};

const paramTypes = { integer: 'double', number: 'double', string: 'string', boolean: 'bool', duration: 'string' } as const;

interface AstNode {
  op: string;
  args: unknown;
  start: number;
  end: number;
}

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && 'op' in value && 'start' in value;
}

/** A CEL type in a process owner's words. */
function typeInWords(type: string): string {
  if (/^(double|int|uint)$/.test(type)) return 'a number';
  if (type === 'string') return 'text';
  if (type === 'bool') return 'true or false';
  if (type.startsWith('list')) return 'a list';
  if (type.startsWith('map')) return 'a mapping';
  if (type === 'google.protobuf.Timestamp' || type === 'timestamp') return 'a time';
  if (type === 'null_type') return 'null';
  return `a ${type}`;
}

/** Checks expressions of one definition: syntax, names of fields and steps, and types. */
export class ExpressionChecker {
  private readonly env: Environment;
  private readonly roots: Record<string, CelSchema | undefined>;

  constructor(private readonly scope: ExpressionScope) {
    const input = scope.input ? celTypeOf(scope.input, scope.input) : 'map';
    const params: Record<string, CelSchema> = {};
    for (const [name, type] of Object.entries(scope.params)) params[name] = paramTypes[type];
    const outcomes: Record<string, CelSchema> = {};
    for (const step of scope.outcomeSteps) outcomes[step] = 'string';
    const actors: Record<string, CelSchema> = {};
    for (const step of scope.taskSteps ?? []) actors[step] = 'string';
    // The fields each variable is known to have, for "no field `x`" messages (undefined: anything goes).
    const roots: Record<ExpressionVariable, CelSchema | undefined> = { input, data: undefined, outcomes, actors, params, case: caseFields, now: undefined };
    this.roots = { ...roots };

    // The types the type checker sees. Step ids are kebab-case, so outcomes and actors are maps
    // (outcomes["follow-up"]); their names are checked by walking the AST.
    const types: Record<ExpressionVariable, CelSchema> = {
      input,
      data: 'dyn',
      outcomes: 'map<string, string>',
      actors: 'map<string, string>',
      params,
      case: caseFields,
      now: 'google.protobuf.Timestamp',
    };
    const env = withMixedArithmetic(new Environment(options));
    for (const name of expressionVariableNames) {
      const schema = types[name];
      if (typeof schema === 'string') env.registerVariable(name, schema);
      else if (Object.keys(schema).length === 0) env.registerVariable(name, 'map');
      else env.registerVariable({ name, schema: schema as never });
    }
    this.env = env;
  }

  /** Checks a bare expression; `expect: 'bool'` for conditions. */
  checkExpression(source: string, expect: 'bool' | 'any' = 'any', base = 0): ExpressionIssue[] {
    if (source.trim() === '') {
      return [{ code: 'EXPRESSION_SYNTAX', message: `the expression is empty; write one, e.g. \`input.amount > 1000\``, offset: base }];
    }
    let ast: AstNode;
    try {
      ast = this.env.parse(source).ast as unknown as AstNode;
    } catch (error) {
      const e = error as { summary?: string; message: string; range?: { start: number } };
      const reason = e.summary ?? e.message;
      const hint = /Unexpected character: =$/.test(reason) ? '; to compare, write `==`' : '';
      return [{ code: 'EXPRESSION_SYNTAX', message: `\`${source.trim()}\` does not parse: ${reason}${hint}`, offset: base + (e.range?.start ?? 0) }];
    }
    const nameIssues = this.checkNames(ast, source, base);
    if (nameIssues.length > 0) return nameIssues;
    const result = this.env.check(source);
    if (!result.valid) {
      const e = result.error as { summary?: string; message: string; range?: { start: number } } | undefined;
      const reason = e?.summary ?? e?.message ?? 'type error';
      const overload = /no such overload: (\S+) (\S+) (\S+)$/.exec(reason);
      const [left, right] = [typeInWords(overload?.[1] ?? ''), typeInWords(overload?.[3] ?? '')];
      const words = !overload ? reason : left !== right ? `\`${overload[2]}\` cannot combine ${left} and ${right} (${reason})` : `\`${overload[2]}\` is not defined for these values (${reason})`;
      return [{ code: 'EXPRESSION_TYPE', message: `\`${source.trim()}\`: ${words}`, offset: base + (e?.range?.start ?? 0) }];
    }
    const pattern = unusablePattern(source);
    if (pattern) return [{ code: 'EXPRESSION_SYNTAX', message: `\`${source.trim()}\`: \`matches\` takes RE2 patterns (no backreferences or lookarounds), and \`${pattern.pattern}\` is not one: ${pattern.reason}`, offset: base + pattern.offset }];
    const type = result.type ?? 'dyn';
    if (expect === 'bool' && type !== 'bool' && type !== 'dyn') {
      const example = /^(double|int|uint)$/.test(type) ? `${source.trim()} > 0` : type === 'string' ? `${source.trim()} == "..."` : `size(${source.trim()}) > 0`;
      return [{ code: 'EXPRESSION_TYPE', message: `the condition \`${source.trim()}\` gives ${typeInWords(type)}, not true or false; compare it with something, e.g. \`${example}\``, offset: base }];
    }
    const costly = this.nestedLoop(ast, source, base);
    return costly ? [costly] : [];
  }

  /**
   * A loop over a list of the case's data inside a loop over another (`input.a.exists(x,
   * input.b.exists(y, x == y))`) costs the product of their lengths, which the case's data
   * decides: the first such loop whose product may pass what the budget affords
   * (`maxNestedRounds`). A list's length is its `maxItems` in the input schema, or else the
   * most a case input can hold. Not counted: lists written in the definition (literals,
   * `params`, `outcomes`, `actors`), and a loop over a part of the outer loop's element
   * (`input.orders.all(o, o.lines.all(l, ...))`), which only walks the data once. What the
   * check cannot see (`x in list` inside a loop, texts grown with `cel.bind`) the run-time
   * budget still bounds.
   */
  private nestedLoop(ast: AstNode, source: string, base: number): ExpressionIssue | undefined {
    let issue: ExpressionIssue | undefined;
    const visit = (node: unknown, loops: readonly Loop[]): void => {
      if (issue) return;
      if (Array.isArray(node)) {
        for (const child of node) visit(child, loops);
        return;
      }
      if (!isNode(node)) return;
      const loop = comprehensionOf(node);
      if (!loop) {
        visit(node.args, loops);
        return;
      }
      visit(loop.range, loops);
      const range = this.rangeOf(loop.range, loops);
      const outer = loops.filter((l) => l.range !== 'definition');
      if (typeof range === 'object' && outer.length > 0) {
        // A loop over a part of an enclosing element walks data its enclosing loop already counted.
        const lengths = [...outer.map((l) => l.range), range].map((r, i) => (typeof r === 'object' ? r : { length: i > 0 ? 1 : caseListLength, declared: i > 0 }));
        const rounds = lengths.reduce((product, r) => product * r.length, 1);
        if (rounds > maxNestedRounds) {
          const text = (n: AstNode) => `\`${source.slice(n.start, n.end).trim()}\``;
          const nearest = outer[outer.length - 1] as Loop;
          const undeclared = lengths.some((r) => !r.declared);
          issue = {
            code: 'EXPRESSION_TOO_COSTLY',
            message:
              `\`${source.trim()}\` goes through ${text(loop.range)} once for every element of ${text(nearest.node)}: ` +
              `up to ${rounds.toLocaleString('en')} rounds${undeclared ? ` (a list without \`maxItems\` in the input schema may hold ${caseListLength.toLocaleString('en')} elements)` : ''}, ` +
              `more than the ${maxNestedRounds.toLocaleString('en')} an expression's budget of ${expressionBudget.operations.toLocaleString('en')} operations affords, so a case with lists that long would fail at this step; ` +
              `bound the lists with \`maxItems\` in the input schema so that the product of their lengths is at most ${maxNestedRounds.toLocaleString('en')}, or go through each list once`,
            offset: base + loop.range.start,
          };
          return;
        }
      }
      visit(loop.body, [...loops, { variable: loop.variable, node: loop.range, range }]);
    };
    visit(ast, []);
    return issue;
  }

  /** How long a loop's list can be: written in the definition, a part of an enclosing loop's element, or case data of a known or unknown length. */
  private rangeOf(range: AstNode, loops: readonly Loop[]): LoopRange {
    if (range.op === 'list') return 'definition';
    const chain = memberChain(range) ?? (range.op === 'id' ? { root: range.args as string, fields: [] } : undefined);
    if (chain && loops.some((l) => l.variable === chain.root)) return 'follows';
    if (chain && ['params', 'outcomes', 'actors', 'case'].includes(chain.root)) return 'definition';
    if (mentionsAny(range, loops.map((l) => l.variable))) return 'follows';
    if (chain?.root === 'input' && this.scope.input) {
      let schema: unknown = this.scope.input;
      for (const field of chain.fields) {
        const resolved = resolveRef(schema, this.scope.input) as JsonSchema | undefined;
        const properties = resolved && typeof resolved === 'object' ? (resolved.properties as Record<string, unknown> | undefined) : undefined;
        schema = properties?.[field.name];
      }
      const maxItems = (resolveRef(schema, this.scope.input) as JsonSchema | undefined)?.maxItems;
      if (typeof maxItems === 'number' && maxItems >= 0) return { length: maxItems, declared: true };
    }
    return { length: caseListLength, declared: false };
  }

  /** Checks every `${...}` of a template. */
  checkTemplate(source: string): ExpressionIssue[] {
    const parsed = parseTemplate(source);
    if (!parsed.ok) return [{ code: 'TEMPLATE_UNCLOSED', message: `${parsed.message} in \`${source}\``, offset: parsed.offset }];
    return parsed.parts.flatMap((part) => ('expression' in part ? this.checkExpression(part.expression, 'any', part.offset) : []));
  }

  /**
   * Follows member chains from the root variables (`input.customer.name`,
   * `outcomes["follow-up"]`) through their declared fields, so an unknown field is reported
   * with the path walked so far and the nearest known name.
   */
  private checkNames(ast: AstNode, source: string, base: number): ExpressionIssue[] {
    const issues: ExpressionIssue[] = [];
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) {
        node.forEach(visit);
        return;
      }
      if (!isNode(node)) return;
      const chain = memberChain(node);
      if (chain) {
        const issue = this.resolveChain(chain, source, base);
        if (issue) {
          issues.push(issue);
          return;
        }
      }
      if (node.op === 'id') {
        const name = node.args as string;
        if (!(name in this.roots) && !this.env.hasVariable(name)) {
          issues.push({
            code: 'EXPRESSION_UNKNOWN_FIELD',
            message: `\`${name}\` is not something an expression can use: start from ${expressionVariablesInWords()}${didYouMean(name, Object.keys(this.roots))}`,
            offset: base + node.start,
          });
        }
        return;
      }
      if (node.op === 'rcall' || node.op === 'call') {
        // Macro variables (`list.exists(x, x > 1)`) are local names, not roots.
        const args = node.args as unknown[];
        const [, receiver, params] = node.op === 'rcall' ? args : [undefined, undefined, args[1]];
        visit(receiver);
        const list = (params as unknown[]) ?? [];
        const local = node.op === 'rcall' && isNode(list[0]) && list[0].op === 'id' && list.length > 1 ? (list[0].args as string) : undefined;
        for (const param of local ? list.slice(1) : list) this.visitWithLocal(param, local, visit);
        return;
      }
      visit(node.args);
    };
    visit(ast);
    return issues;
  }

  private visitWithLocal(node: unknown, local: string | undefined, visit: (node: unknown) => void): void {
    if (!local) {
      visit(node);
      return;
    }
    const saved = this.roots[local];
    const had = local in this.roots;
    this.roots[local] = undefined;
    try {
      visit(node);
    } finally {
      if (had) this.roots[local] = saved;
      else delete this.roots[local];
    }
  }

  private resolveChain(chain: { root: string; fields: { name: string; start: number }[] }, source: string, base: number): ExpressionIssue | undefined {
    if (!(chain.root in this.roots)) return undefined;
    let schema = this.roots[chain.root];
    const walked = [chain.root];
    for (const field of chain.fields) {
      if (schema === undefined || typeof schema === 'string') return undefined; // dynamic or a value: nothing more to check
      if (!(field.name in schema)) {
        const known = Object.keys(schema);
        const where = walked.join('.');
        if (chain.root === 'actors') {
          return {
            code: 'EXPRESSION_UNKNOWN_STEP',
            message: `\`actors\` has no step \`${field.name}\`: only task steps are completed by someone${didYouMean(field.name, known)}`,
            offset: base + field.start,
          };
        }
        if (chain.root === 'outcomes') {
          return {
            code: 'EXPRESSION_UNKNOWN_STEP',
            message: `\`outcomes\` has no step \`${field.name}\`: only tasks and subprocesses have outcomes${didYouMean(field.name, known)}`,
            offset: base + field.start,
          };
        }
        const owner = chain.root === 'input' ? 'the input schema' : `\`${chain.root}\``;
        const scopeText = walked.length > 1 ? ` under \`${where}\`` : '';
        return {
          code: 'EXPRESSION_UNKNOWN_FIELD',
          message: `${owner} has no field \`${field.name}\`${scopeText} (in \`${source.trim()}\`)${didYouMean(field.name, known)}`,
          offset: base + field.start,
        };
      }
      schema = schema[field.name];
      walked.push(field.name);
    }
    return undefined;
  }
}

/**
 * The most rounds a loop inside a loop may take: a tenth of the operations budget, since a
 * round costs several operations (its condition, the fields it reads, the comparison).
 */
const maxNestedRounds = expressionBudget.operations / 10;
/** The most elements a list in a case input can hold: `[0,0,...]` takes two bytes an element. */
const caseListLength = MAX_CASE_INPUT_BYTES / 2;

/** How long a loop's list can be (see ExpressionChecker.rangeOf). */
type LoopRange = 'definition' | 'follows' | { length: number; declared: boolean };
interface Loop {
  variable: string;
  node: AstNode;
  range: LoopRange;
}

const comprehensionMacros = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

/** `list.exists(x, ...)` and the other comprehensions as their variable, list and body; undefined for anything else. */
function comprehensionOf(node: AstNode): { variable: string; range: AstNode; body: unknown[] } | undefined {
  if (node.op !== 'rcall') return undefined;
  const [name, receiver, params] = node.args as [string, unknown, unknown[]];
  const [variable, ...body] = params ?? [];
  if (!comprehensionMacros.has(name) || !isNode(receiver) || !isNode(variable) || variable.op !== 'id' || body.length === 0) return undefined;
  return { variable: variable.args as string, range: receiver, body };
}

/** True when the expression reads one of `names` as a variable. */
function mentionsAny(node: unknown, names: readonly string[]): boolean {
  if (names.length === 0) return false;
  if (Array.isArray(node)) return node.some((child) => mentionsAny(child, names));
  if (!isNode(node)) return false;
  if (node.op === 'id') return names.includes(node.args as string);
  return mentionsAny(node.args, names);
}

/** `input.customer.name` / `outcomes["x"]` as a root and fields, or undefined for anything else. */
function memberChain(node: AstNode): { root: string; fields: { name: string; start: number }[] } | undefined {
  const fields: { name: string; start: number }[] = [];
  let current: AstNode = node;
  for (;;) {
    if (current.op === '.' || current.op === '.?') {
      const [object, name] = current.args as [AstNode, string];
      fields.unshift({ name, start: object.end + (current.op === '.?' ? 2 : 1) });
      current = object;
    } else if (current.op === '[]' || current.op === '[?]') {
      const [object, index] = current.args as [AstNode, AstNode];
      if (!isNode(index) || index.op !== 'value' || typeof index.args !== 'string') return undefined;
      fields.unshift({ name: index.args, start: index.start + 1 });
      current = object;
    } else if (current.op === 'id') {
      return fields.length > 0 ? { root: current.args as string, fields } : undefined;
    } else {
      return undefined;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** What expressions see when a case evaluates them. */
export interface ExpressionContext {
  input: unknown;
  data: Record<string, unknown>;
  outcomes: Record<string, string>;
  /** Who last completed each task step (the actor's id), by step id. */
  actors?: Record<string, string>;
  params: Record<string, unknown>;
  case: { id: string; process: string; version: number; owner?: string | null; priority?: string; customer?: string; openedAt: string };
  /** Milliseconds since the epoch. */
  now: number;
}

/** Raised when an expression fails while a case runs (a missing field, a division by zero). */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    readonly expression: string,
    readonly reason: string,
  ) {
    super(`expression \`${expression.trim()}\` failed: ${reason}`);
  }
}

/**
 * Raised when an expression runs out of its budget (dsl/expression-budget.ts): too many
 * operations, or a text, list or mapping built past its size limit. Counted, never timed: the
 * same expression on the same data fails the same way on every machine and every replay.
 */
export class ExpressionBudgetError extends ExpressionError {
  /** What ran out: `operations`, or the size of a `text`, `list` or `mapping`. */
  readonly exhausted: BudgetExhaustion['kind'];
  constructor(expression: string, exhaustion: BudgetExhaustion) {
    super(expression, budgetReason(exhaustion));
    this.exhausted = exhaustion.kind;
  }
}

function budgetReason(exhaustion: BudgetExhaustion): string {
  const limit = exhaustion.limit.toLocaleString('en');
  if (exhaustion.kind === 'operations') {
    return `it used up its budget of ${limit} operations; a loop over a list inside a loop over another, or over a very large one, costs that much: go through each list once, or bound the lists with \`maxItems\` in the input schema`;
  }
  const unit = exhaustion.kind === 'text' ? 'characters' : exhaustion.kind === 'list' ? 'elements' : 'entries';
  return `it built a ${exhaustion.kind} of ${exhaustion.size.toLocaleString('en')} ${unit}, more than the ${limit} an expression may build`;
}

function celContext(context: ExpressionContext): Record<ExpressionVariable, unknown> {
  return {
    input: context.input ?? {},
    data: context.data,
    outcomes: context.outcomes,
    actors: context.actors ?? {},
    params: context.params,
    case: { ...context.case, openedAt: new Date(context.case.openedAt) },
    now: new Date(context.now),
  };
}

/** Turns CEL values into plain JSON data: ints to numbers, timestamps to ISO text, maps to objects. */
export function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), toPlain(v)]));
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Uint8Array) return Array.from(value);
  if (value && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
    }
    if ('hasValue' in value && typeof (value as { hasValue: unknown }).hasValue === 'function') {
      const optional = value as { hasValue(): boolean; value(): unknown };
      return optional.hasValue() ? toPlain(optional.value()) : null;
    }
    return String(value);
  }
  return value;
}

/** The first literal pattern of a `.matches("...")` call that RE2 cannot run (patterns built at run time fail when the case gets there). */
function unusablePattern(source: string): { pattern: string; reason: string; offset: number } | undefined {
  for (const call of source.matchAll(/\.\s*matches\s*\(\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*\)/g)) {
    const literal = call[1] as string;
    let pattern: string;
    try {
      pattern = literal.startsWith('"') ? (JSON.parse(literal) as string) : (JSON.parse(`"${literal.slice(1, -1).replace(/"/g, '\\"')}"`) as string);
    } catch {
      continue;
    }
    const reason = re2Problem(pattern);
    if (reason) return { pattern, reason, offset: call.index ?? 0 };
  }
  return undefined;
}

const evaluated = new Map<string, string>();

function run(expression: string, context: Record<string, unknown>): unknown {
  let linear = evaluated.get(expression);
  if (linear === undefined) {
    linear = withLinearMatches(expression);
    if (evaluated.size > 2000) evaluated.clear();
    evaluated.set(expression, linear);
  }
  try {
    return evaluator()(linear, context).value;
  } catch (error) {
    if (error instanceof BudgetExhausted) throw new ExpressionBudgetError(expression, error.exhaustion);
    const e = error as { summary?: string; message?: string };
    throw new ExpressionError(expression, e.summary ?? e.message ?? String(error));
  }
}

/** Evaluates a condition; anything but a boolean is an error, never silently false. */
export function evaluateCondition(expression: string, context: ExpressionContext): boolean {
  const value = run(expression, celContext(context));
  if (typeof value !== 'boolean') throw new ExpressionError(expression, `it gave ${JSON.stringify(toPlain(value))}, not true or false`);
  return value;
}

/** Evaluates a template: exactly one placeholder keeps its type, otherwise the parts are joined as text. */
export function evaluateTemplate(template: string, context: ExpressionContext): unknown {
  if (!isTemplate(template)) return template.replace(/\$\$\{/g, '${');
  const parsed = parseTemplate(template);
  if (!parsed.ok) throw new ExpressionError(template, parsed.message);
  const cel = celContext(context);
  const [only] = parsed.parts;
  if (parsed.parts.length === 1 && only && 'expression' in only) return toPlain(run(only.expression, cel));
  return parsed.parts
    .map((part) => {
      if ('text' in part) return part.text;
      const value = toPlain(run(part.expression, cel));
      return typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value);
    })
    .join('');
}

/** Evaluates every template inside a mapping (objects and lists walked, other values kept). */
export function evaluateMapping(mapping: unknown, context: ExpressionContext): unknown {
  if (typeof mapping === 'string') return evaluateTemplate(mapping, context);
  if (Array.isArray(mapping)) return mapping.map((item) => evaluateMapping(item, context));
  if (mapping && typeof mapping === 'object') {
    return Object.fromEntries(Object.entries(mapping).map(([key, value]) => [key, evaluateMapping(value, context)]));
  }
  return mapping;
}
