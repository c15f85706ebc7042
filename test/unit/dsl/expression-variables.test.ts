/**
 * One list of the variables an expression may name (dsl/expressions.ts exports it): the
 * checker, its messages, the fix texts and the language reference all follow it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExpressionChecker, expressionVariableNames, expressionVariables } from '../../../dsl/expressions.js';
import { problemFixes } from '../../../dsl/problems.js';

const checker = new ExpressionChecker({ params: {}, outcomeSteps: [], taskSteps: [] });

describe('the expression variables', () => {
  it('are input, data, outcomes, actors, params, case and now, each with a description', () => {
    expect(expressionVariableNames).toEqual(['input', 'data', 'outcomes', 'actors', 'params', 'case', 'now']);
    for (const name of expressionVariableNames) expect(expressionVariables[name].length, name).toBeGreaterThan(0);
  });

  it('may each be named by an expression', () => {
    for (const name of expressionVariableNames) expect(checker.checkExpression(name), name).toEqual([]);
  });

  it('are all offered when an expression names something else', () => {
    const [issue] = checker.checkExpression('inptu.amount > 1');
    expect(issue?.code).toBe('EXPRESSION_UNKNOWN_FIELD');
    expect(issue?.message).toBe('`inptu` is not something an expression can use: start from input, data, outcomes, actors, params, case or now; did you mean `input`?');
  });

  it('are all named in what to do about an unknown field', () => {
    for (const name of expressionVariableNames) expect(problemFixes.EXPRESSION_UNKNOWN_FIELD, name).toContain(`\`${name}\``);
  });

  it('are the names of the language reference\'s table of what an expression can read', () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../../docs/language.md'), 'utf8');
    const table = doc.split('What an expression can read:')[1]?.split('\n\n')[1] ?? '';
    const names = [...table.matchAll(/^\| `([a-z]+)` \|/gm)].map((match) => match[1]);
    expect(names).toEqual(expressionVariableNames);
  });
});
