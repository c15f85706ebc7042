/**
 * `matches` in linear time. cel-js runs `string.matches(re)` with JavaScript's backtracking
 * RegExp, where a pattern such as `^(a+)+$` takes minutes on 40 characters — long enough to
 * blow the workflow task's deadline on every retry. CEL specifies RE2 semantics for `matches`,
 * so expressions are evaluated with RE2 (re2js, a pure-JS port: deterministic, no Node
 * built-ins, linear in the input). cel-js does not let a built-in overload be replaced, so the
 * evaluator rewrites `.matches(` to the RE2-backed `.matchesRe2(` outside string literals.
 */
import { RE2JS } from 're2js';

/** The function name the evaluator registers; authors keep writing `matches`. */
export const LINEAR_MATCHES = 'matchesRe2';

const patterns = new Map<string, RE2JS>();

/** True when `pattern` (RE2 syntax) matches somewhere in `text`, as CEL's `matches` does. */
export function matchesLinear(text: string, pattern: string): boolean {
  let compiled = patterns.get(pattern);
  if (!compiled) {
    compiled = RE2JS.compile(pattern);
    if (patterns.size > 500) patterns.clear();
    patterns.set(pattern, compiled);
  }
  return compiled.matcher(text).find();
}

/** Why `pattern` is not an RE2 pattern (a backreference, a lookahead...), or undefined when it is one. */
export function re2Problem(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const callOfMatches = /\.(\s*)matches(\s*)\(/y;

/** `expression` with every method call `.matches(` turned into `.matchesRe2(`; string literals are left alone. */
export function withLinearMatches(expression: string): string {
  if (!expression.includes('matches')) return expression;
  let out = '';
  let i = 0;
  while (i < expression.length) {
    const ch = expression[i] as string;
    if (ch === '"' || ch === "'") {
      const raw = i > 0 && /[rR]/.test(expression[i - 1] ?? '') && !/[\w.]/.test(expression[i - 2] ?? '');
      const quote = expression.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
      let j = i + quote.length;
      while (j < expression.length && !expression.startsWith(quote, j)) j += !raw && expression[j] === '\\' ? 2 : 1;
      j = Math.min(expression.length, j + quote.length);
      out += expression.slice(i, j);
      i = j;
      continue;
    }
    callOfMatches.lastIndex = i;
    const call = callOfMatches.exec(expression);
    if (call) {
      out += `.${call[1]}${LINEAR_MATCHES}${call[2]}(`;
      i += call[0].length;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}
