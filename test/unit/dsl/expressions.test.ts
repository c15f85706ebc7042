/**
 * Expressions in definitions (dsl/expressions.ts): splitting templates, evaluating templates,
 * conditions and mappings over a case's data (mixed int/double arithmetic included), turning
 * CEL values into plain data, and the checker's problems with their codes and offsets.
 */
import { describe, expect, it } from 'vitest';
import {
  evaluateCondition,
  evaluateMapping,
  evaluateTemplate,
  ExpressionChecker,
  ExpressionError,
  isTemplate,
  parseTemplate,
  toPlain,
  type ExpressionContext,
  type ExpressionScope,
} from '../../../dsl/expressions.js';

const context: ExpressionContext = {
  input: { price: 10.5, count: 3, customer: { name: 'Ann Lee', id: 'K-7' }, items: [1, 2], tags: ['vip'] },
  data: { inspection: { verdict: 'faulty' } },
  outcomes: { classify: 'accept', approve: '' },
  actors: { classify: 'ann' },
  params: { limit: 100, region: 'north' },
  case: { id: 'C-1', process: 'complaint-handling', version: 2, owner: 'ann', openedAt: '2026-03-02T08:00:00.000Z' },
  now: Date.parse('2026-03-02T09:00:00Z'),
};
const template = (text: string) => evaluateTemplate(text, context);
const condition = (text: string) => evaluateCondition(text, context);

function expressionError(run: () => unknown): ExpressionError {
  try {
    run();
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error('expected an ExpressionError');
}

describe('isTemplate and parseTemplate', () => {
  it('recognises text with a `${` placeholder as a template', () => {
    expect(isTemplate('Hello ${input.name}')).toBe(true);
    expect(isTemplate('Hello')).toBe(false);
    expect(isTemplate('costs $5 {net}')).toBe(false);
  });

  it('splits literal text and expressions, each expression with its offset after `${`', () => {
    expect(parseTemplate('Case ${case.id} for ${input.customer.name}!')).toEqual({
      ok: true,
      parts: [{ text: 'Case ' }, { expression: 'case.id', offset: 7 }, { text: ' for ' }, { expression: 'input.customer.name', offset: 22 }, { text: '!' }],
    });
  });

  it('balances braces and quotes inside an expression, and reads `$${` as a literal `${`', () => {
    expect(parseTemplate('a ${ {"a": 1} } b ${ "}" } $${x}')).toEqual({
      ok: true,
      parts: [{ text: 'a ' }, { expression: ' {"a": 1} ', offset: 4 }, { text: ' b ' }, { expression: ' "}" ', offset: 20 }, { text: ' ${x}' }],
    });
  });

  it('skips escaped quotes inside a quoted string', () => {
    expect(parseTemplate('${ "a\\"}" }')).toEqual({ ok: true, parts: [{ expression: ' "a\\"}" ', offset: 2 }] });
  });

  it('refuses an unclosed placeholder at the offset of its `${`', () => {
    expect(parseTemplate('Hello ${input.name')).toEqual({ ok: false, message: '`${` has no closing `}`', offset: 6 });
  });

  it('refuses an empty placeholder', () => {
    expect(parseTemplate('a ${ } b')).toEqual({ ok: false, message: '`${}` holds no expression', offset: 2 });
  });
});

describe('evaluateTemplate', () => {
  it('keeps the type of a value that is exactly one placeholder', () => {
    expect(template('${input.price}')).toBe(10.5);
    expect(template('${input.items}')).toEqual([1, 2]);
    expect(template('${input.customer}')).toEqual({ name: 'Ann Lee', id: 'K-7' });
    expect(template('${input.count > 2}')).toBe(true);
  });

  it('joins text and values, writing values that are not text as JSON and null as nothing', () => {
    expect(template('Case ${case.id} for ${input.customer.name}')).toBe('Case C-1 for Ann Lee');
    expect(template('n=${input.items} ${null}|')).toBe('n=[1,2] |');
    expect(template('total ${input.price * 2} EUR')).toBe('total 21 EUR');
  });

  it('gives text without placeholders back as it is, `$${` written as `${`', () => {
    expect(template('plain text')).toBe('plain text');
    expect(template('costs $${x}')).toBe('costs ${x}');
  });

  it('mixes JSON numbers (doubles) and integer literals in arithmetic, giving a double', () => {
    expect(template('${input.price * 2}')).toBe(21);
    expect(template('${2 * input.price}')).toBe(21);
    expect(template('${input.count + 1}')).toBe(4);
    expect(template('${10 - input.price}')).toBe(-0.5);
    expect(template('${input.count / 2}')).toBe(1.5);
  });

  it('keeps integer arithmetic between integer literals, as CEL does', () => {
    expect(template('${1 + 2}')).toBe(3);
    expect(template('${7 / 2}')).toBe(3);
  });

  it('gives times as ISO text: now and the opening of the case', () => {
    expect(template('${now}')).toBe('2026-03-02T09:00:00.000Z');
    expect(template('${case.openedAt}')).toBe('2026-03-02T08:00:00.000Z');
  });

  it('reads every variable a case offers', () => {
    expect(template('${data.inspection.verdict}/${outcomes.classify}/${actors.classify}/${params.region}/${case.process}/${case.version}')).toBe('faulty/accept/ann/north/complaint-handling/2');
  });

  it('gives a missing optional field as null', () => {
    expect(template('${input.?missing}')).toBeNull();
    expect(template('${input.?price}')).toBe(10.5);
  });

  it('builds lists and maps', () => {
    expect(template('${[1, input.price]}')).toEqual([1, 10.5]);
    expect(template('${{"a": 1, "b": input.customer.id}}')).toEqual({ a: 1, b: 'K-7' });
  });

  it('fails with an ExpressionError naming the expression when a field is missing or the arithmetic fails', () => {
    const missing = expressionError(() => template('Dear ${input.missing}'));
    expect(missing.expression).toBe('input.missing');
    expect(missing.message).toBe(`expression \`input.missing\` failed: ${missing.reason}`);
    expect(missing.reason).toContain('missing');
    expect(expressionError(() => template('${1 / 0}')).reason).toBe('division by zero');
  });

  it('fails on an unclosed placeholder', () => {
    expect(expressionError(() => template('Hello ${input.name')).message).toBe('expression `Hello ${input.name` failed: `${` has no closing `}`');
  });

  it('treats a missing input as an empty object', () => {
    expect(evaluateTemplate('${size(input)}', { ...context, input: undefined })).toBe(0);
  });
});

describe('evaluateCondition', () => {
  it('gives true or false', () => {
    expect(condition('input.price > 10 && outcomes.classify == "accept"')).toBe(true);
    expect(condition('input.count != 3')).toBe(false);
    expect(condition('"vip" in input.tags')).toBe(true);
    expect(condition('outcomes.approve == ""')).toBe(true);
  });

  it('compares JSON numbers with integer literals', () => {
    expect(condition('input.count == 3')).toBe(true);
    expect(condition('3 == input.count')).toBe(true);
    expect(condition('input.count > 2')).toBe(true);
    expect(condition('2 < input.count')).toBe(true);
    expect(condition('input.price * 2 > params.limit')).toBe(false);
  });

  it('compares times', () => {
    expect(condition('now > case.openedAt')).toBe(true);
    expect(condition('now - case.openedAt == duration("1h")')).toBe(true);
  });

  it('refuses a value that is not true or false instead of taking it as false', () => {
    expect(expressionError(() => condition('input.price')).message).toBe('expression `input.price` failed: it gave 10.5, not true or false');
    expect(expressionError(() => condition('input.customer')).message).toBe('expression `input.customer` failed: it gave {"name":"Ann Lee","id":"K-7"}, not true or false');
  });

  it('fails on a missing field rather than giving false', () => {
    expect(expressionError(() => condition('input.missing == 1')).expression).toBe('input.missing == 1');
  });
});

describe('evaluateMapping', () => {
  it('evaluates every template inside objects and lists, keeping other values', () => {
    expect(evaluateMapping({ to: '${input.customer.id}', subject: 'Case ${case.id}', amount: '${input.price * 2}', lines: ['${input.count}', 'fixed', 7], flag: true, none: null }, context)).toEqual({
      to: 'K-7',
      subject: 'Case C-1',
      amount: 21,
      lines: [3, 'fixed', 7],
      flag: true,
      none: null,
    });
  });
});

describe('toPlain', () => {
  it('turns CEL values into JSON data', () => {
    expect(toPlain(5n)).toBe(5);
    expect(toPlain(new Date('2026-03-02T08:00:00Z'))).toBe('2026-03-02T08:00:00.000Z');
    expect(toPlain(new Map<unknown, unknown>([['a', 1n], [2, [3n]]]))).toEqual({ a: 1, 2: [3] });
    expect(toPlain(new Uint8Array([1, 2]))).toEqual([1, 2]);
    expect(toPlain({ nested: { n: 1n } })).toEqual({ nested: { n: 1 } });
    expect(toPlain('text')).toBe('text');
    expect(toPlain(null)).toBeNull();
  });
});

describe('ExpressionChecker', () => {
  const scope: ExpressionScope = {
    input: {
      type: 'object',
      properties: {
        price: { type: 'number' },
        count: { type: 'integer' },
        items: { type: 'array', items: { type: 'number' } },
        customer: { $ref: '#/$defs/customer' },
      },
      $defs: { customer: { type: 'object', properties: { name: { type: 'string' } } } },
    },
    params: { limit: 'number', region: 'string' },
    outcomeSteps: ['classify'],
    taskSteps: ['classify'],
  };
  const checker = new ExpressionChecker(scope);

  it('accepts well-typed expressions over the declared fields, mixed arithmetic included', () => {
    for (const source of ['input.price * 2 > params.limit', '2 == input.price', 'size(input.items) > 0 && input.customer.name == "x"', 'now > case.openedAt', 'outcomes["classify"] == "accept"', 'actors.classify == "ann"', 'data.anything.deep == 1']) {
      expect(checker.checkExpression(source, 'bool')).toEqual([]);
    }
  });

  it('treats the variable of a macro as a local name', () => {
    expect(checker.checkExpression('input.items.exists(x, x > 1)', 'bool')).toEqual([]);
  });

  it('reports an empty expression as EXPRESSION_SYNTAX', () => {
    expect(checker.checkExpression('  ', 'bool', 5)).toEqual([{ code: 'EXPRESSION_SYNTAX', message: 'the expression is empty; write one, e.g. `input.amount > 1000`', offset: 5 }]);
  });

  it('reports a single `=` as EXPRESSION_SYNTAX at the `=`, suggesting `==`', () => {
    expect(checker.checkExpression('input.price = 3')).toEqual([{ code: 'EXPRESSION_SYNTAX', message: '`input.price = 3` does not parse: Unexpected character: =; to compare, write `==`', offset: 12 }]);
  });

  it('reports an unfinished expression as EXPRESSION_SYNTAX at its end', () => {
    expect(checker.checkExpression('input.price >')).toMatchObject([{ code: 'EXPRESSION_SYNTAX', offset: 13 }]);
  });

  it('reports a field the input schema does not have at the field, with the nearest name', () => {
    expect(checker.checkExpression('input.prise > 1')).toEqual([{ code: 'EXPRESSION_UNKNOWN_FIELD', message: 'the input schema has no field `prise` (in `input.prise > 1`); did you mean `price`?', offset: 6 }]);
  });

  it('follows $ref and nested objects, naming the path walked so far', () => {
    expect(checker.checkExpression('input.customer.nmae == "x"')).toEqual([
      { code: 'EXPRESSION_UNKNOWN_FIELD', message: 'the input schema has no field `nmae` under `input.customer` (in `input.customer.nmae == "x"`); did you mean `name`?', offset: 15 },
    ]);
  });

  it('reports an unknown parameter', () => {
    expect(checker.checkExpression('params.limt > 1')).toEqual([{ code: 'EXPRESSION_UNKNOWN_FIELD', message: '`params` has no field `limt` (in `params.limt > 1`); did you mean `limit`?', offset: 7 }]);
  });

  it('reports a step without outcomes as EXPRESSION_UNKNOWN_STEP, at the step name inside the quotes', () => {
    expect(checker.checkExpression('outcomes["clasify"] == "x"')).toEqual([
      { code: 'EXPRESSION_UNKNOWN_STEP', message: '`outcomes` has no step `clasify`: only tasks and subprocesses have outcomes; did you mean `classify`?', offset: 10 },
    ]);
  });

  it('reports an actor of a step that is not a task as EXPRESSION_UNKNOWN_STEP', () => {
    expect(checker.checkExpression('actors.clasify == "x"')).toEqual([
      { code: 'EXPRESSION_UNKNOWN_STEP', message: '`actors` has no step `clasify`: only task steps are completed by someone; did you mean `classify`?', offset: 7 },
    ]);
  });

  it('reports a name that is no variable, suggesting the nearest one when it is close', () => {
    const roots = 'start from input, data, outcomes, actors, params, case or now';
    expect(checker.checkExpression('customer.name')).toEqual([{ code: 'EXPRESSION_UNKNOWN_FIELD', message: `\`customer\` is not something an expression can use: ${roots}`, offset: 0 }]);
    expect(checker.checkExpression('inptu.price > 1')).toEqual([{ code: 'EXPRESSION_UNKNOWN_FIELD', message: `\`inptu\` is not something an expression can use: ${roots}; did you mean \`input\`?`, offset: 0 }]);
    expect(checker.checkExpression('x > 1')).toEqual([{ code: 'EXPRESSION_UNKNOWN_FIELD', message: `\`x\` is not something an expression can use: ${roots}`, offset: 0 }]);
  });

  it('reports types that do not combine as EXPRESSION_TYPE, in the words of a process owner', () => {
    expect(checker.checkExpression('input.customer.name + 1')).toEqual([
      { code: 'EXPRESSION_TYPE', message: '`input.customer.name + 1`: `+` cannot combine text and a number (no such overload: string + int)', offset: 0 },
    ]);
    expect(checker.checkExpression('input.price + "a"')).toEqual([
      { code: 'EXPRESSION_TYPE', message: '`input.price + "a"`: `+` cannot combine a number and text (no such overload: double + string)', offset: 0 },
    ]);
  });

  it('reports a condition that is not true or false, with an example comparison for its type', () => {
    expect(checker.checkExpression('input.price', 'bool')).toEqual([
      { code: 'EXPRESSION_TYPE', message: 'the condition `input.price` gives a number, not true or false; compare it with something, e.g. `input.price > 0`', offset: 0 },
    ]);
    expect(checker.checkExpression('input.customer.name', 'bool', 4)).toEqual([
      { code: 'EXPRESSION_TYPE', message: 'the condition `input.customer.name` gives text, not true or false; compare it with something, e.g. `input.customer.name == "..."`', offset: 4 },
    ]);
    expect(checker.checkExpression('input.items', 'bool')).toEqual([
      { code: 'EXPRESSION_TYPE', message: 'the condition `input.items` gives a list, not true or false; compare it with something, e.g. `size(input.items) > 0`', offset: 0 },
    ]);
  });

  it('accepts a value that is not true or false where any value may go', () => {
    expect(checker.checkExpression('input.price', 'any')).toEqual([]);
  });

  it('adds the offset of the expression inside the text it was found in', () => {
    expect(checker.checkExpression('input.prise > 1', 'bool', 20)).toMatchObject([{ code: 'EXPRESSION_UNKNOWN_FIELD', offset: 26 }]);
  });

  it('checks every placeholder of a template at its offset in the template', () => {
    expect(checker.checkTemplate('Hello ${input.customer.name}, ${input.prise}')).toEqual([
      { code: 'EXPRESSION_UNKNOWN_FIELD', message: 'the input schema has no field `prise` (in `input.prise`); did you mean `price`?', offset: 38 },
    ]);
    expect(checker.checkTemplate('no placeholders')).toEqual([]);
  });

  it('reports an unclosed placeholder as TEMPLATE_UNCLOSED', () => {
    expect(checker.checkTemplate('Hello ${input.price')).toEqual([{ code: 'TEMPLATE_UNCLOSED', message: '`${` has no closing `}` in `Hello ${input.price`', offset: 6 }]);
  });

  it('does not check the fields of an input without a schema, or with keys that are not names', () => {
    expect(new ExpressionChecker({ params: {}, outcomeSteps: [] }).checkExpression('input.anything == 1', 'bool')).toEqual([]);
    const dashed = new ExpressionChecker({ input: { type: 'object', properties: { 'first-name': { type: 'string' } } }, params: {}, outcomeSteps: [] });
    expect(dashed.checkExpression('input["first-name"] == "Ann"', 'bool')).toEqual([]);
  });

  describe('a loop inside a loop over the case data (EXPRESSION_TOO_COSTLY)', () => {
    const lists = new ExpressionChecker({
      input: {
        type: 'object',
        properties: {
          a: { type: 'array', items: { type: 'number' } },
          b: { type: 'array', items: { type: 'number' } },
          few: { type: 'array', maxItems: 3, items: { type: 'number' } },
          hundred: { type: 'array', maxItems: 100, items: { type: 'number' } },
          thousand: { type: 'array', maxItems: 1000, items: { type: 'number' } },
          orders: { type: 'array', items: { type: 'object', properties: { lines: { type: 'array', items: { type: 'number' } } } } },
          text: { type: 'string' },
        },
      },
      params: {},
      outcomeSteps: [],
    });

    it('reports a comprehension over a list without `maxItems` inside one over another, at the inner list, with the product and the fix', () => {
      expect(lists.checkExpression('input.a.exists(x, input.b.exists(y, x == y))', 'bool', 4)).toEqual([
        {
          code: 'EXPRESSION_TOO_COSTLY',
          message:
            '`input.a.exists(x, input.b.exists(y, x == y))` goes through `input.b` once for every element of `input.a`: up to 1,073,741,824 rounds (a list without `maxItems` in the input schema may hold 32,768 elements), more than the 100,000 an expression\'s budget of 1,000,000 operations affords, so a case with lists that long would fail at this step; bound the lists with `maxItems` in the input schema so that the product of their lengths is at most 100,000, or go through each list once',
          offset: 4 + 18,
        },
      ]);
    });

    it('reports the same list walked inside itself, lists built at run time, and lists bound with `cel.bind`', () => {
      for (const source of ['input.a.map(a, input.a.map(b, a + b)).size() > 0', 'input.text.split(",").exists(x, input.text.split(";").exists(y, x == y))', 'cel.bind(xs, input.a, xs.exists(x, xs.exists(y, x + y < 0.0)))']) {
        expect(lists.checkExpression(source, 'bool').map((issue) => issue.code), source).toEqual(['EXPRESSION_TOO_COSTLY']);
      }
    });

    it('reports lists whose declared `maxItems` multiply past 100,000, and a bounded list inside an unbounded one once the product passes it', () => {
      expect(lists.checkExpression('input.thousand.exists(x, input.hundred.exists(y, x == y))', 'bool')).toEqual([]);
      expect(lists.checkExpression('input.thousand.exists(x, input.thousand.exists(y, x == y))', 'bool')[0]?.message).toContain('up to 1,000,000 rounds, more than');
      expect(lists.checkExpression('input.a.exists(x, input.hundred.exists(y, x == y))', 'bool').map((issue) => issue.code)).toEqual(['EXPRESSION_TOO_COSTLY']);
    });

    it('accepts loops the definition bounds, loops over the outer element\'s own parts, and loops one after the other', () => {
      for (const source of [
        'input.hundred.exists(x, input.hundred.exists(y, x == y))',
        'input.a.exists(x, input.few.exists(y, x == y))',
        'input.a.exists(x, [1, 2, 3].exists(y, x == y))',
        'input.a.exists(x, params.size() > 0 && outcomes.all(k, k != ""))',
        'input.orders.all(o, o.lines.all(l, l > 0.0))',
        'input.a.filter(x, x > 1.0).exists(y, y > 2.0)',
        'input.a.map(x, input.b.size()).size() > 0',
      ]) {
        expect(lists.checkExpression(source, 'bool'), source).toEqual([]);
      }
    });

    it('counts a loop over the outer element\'s parts as the data once: a third list inside it is the product of two', () => {
      expect(lists.checkExpression('input.orders.all(o, o.lines.all(l, input.b.exists(s, s == l)))', 'bool')[0]?.message).toContain('goes through `input.b` once for every element of `o.lines`: up to 1,073,741,824 rounds');
    });
  });
});
