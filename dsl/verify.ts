/**
 * The check a case runs on the definition it carries before running it, inside the workflow:
 * the JSON Schema (interpreted, no code generation) and the meaning checks. So a definition
 * that fails validation never runs, even when a client other than ours starts the case or the
 * client's copy of the language is newer than the worker's.
 */
import { Validator, type Schema } from '@cfworker/json-schema';
import processSchema from '../schema/process.schema.json' with { type: 'json' };
import { checkDefinition, endOutcomes, type KnownActivities } from './check.js';
import type { UnlocatedProblem } from './problems.js';

let schemaValidator: Validator | undefined;

export interface VerifyContext {
  /** The activities the worker registers, with their input schemas (so `with:` keys are checked too). */
  activities: KnownActivities;
  /** The definitions pinned with the case for its subprocess steps. */
  subprocesses: Record<string, unknown>;
}

/** Every problem of `definition`, unlocated (the workflow has no file to point into). */
export function verifyDefinition(definition: unknown, context: VerifyContext): UnlocatedProblem[] {
  schemaValidator ??= new Validator(JSON.parse(JSON.stringify(processSchema)) as Schema, '2020-12', false);
  const structural = schemaValidator.validate(definition);
  if (!structural.valid) {
    const first = structural.errors.filter((e) => !['anyOf', '$ref', 'properties', 'additionalProperties'].includes(e.keyword)).slice(0, 5);
    return (first.length ? first : structural.errors.slice(0, 5)).map((e) => ({
      path: e.instanceLocation.replace(/^#/, ''),
      code: 'SCHEMA_INVALID' as const,
      message: `${e.instanceLocation.replace(/^#/, '') || 'the definition'}: ${e.error}`,
    }));
  }
  const processes = new Map<string, { outcomes: readonly string[] }>();
  for (const [name, child] of Object.entries(context.subprocesses)) processes.set(name, { outcomes: endOutcomes(child) });
  return checkDefinition(definition, { activities: context.activities, processes });
}
