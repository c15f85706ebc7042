/**
 * A definition is compiled and verified once per worker, not once per case and replay.
 *
 * Every case carries its pinned definition; compiling it (and, when a case first runs, checking
 * it) took a large share of a case's CPU, the same work for every case of a process. The results
 * are pure functions of the definition, so they are kept here, keyed by the definition's own JSON
 * text — not by the hash the caller sent, which this code has no reason to trust.
 *
 * Module state, on purpose: with the SDK's reused V8 context every workflow on the worker sees
 * the same cache (created lazily, after the SDK freezes what the bundle defined at load). What is
 * cached is deep-frozen, so a case that tried to change its compiled process would fail loudly
 * instead of changing another case's.
 */
import type { CompiledProcess } from '../model/compiled-process.js';
import type { ProcessDefinition } from '../model/generated/process-definition.js';
import { compileProcess } from '../dsl/compile.js';

/** Distinct definitions a worker keeps compiled: every version of every process, with room to spare. */
const CACHED_DEFINITIONS = 200;

let compiled: Map<string, CompiledProcess> | undefined;
let verified: Set<string> | undefined;

/** The compiled form of `definition`, shared and frozen. */
export function compiledProcess(definition: ProcessDefinition): CompiledProcess {
  compiled ??= new Map();
  const key = JSON.stringify(definition);
  const known = compiled.get(key);
  if (known) return known;
  const fresh = deepFreeze(compileProcess(definition));
  if (compiled.size >= CACHED_DEFINITIONS) compiled.delete(compiled.keys().next().value as string);
  compiled.set(key, fresh);
  return fresh;
}

/**
 * Runs `verify` unless the same definition with the same subprocess definitions passed it on
 * this worker before; remembers a pass (a failure is thrown, and checked again next time).
 */
export function verifyOnce(definition: ProcessDefinition, subprocesses: Record<string, ProcessDefinition>, verify: () => void): void {
  verified ??= new Set();
  const key = JSON.stringify([definition, subprocesses]);
  if (verified.has(key)) return;
  verify();
  if (verified.size >= CACHED_DEFINITIONS) verified.delete(verified.values().next().value as string);
  verified.add(key);
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
  return value;
}
