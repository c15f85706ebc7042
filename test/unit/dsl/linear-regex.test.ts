/** `matches` with RE2 semantics, in linear time (dsl/linear-regex.ts). */
import { describe, expect, it } from 'vitest';
import { evaluateCondition, ExpressionChecker, type ExpressionContext } from '../../../dsl/expressions.js';
import { matchesLinear, withLinearMatches } from '../../../dsl/linear-regex.js';

const context = (s: string): ExpressionContext => ({ input: { s }, data: {}, outcomes: {}, actors: {}, params: {}, case: { id: 'C-1', process: 'p', version: 1, openedAt: '2026-03-02T00:00:00Z' }, now: 0 });

describe('matches', () => {
  it('answers the pattern that backtracks for minutes in JavaScript, on 100,000 characters', () => {
    expect(evaluateCondition('input.s.matches("^(a+)+$")', context(`${'a'.repeat(100_000)}!`))).toBe(false);
    expect(evaluateCondition('input.s.matches("^(a+)+$")', context('a'.repeat(100_000)))).toBe(true);
  });

  it('finds a match anywhere in the text, as CEL specifies', () => {
    expect(matchesLinear('order RT-2026-0042', 'RT-\\d{4}-\\d+')).toBe(true);
    expect(matchesLinear('order', '^rt')).toBe(false);
  });

  it('rewrites only method calls, never string literals', () => {
    expect(withLinearMatches(`"a.matches(" + s.matches ("x") + 'b.matches(' + r"\\.matches("`)).toBe(`"a.matches(" + s.matchesRe2 ("x") + 'b.matches(' + r"\\.matches("`);
    expect(evaluateCondition('"x.matches(y)" == "x.matches(y)"', context(''))).toBe(true);
  });

  it('refuses, when a definition is checked, a literal pattern RE2 cannot run', () => {
    const checker = new ExpressionChecker({ input: { type: 'object', properties: { s: { type: 'string' } } }, params: {}, outcomeSteps: [] });
    const [issue] = checker.checkExpression('input.s.matches("(a)\\\\1")', 'bool');
    expect(issue).toMatchObject({ code: 'EXPRESSION_SYNTAX', offset: 7 });
    expect(issue?.message).toMatch(/`matches` takes RE2 patterns \(no backreferences or lookarounds\), and `\(a\)\\1` is not one: error parsing regexp: invalid escape sequence/);
    expect(checker.checkExpression('input.s.matches("^(a+)+$")', 'bool')).toEqual([]);
  });
});
