/**
 * Process parameters: the numbers a manual leaves open ("within N working days"), declared
 * with a type and a documented default, and optionally set per case when it opens.
 */
import { parseDuration } from './durations.js';
import type { Parameter } from '../model/generated/process-definition.js';
import { didYouMean } from './names.js';
import type { DataIssue } from './runtime-validation.js';

/** Why `value` is not a valid value for `parameter`, or undefined when it is. */
export function parameterProblem(parameter: Parameter, value: unknown): string | undefined {
  switch (parameter.type) {
    case 'integer':
      if (!Number.isInteger(value)) return `must be a whole number, not ${JSON.stringify(value)}`;
      break;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a number, not ${JSON.stringify(value)}`;
      break;
    case 'string':
      if (typeof value !== 'string') return `must be text, not ${JSON.stringify(value)}`;
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return `must be true or false, not ${JSON.stringify(value)}`;
      break;
    case 'duration': {
      if (typeof value !== 'string') return `must be a duration like \`3 working days\`, not ${JSON.stringify(value)}`;
      const parsed = parseDuration(value);
      if (!parsed.ok) return `is not a duration: ${parsed.message}`;
      if (parsed.value.kind === 'expression') return 'must be a duration, not an expression';
      break;
    }
  }
  if (typeof value === 'number') {
    if (parameter.minimum !== undefined && value < parameter.minimum) return `must be at least ${parameter.minimum}, not ${value}`;
    if (parameter.maximum !== undefined && value > parameter.maximum) return `must be at most ${parameter.maximum}, not ${value}`;
  }
  return undefined;
}

/** Problems with per-case parameter values (unknown names, wrong types). */
export function checkParameterValues(declared: Record<string, Parameter> | undefined, values: Record<string, unknown>): DataIssue[] {
  const issues: DataIssue[] = [];
  const names = Object.keys(declared ?? {});
  for (const [name, value] of Object.entries(values)) {
    const parameter = declared?.[name];
    if (!parameter) {
      issues.push({ path: `/${name}`, message: `the process has no parameter \`${name}\`${didYouMean(name, names) || (names.length ? `; its parameters are ${names.join(', ')}` : '')}` });
      continue;
    }
    const problem = parameterProblem(parameter, value);
    if (problem) issues.push({ path: `/${name}`, message: `parameter \`${name}\` ${problem}` });
  }
  return issues;
}
