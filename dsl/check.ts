/**
 * The meaning checks: what the schema cannot see. Unknown step targets, unreachable steps,
 * steps that can never end, loops with no way out, unknown roles, activities and subprocesses,
 * outcomes without a route, expressions that do not parse or name fields that do not exist,
 * durations that cannot be read.
 *
 * Pure and defensive: it runs on documents that may have failed the schema (so that every
 * problem is reported at once) and inside the workflow (so that a worker never runs a
 * definition that does not pass), and never throws on odd shapes.
 */
import { parseDuration } from './durations.js';
import type { Parameter } from '../model/generated/process-definition.js';
import { parameterProblem } from './parameters.js';
import { ExpressionChecker, isTemplate, type ExpressionScope, type JsonSchema } from './expressions.js';
import { isObject, walkSteps, type Json, type StepEntry } from './document.js';
import type { UnlocatedProblem } from './problems.js';
import { closest, didYouMean, listOf, pointer, segmentsOf } from './names.js';
import { checkSlas } from './check-sla.js';
import type { CheckContext } from './check-context.js';
import { kindOfStep, stepKindList, stepKindModules, type StepKindModule } from './steps/index.js';
import type { ExpressionSite, StepCheck, StepEdge } from './steps/types.js';

export type { ActivityInputSpec, CheckContext, KnownActivities } from './check-context.js';

/**
 * The kinds a step may be: its own, or every kind when it names none or several (the schema
 * reports that), so that its transitions and expressions are still followed and checked.
 */
function candidateKinds(step: Json): readonly StepKindModule[] {
  const kind = kindOfStep(step);
  return kind ? [kind] : stepKindList;
}

/** The transitions a step declares (not the implicit ones into parallel branches). */
export function edgesOf(entry: StepEntry): StepEdge[] {
  const { step, path } = entry;
  const edges: StepEdge[] = [];
  const add = (target: unknown, at: string) => {
    if (typeof target === 'string') edges.push({ target, path: at });
  };
  if (isObject(step.then)) {
    for (const [outcome, target] of Object.entries(step.then)) add(target, `${path}${pointer('then', outcome)}`);
  } else add(step.then, `${path}/then`);
  for (const kind of candidateKinds(step)) edges.push(...kind.edges(entry));
  if (isObject(step.visits)) add(step.visits.then, `${path}/visits/then`);
  return edges;
}

/** The pointers of the branches a step holds (`/steps/x/parallel/b`), each a scope of its own. */
function branchScopesOf(entry: StepEntry): string[] {
  return stepKindList.flatMap((kind) => (kind.branches?.(entry.step) ?? []).map(([branch]) => `${entry.path}${pointer(kind.key, branch)}`));
}

/** The outcomes a process can end with: the `end:` values of its top-level end steps. */
export function endOutcomes(doc: unknown): string[] {
  const outcomes = new Set<string>();
  for (const entry of walkSteps(doc)) {
    if (entry.scope === '' && stepKindModules.end.holds(entry.step)) outcomes.add(entry.step.end as string);
  }
  return [...outcomes];
}

export function checkDefinition(doc: unknown, context: CheckContext = {}): UnlocatedProblem[] {
  if (!isObject(doc)) return [];
  const problems: UnlocatedProblem[] = [];
  const entries = [...walkSteps(doc)];
  const byScope = new Map<string, StepEntry[]>();
  const firstById = new Map<string, StepEntry>();
  for (const entry of entries) {
    byScope.set(entry.scope, [...(byScope.get(entry.scope) ?? []), entry]);
    const first = firstById.get(entry.id);
    if (first) {
      problems.push({
        path: entry.path,
        at: 'key',
        code: 'STEP_DUPLICATE_ID',
        message: `step id \`${entry.id}\` is used twice (also at ${scopeName(first.scope)}); give one of them another id`,
      });
    } else firstById.set(entry.id, entry);
  }
  const roles = isObject(doc.roles) ? Object.keys(doc.roles) : [];

  checkRoles(doc, roles, problems);
  checkParameters(doc, problems);
  checkTransitions(doc, byScope, firstById, problems);
  checkGraph(doc, byScope, problems);
  const taskSteps = entries.filter((e) => isObject(e.step.task)).map((e) => e.id);
  for (const entry of entries) checkStep(entry, roles, taskSteps, context, problems, typeof doc.calendar === 'string');
  const checker = checkExpressions(doc, entries, problems);
  problems.push(...checkSlas(doc, { ...context, checker }));

  if (context.calendars && typeof doc.calendar === 'string' && !context.calendars.has(doc.calendar)) {
    problems.push({
      path: '/calendar',
      code: 'CALENDAR_UNKNOWN',
      message: `calendar \`${doc.calendar}\` is not defined; known calendars: ${listOf([...context.calendars].sort(), 'and') || 'none'}${didYouMean(doc.calendar, context.calendars)}`,
    });
  }
  if (context.checkJsonSchema && isObject(doc.input)) problems.push(...context.checkJsonSchema(doc.input, '/input'));
  return problems;
}

function scopeName(scope: string): string {
  if (scope === '') return 'the top level';
  const segments = segmentsOf(scope);
  return `branch \`${segments[segments.length - 1]}\` of step \`${segments[segments.length - 3]}\``;
}

function checkRoles(doc: Json, roles: string[], problems: UnlocatedProblem[]): void {
  if (!isObject(doc.roles)) return;
  if (Array.isArray(doc['may-cancel'])) {
    doc['may-cancel'].forEach((name, i) => {
      if (typeof name === 'string' && !roles.includes(name)) {
        problems.push({
          path: pointer('may-cancel', i),
          code: 'ROLE_UNKNOWN',
          message: `\`may-cancel\` names \`${name}\`, which \`roles\` does not declare${didYouMean(name, roles) || `; declared roles: ${listOf(roles, 'and')}`}`,
        });
      }
    });
  }
  for (const [name, role] of Object.entries(doc.roles)) {
    if (!isObject(role) || !Array.isArray(role['acts-for'])) continue;
    role['acts-for'].forEach((other, i) => {
      if (typeof other === 'string' && !roles.includes(other)) {
        problems.push({
          path: pointer('roles', name, 'acts-for', i),
          code: 'ROLE_UNKNOWN',
          message: `role \`${name}\` acts for \`${other}\`, which \`roles\` does not declare${didYouMean(other, roles)}`,
        });
      }
    });
  }
}

function checkParameters(doc: Json, problems: UnlocatedProblem[]): void {
  if (!isObject(doc.parameters)) return;
  for (const [name, parameter] of Object.entries(doc.parameters)) {
    if (!isObject(parameter) || !('default' in parameter) || typeof parameter.type !== 'string') continue;
    const problem = parameterProblem(parameter as unknown as Parameter, parameter.default);
    if (problem) problems.push({ path: pointer('parameters', name, 'default'), code: 'PARAMETER_INVALID', message: `parameter \`${name}\`: the default ${problem}` });
  }
  // A parameter nothing reads misleads whoever sets it for a case: the number changes nothing.
  const { parameters: _declared, ...rest } = doc;
  const used = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === 'string') for (const match of value.matchAll(/\bparams\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)|\bparams\s*\[\s*['"]([^'"]+)['"]\s*\]/g)) used.add(match[1] ?? match[2] ?? '');
    else if (Array.isArray(value)) value.forEach(collect);
    else if (isObject(value)) Object.values(value).forEach(collect);
  };
  collect(rest);
  const wellFormed = (name: string, parameter: unknown) =>
    /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) &&
    isObject(parameter) &&
    typeof parameter.description === 'string' &&
    ['integer', 'number', 'string', 'boolean', 'duration'].includes(String(parameter.type)) &&
    'default' in parameter &&
    parameterProblem(parameter as unknown as Parameter, parameter.default) === undefined;
  for (const [name, parameter] of Object.entries(doc.parameters)) {
    // A parameter that is itself wrong is reported for that; whether it is used comes after.
    if (used.has(name) || !wellFormed(name, parameter)) continue;
    problems.push({
      path: pointer('parameters', name),
      at: 'key',
      code: 'PARAMETER_UNUSED',
      message: `parameter \`${name}\` is declared but nothing uses it, so setting it for a case would change nothing; use it in an expression (\`\${params.${name}}\`) or remove it`,
    });
  }
}

function checkTransitions(doc: Json, byScope: Map<string, StepEntry[]>, firstById: Map<string, StepEntry>, problems: UnlocatedProblem[]): void {
  const topIds = (byScope.get('') ?? []).map((e) => e.id);
  if (typeof doc.start === 'string' && !topIds.includes(doc.start)) {
    problems.push({ path: '/start', code: 'START_UNKNOWN', message: `\`start\` names step \`${doc.start}\`, which does not exist${didYouMean(doc.start, topIds)}` });
  }
  for (const [scope, entries] of byScope) {
    const ids = entries.map((e) => e.id);
    if (scope !== '') {
      const branch = isObject(valueAtPointer(doc, scope)) ? (valueAtPointer(doc, scope) as Json) : undefined;
      if (branch && typeof branch.start === 'string' && !ids.includes(branch.start)) {
        problems.push({ path: `${scope}/start`, code: 'START_UNKNOWN', message: `${scopeName(scope)} starts at \`${branch.start}\`, which is not one of its steps${didYouMean(branch.start, ids)}` });
      }
    }
    for (const entry of entries) {
      for (const edge of edgesOf(entry)) {
        if (ids.includes(edge.target)) continue;
        const elsewhere = firstById.get(edge.target);
        const code = edge.path.endsWith('/visits/then') ? 'VISITS_TARGET_UNKNOWN' : 'STEP_UNKNOWN_TARGET';
        problems.push({
          path: edge.path,
          code,
          message: elsewhere
            ? `step \`${entry.id}\` goes to \`${edge.target}\`, which is in ${scopeName(elsewhere.scope)}; a transition cannot cross into or out of a parallel branch`
            : `step \`${entry.id}\` goes to \`${edge.target}\`, which does not exist${didYouMean(edge.target, ids)}`,
        });
      }
      const kind = kindOfStep(entry.step);
      if (lacksThen(entry)) {
        problems.push({
          path: entry.path,
          at: 'key',
          code: 'STEP_MISSING_THEN',
          message: `step \`${entry.id}\` does not say where the case goes next: add \`then: <step>\`${kind?.missingThenHint ?? ''}`,
        });
      }
      if (kind?.flow === 'ends' && scope !== '') {
        problems.push({
          path: `${entry.path}${pointer(kind.key)}`,
          at: 'key',
          code: 'STEP_END_IN_BRANCH',
          message: `step \`${entry.id}\` ends the case from inside ${scopeName(scope)}; leave out \`then\` on a branch's last step to finish the branch instead`,
        });
      }
    }
  }
}

function valueAtPointer(doc: unknown, path: string): unknown {
  let current = doc;
  for (const segment of segmentsOf(path)) current = isObject(current) || Array.isArray(current) ? (current as Json)[segment] : undefined;
  return current;
}

/**
 * Reachability and termination, scope by scope. A scope's terminals are its end steps (top
 * level) or the steps that leave out `then` (a branch's last steps). Steps that cannot reach a
 * terminal are reported once per loop (LOOP_NO_EXIT) or once per step otherwise.
 */
function checkGraph(doc: Json, byScope: Map<string, StepEntry[]>, problems: UnlocatedProblem[]): void {
  const reachableScopes = new Set<string>(['']);
  const scopes = [...byScope.keys()].sort((a, b) => a.length - b.length);
  for (const scope of scopes) {
    const entries = byScope.get(scope) ?? [];
    if (entries.length === 0) continue;
    const ids = new Set(entries.map((e) => e.id));
    const owner = scope === '' ? doc : valueAtPointer(doc, scope);
    const declaredStart = isObject(owner) && typeof owner.start === 'string' && ids.has(owner.start) ? owner.start : undefined;
    const start = declaredStart ?? entries[0]?.id;
    const next = new Map<string, string[]>();
    for (const entry of entries) {
      // A misspelt `then` (reported by the schema) still says where the author meant to go;
      // following it avoids a cascade of "unreachable" and "cannot end" for one typo.
      const meant = misspeltThen(entry.step);
      // Likewise a misspelt target (reported with its "did you mean") counts as going to the
      // step it nearly names, so the steps after it are not also reported unreachable.
      const targets = [...edgesOf(entry).map((e) => e.target), ...(typeof meant === 'string' ? [meant] : [])];
      next.set(entry.id, targets.map((t) => (ids.has(t) ? t : closest(t, ids))).filter((t): t is string => t !== undefined && ids.has(t)));
    }

    // Reachability from the start.
    const reached = new Set<string>();
    const queue = start ? [start] : [];
    while (queue.length > 0) {
      const id = queue.shift() as string;
      if (reached.has(id)) continue;
      reached.add(id);
      queue.push(...(next.get(id) ?? []));
    }
    const scopeReachable = reachableScopes.has(scope);
    for (const entry of entries) {
      if (reached.has(entry.id) && scopeReachable) branchScopesOf(entry).forEach((branch) => reachableScopes.add(branch));
      if (!reached.has(entry.id) && scopeReachable) {
        problems.push({
          path: entry.path,
          at: 'key',
          code: 'STEP_UNREACHABLE',
          message: `step \`${entry.id}\` is never reached: no step${scope === '' ? '' : ` of ${scopeName(scope)}`} goes to it and it is not the start. Link it from another step or delete it`,
        });
      }
    }

    // Termination: reverse search from the terminals.
    const terminal = (entry: StepEntry) => {
      const kind = kindOfStep(entry.step);
      if (scope === '') return kind?.flow === 'ends' || kind === undefined || hasUnknownTarget(entry, ids);
      return kind === undefined || (entry.step.then === undefined && kind.flow !== 'routes') || hasUnknownTarget(entry, ids);
    };
    const canEnd = new Set(entries.filter(terminal).map((e) => e.id));
    let grew = true;
    while (grew) {
      grew = false;
      for (const entry of entries) {
        if (canEnd.has(entry.id)) continue;
        if ((next.get(entry.id) ?? []).some((t) => canEnd.has(t))) {
          canEnd.add(entry.id);
          grew = true;
        }
      }
    }
    const stuck = entries.filter((e) => !canEnd.has(e.id) && reached.has(e.id));
    const loops = stronglyConnected(stuck.map((e) => e.id), (id) => (next.get(id) ?? []).filter((t) => !canEnd.has(t)));
    const inLoop = new Set<string>();
    for (const loop of loops) {
      const selfLoop = loop.length === 1 && (next.get(loop[0] ?? '') ?? []).includes(loop[0] ?? '');
      if (loop.length < 2 && !selfLoop) continue;
      // A loop that only leads into another stuck loop is reported there.
      loop.forEach((id) => inLoop.add(id));
      const first = entries.find((e) => e.id === loop[0]);
      if (!first) continue;
      const end = scope === '' ? 'an end step' : 'the end of the branch';
      problems.push({
        path: first.path,
        at: 'key',
        code: 'LOOP_NO_EXIT',
        message: selfLoop
          ? `step \`${first.id}\` only ever goes back to itself and never leads to ${end}: add a transition out of it, or \`visits: { max: N, then: <step> }\``
          : `steps ${listOf(loop, 'and')} go round in a loop that never leads to ${scope === '' ? 'an end step' : 'the end of the branch'}: add a transition out of the loop, or \`visits: { max: N, then: <step> }\` on one of them`,
      });
    }
    for (const entry of stuck) {
      if (inLoop.has(entry.id) || lacksThen(entry)) continue; // a step without `then` is reported as such
      const leadsIntoLoop = (next.get(entry.id) ?? []).some((t) => inLoop.has(t));
      if (leadsIntoLoop) continue;
      problems.push({
        path: entry.path,
        at: 'key',
        code: 'STEP_CANNOT_END',
        message: `from step \`${entry.id}\` no path leads to ${scope === '' ? 'an end step' : 'the end of the branch'}, so a case that gets here could never close`,
      });
    }
  }
}

/** A top-level step that should say where to go next and does not (STEP_MISSING_THEN). */
function lacksThen(entry: StepEntry): boolean {
  const kind = kindOfStep(entry.step);
  return entry.scope === '' && kind?.flow === 'then' && entry.step.then === undefined && misspeltThen(entry.step) === undefined;
}

/** Every key a step of any kind may have: others are typos the schema reports. */
const stepKeys = ['title', 'description', 'visits', 'then', ...stepKindList.flatMap((kind) => kind.keys)];

/** The value of a key that is a typo of `then` (`than`, `thne`), when the step has no `then`. */
function misspeltThen(step: Json): unknown {
  if (step.then !== undefined) return undefined;
  const key = Object.keys(step).find((k) => !stepKeys.includes(k) && closest(k, ['then']) === 'then');
  return key === undefined ? undefined : step[key];
}

function hasUnknownTarget(entry: StepEntry, ids: Set<string>): boolean {
  return edgesOf(entry).some((edge) => !ids.has(edge.target));
}

/** Tarjan's strongly connected components, each in the order its steps were listed. */
function stronglyConnected(nodes: string[], next: (id: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const result: string[][] = [];
  const order = new Map(nodes.map((id, i) => [id, i]));
  let counter = 0;
  const visit = (id: string) => {
    index.set(id, counter);
    low.set(id, counter);
    counter++;
    stack.push(id);
    onStack.add(id);
    for (const target of next(id)) {
      if (!order.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(id, Math.min(low.get(id) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) low.set(id, Math.min(low.get(id) ?? 0, index.get(target) ?? 0));
    }
    if (low.get(id) === index.get(id)) {
      const component: string[] = [];
      for (;;) {
        const top = stack.pop() as string;
        onStack.delete(top);
        component.push(top);
        if (top === id) break;
      }
      result.push(component.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)));
    }
  };
  for (const id of nodes) if (!index.has(id)) visit(id);
  return result;
}

/** The checks of the step's own kind, with the helpers that need the whole definition (roles, calendar). */
function checkStep(entry: StepEntry, roles: string[], taskSteps: readonly string[], context: CheckContext, problems: UnlocatedProblem[], hasCalendar: boolean): void {
  const kind = kindOfStep(entry.step);
  if (!kind) return; // the schema reports a step with no kind or several
  const { id } = entry;
  const check: StepCheck = {
    entry,
    context,
    report: (problem) => problems.push(problem),
    taskSteps,
    role(name, at, what) {
      if (typeof name === 'string' && roles.length > 0 && !roles.includes(name)) {
        problems.push({ path: at, code: 'ROLE_UNKNOWN', message: `step \`${id}\` ${what} \`${name}\`, which \`roles\` does not declare${didYouMean(name, roles) || `; declared roles: ${listOf(roles, 'and')}`}` });
      }
    },
    duration(value, at, what, elapsedOnly = false) {
      if (typeof value !== 'string') return;
      const parsed = parseDuration(value);
      if (!parsed.ok) {
        problems.push({ path: at, code: 'DURATION_INVALID', message: `step \`${id}\`: ${what} ${parsed.message}` });
        return;
      }
      const counted = parsed.value.kind;
      if (elapsedOnly && counted !== 'elapsed') {
        problems.push({ path: at, code: 'DURATION_INVALID', message: `step \`${id}\`: ${what} \`${value}\` must be plain time, like \`30s\`, \`5m\` or \`2h\` (not business time or an expression)` });
      } else if ((counted === 'business-hours' || counted === 'working-days') && !hasCalendar) {
        problems.push({ path: at, code: 'DURATION_INVALID', message: `step \`${id}\`: ${what} \`${value}\` counts business time, which needs a business calendar: add \`calendar:\` to the process` });
      }
    },
  };
  kind.check(check);
}

/** The expression scope a definition declares: input schema, parameters, steps with outcomes. */
export function expressionScopeOf(doc: Json): ExpressionScope {
  const params: ExpressionScope['params'] = {};
  if (isObject(doc.parameters)) {
    for (const [name, parameter] of Object.entries(doc.parameters)) {
      const type = isObject(parameter) ? parameter.type : undefined;
      if (type === 'integer' || type === 'number' || type === 'string' || type === 'boolean' || type === 'duration') params[name] = type;
    }
  }
  // A step counts when its kind key has the right shape, whatever else it holds: a typo elsewhere in it should not hide it.
  const namedBy = (variable: 'outcomes' | 'actors') => [...walkSteps(doc)].filter((e) => stepKindList.some((kind) => kind.namedBy?.includes(variable) && kind.holds(e.step))).map((e) => e.id);
  const outcomeSteps = namedBy('outcomes');
  const taskSteps = namedBy('actors');
  return { input: isObject(doc.input) ? (doc.input as JsonSchema) : undefined, params, outcomeSteps, taskSteps };
}

function checkExpressions(doc: Json, entries: StepEntry[], problems: UnlocatedProblem[]): ExpressionChecker {
  let checker: ExpressionChecker;
  try {
    checker = new ExpressionChecker(expressionScopeOf(doc));
  } catch {
    // An input schema the expression library cannot model: check names loosely.
    checker = new ExpressionChecker({ ...expressionScopeOf(doc), input: undefined });
  }
  const template = (value: unknown, path: string) => {
    if (typeof value !== 'string' || !isTemplate(value)) return;
    for (const issue of checker.checkTemplate(value)) problems.push({ path, code: issue.code, message: issue.message, offset: issue.offset });
  };
  const mapping = (value: unknown, path: string) => {
    if (typeof value === 'string') template(value, path);
    else if (Array.isArray(value)) value.forEach((item, i) => mapping(item, `${path}/${i}`));
    else if (isObject(value)) for (const [key, item] of Object.entries(value)) mapping(item, `${path}${pointer(key)}`);
  };
  if (isObject(doc.case)) for (const key of ['summary', 'customer', 'priority']) template(doc.case[key], pointer('case', key));
  const site = ({ value, path, as }: ExpressionSite) => {
    if (as === 'mapping') mapping(value, path);
    else if (as === 'template') template(value, path);
    else if (typeof value === 'string' && value !== '') {
      // An empty condition is the schema's to report.
      for (const issue of checker.checkExpression(value, 'bool')) problems.push({ path, code: issue.code, message: issue.message, offset: issue.offset });
    }
  };
  for (const entry of entries) {
    const sites = candidateKinds(entry.step).flatMap((kind) => kind.expressions(entry));
    // A step of unclear kind gets every kind's sites; `with:` belongs to two of them.
    sites.filter((s, i) => sites.findIndex((other) => other.path === s.path) === i).forEach(site);
  }
  return checker;
}
