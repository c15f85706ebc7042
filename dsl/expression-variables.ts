/**
 * The variables an expression may name, in the order messages list them. One list, so the
 * checker's scope, the evaluation environment, the problem texts and the interpreter's
 * context cannot drift apart (they used to: one fix text forgot `actors`).
 *
 * Kept apart from dsl/expressions.ts (which re-exports it) because dsl/problems.ts needs the
 * names for its fix texts and dsl/expressions.ts needs the problem codes.
 */
export const expressionVariables = {
  input: 'the data the case was opened with (typed by the `input` schema)',
  data: 'what steps saved along the way (`save-as`)',
  outcomes: 'the last outcome of each task and subprocess step, by step id ("" before it has one)',
  actors: 'who last completed each task step, by step id ("" before anyone has)',
  params: 'the process parameters',
  case: 'id, process, version, owner, priority, customer, openedAt',
  now: 'the current time of the case (deterministic inside the workflow)',
} as const;

export type ExpressionVariable = keyof typeof expressionVariables;
export const expressionVariableNames = Object.keys(expressionVariables) as ExpressionVariable[];

/** "input, data, ... or now", as a sentence names them. */
export function expressionVariablesInWords(): string {
  return `${expressionVariableNames.slice(0, -1).join(', ')} or ${expressionVariableNames[expressionVariableNames.length - 1] ?? ''}`;
}
