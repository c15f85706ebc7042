/**
 * The expression budget (dsl/expression-budget.ts): operations counted node by node and by the
 * size of what operators walk, texts and lists bounded, the same count on every run; an
 * expression that runs out fails with an ExpressionBudgetError naming what ran out, through
 * the same path as every other expression error (a decision fails its step, located). The
 * counts of known expressions guard the hook into @marcbachmann/cel-js's internals: an upgrade
 * that stops evaluating nodes through `Evaluator.run` fails here.
 */
import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { BudgetExhausted, expressionBudget, expressionParseLimits, meterEvaluations } from '../../../dsl/expression-budget.js';
import { evaluateCondition, evaluateTemplate, ExpressionBudgetError, ExpressionError, type ExpressionContext } from '../../../dsl/expressions.js';
import type { DecideStep } from '../../../model/compiled-process.js';
import { MAX_TEXT_LENGTH } from '../../../model/limits.js';
import { decide } from '../../../workflows/transitions/flow.js';

function contextWith(input: unknown): ExpressionContext {
  return {
    input,
    data: {},
    outcomes: {},
    params: {},
    case: { id: 'C-1', process: 'budget', version: 1, openedAt: '2026-03-02T08:00:00.000Z' },
    now: Date.parse('2026-03-02T09:00:00Z'),
  };
}

function budgetError(run: () => unknown): ExpressionBudgetError {
  try {
    run();
  } catch (error) {
    if (error instanceof ExpressionBudgetError) return error;
    throw error;
  }
  throw new Error('expected an ExpressionBudgetError');
}

/** `cel.bind` doubling `start` `times` times, then `end` on the last one. */
function doubling(start: string, times: number, end: (last: string) => string): string {
  let expression = end(`v${times}`);
  for (let i = times; i >= 1; i--) expression = `cel.bind(v${i}, ${i === 1 ? `${start} + ${start}` : `v${i - 1} + v${i - 1}`}, ${expression})`;
  return expression;
}

const items = Array.from({ length: 30_000 }, (_, i) => i);
const operationsReason = 'it used up its budget of 1,000,000 operations; a loop over a list inside a loop over another, or over a very large one, costs that much: go through each list once, or bound the lists with `maxItems` in the input schema';

describe('the meter on cel-js', () => {
  const env = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false, limits: expressionParseLimits });
  const evaluate = meterEvaluations(env);

  it('counts one operation per node evaluated, and one per character an operator walks', () => {
    // `==`, `+` and the three literals.
    expect(evaluate('1 + 2 == 3', {}).operations).toBe(5);
    // Five nodes; `+` walks "abc" and "de" (5), `==` walks "abcde" twice (10).
    expect(evaluate('"abc" + "de" == "abcde"', {})).toEqual({ value: true, operations: 20 });
  });

  it('counts every round of a comprehension: 4 + 4 per element for `input.items.map(x, x * 2.0)`', () => {
    // The root, `input.items` (2), the empty accumulator (1); each round: the push, `*`, `x`, `2.0`.
    for (const n of [0, 1, 3, 1000]) {
      expect(evaluate('input.items.map(x, x * 2.0)', { input: { items: items.slice(0, n) } }).operations).toBe(4 + 4 * n);
    }
  });

  it('runs out at exactly the same place every time: 249,999 rounds fit in a million operations, 250,000 do not', () => {
    const fits = Array.from({ length: 249_999 }, (_, i) => i);
    expect(evaluate('input.items.map(x, x * 2.0)', { input: { items: fits } }).operations).toBe(expressionBudget.operations);
    for (let run = 0; run < 2; run++) {
      expect(() => evaluate('input.items.map(x, x * 2.0)', { input: { items: [...fits, 0] } })).toThrow(BudgetExhausted);
    }
  });

  it('charges `x in list` by the list it walks, not as one operation', () => {
    // `in` walks the three elements of the list: 1 for `in`, 1 for `2`, 4 for the literal list, 3 walked.
    expect(evaluate('2 in [1, 2, 3]', {}).operations).toBe(9);
    // `size` reads a length, and `input.items` is read, not walked: `>`, `size`, `.`, `input`, `0`.
    expect(evaluate('size(input.items) > 0', { input: { items } }).operations).toBe(5);
  });

  it('leaves the environment unmetered outside an evaluation, and other environments alone', () => {
    const other = new Environment({ unlistedVariablesAreDyn: true });
    expect(other.evaluate('input.items.map(a, a).size()', { input: { items: [...items, ...items, ...items, ...items, ...items, ...items, ...items, ...items, ...items] } })).toBe(270_000n);
  });
});

describe('expressions with a budget', () => {
  it('fails a comprehension nested in another over a 30,000-element list on its operations, in milliseconds instead of minutes', () => {
    const error = budgetError(() => evaluateCondition('input.items.map(a, input.items.map(b, a + b)).size() > 0', contextWith({ items })));
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error.exhausted).toBe('operations');
    expect(error.message).toBe(`expression \`input.items.map(a, input.items.map(b, a + b)).size() > 0\` failed: ${operationsReason}`);
  });

  it('fails `a in list` inside a loop over the same large list: the walk counts', () => {
    expect(budgetError(() => evaluateCondition('input.items.filter(a, a in input.items).size() > 0', contextWith({ items }))).exhausted).toBe('operations');
  });

  it('fails a text doubled thirty times with `cel.bind` when it grows past the text limit', () => {
    const expression = doubling('input.s', 30, (last) => `${last}.size() > 0`);
    const error = budgetError(() => evaluateCondition(expression, contextWith({ s: 'x'.repeat(16_000) })));
    expect(error.exhausted).toBe('text');
    expect(error.reason).toBe('it built a text of 512,000 characters, more than the 262,144 an expression may build');
    // From two characters the doublings cost their operations first: 2^18 characters walked twice.
    expect(budgetError(() => evaluateCondition(expression, contextWith({ s: 'ab' }))).exhausted).toBe('operations');
  });

  it('fails a list doubled thirty times with `cel.bind` when it grows past the list limit', () => {
    const error = budgetError(() => evaluateCondition(doubling('input.items', 30, (last) => `${last}.size() > 0`), contextWith({ items })));
    expect(error.exhausted).toBe('list');
    expect(error.reason).toBe('it built a list of 480,000 elements, more than the 262,144 an expression may build');
    expect(budgetError(() => evaluateCondition(doubling('[1]', 30, (last) => `${last}.size() > 0`), contextWith({}))).exhausted).toBe('operations');
  });

  it('is not absorbed by `||` or `exists`, which absorb other errors when the other side decides', () => {
    expect(budgetError(() => evaluateCondition('input.items.map(a, input.items.map(b, a + b)).size() > 0 || true', contextWith({ items }))).exhausted).toBe('operations');
    expect(budgetError(() => evaluateCondition('[1, 2].exists(x, x == 2 || input.items.map(a, input.items.map(b, a + b)).size() > 0)', contextWith({ items }))).exhausted).toBe('operations');
    // Short-circuited, the loop never runs and costs nothing.
    expect(evaluateCondition('true || input.items.map(a, input.items.map(b, a + b)).size() > 0', contextWith({ items }))).toBe(true);
  });

  it('gives each expression of a template its own budget, and is generous to one pass over the largest list an input can hold', () => {
    expect(evaluateCondition('input.items.filter(x, x >= 25000.0 && x != 29999.0).size() == 4999', contextWith({ items }))).toBe(true);
    expect(evaluateTemplate('${input.items.filter(x, x > 10.0).size()} and ${input.items.map(x, x * 2.0).size()}', contextWith({ items }))).toBe('29989 and 30000');
    expect(evaluateCondition(`input.s.size() == ${MAX_TEXT_LENGTH} && (input.s + input.s).contains("y")`, contextWith({ s: 'x'.repeat(MAX_TEXT_LENGTH) }))).toBe(false);
  });

  it('fails a decision step like any other expression error: the step and the expression named, non-retryable', () => {
    const step: DecideStep = {
      id: 'check',
      title: 'Any pair adding up?',
      scope: '',
      kind: 'decide',
      conditions: [{ when: 'input.items.exists(a, input.items.exists(b, a + b < 0.0))', then: 'yes' }],
      otherwise: 'no',
    };
    let failure: unknown;
    try {
      decide(step, contextWith({ items }));
    } catch (error) {
      failure = error;
    }
    expect(failure).toMatchObject({
      type: 'StepFailed',
      nonRetryable: true,
      message: `step \`check\` (Any pair adding up?): the condition \`input.items.exists(a, input.items.exists(b, a + b < 0.0))\` could not be decided: expression \`input.items.exists(a, input.items.exists(b, a + b < 0.0))\` failed: ${operationsReason}`,
    });
  });
});
