/**
 * Fuzzing the loader: valid definitions mutated at random (keys deleted, values of the wrong
 * type, values swapped, lines deleted, duplicated or swapped, garbage bytes inserted, the file
 * cut short). Whatever the input, loading never throws, and every problem it reports is
 * located (file, line and column from 1, a JSON pointer) with a known code and a message.
 *
 * Seeded, so a failure reproduces; fast-check prints the shrunk input and the seed.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadDefinitions } from '../../dsl/load/load.js';
import { problemCodes } from '../../dsl/problems.js';
import { corpusLoadOptions, root, validDir } from './broken-corpus.js';

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'garbage'; at: number; bytes: Uint8Array }
  | { kind: 'delete-line' | 'duplicate-line'; at: number }
  | { kind: 'swap-lines'; a: number; b: number }
  | { kind: 'delete-key'; at: number }
  | { kind: 'wrong-type'; at: number; value: unknown }
  | { kind: 'swap-values'; a: number; b: number };

const awkwardValues = fc.constantFrom('${', '${input.', '${}', '}', '*a', '&a x', ': x', '- y', '\t', '', '#', '"', "'", '0', 'null', '~', '[', '{', '3 working days', 'ß∂ƒ©', '\u0000');
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('garbage' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constantFrom('delete-line' as const, 'duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('delete-key' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('wrong-type' as const), at: fc.nat(), value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), awkwardValues, fc.string()) }),
  fc.record({ kind: fc.constant('swap-values' as const), a: fc.nat(), b: fc.nat() }),
);

/** Every path to a value in a parsed document (objects and lists), the root excluded. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => [[...prefix, i], ...pathsOf(item, [...prefix, i])]);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])]);
  return [];
}

function parentOf(document: unknown, at: (string | number)[]): [Record<string | number, unknown>, string | number] {
  let current = document as Record<string | number, unknown>;
  for (const segment of at.slice(0, -1)) current = current[segment] as Record<string | number, unknown>;
  return [current, at[at.length - 1] as string | number];
}

/** Applies a mutation to the bytes of a file. Data mutations go through the YAML data when the text parses. */
function mutate(bytes: Buffer, m: Mutation): Buffer {
  const text = bytes.toString('utf8');
  const lines = text.split('\n');
  switch (m.kind) {
    case 'truncate':
      return bytes.subarray(0, m.at % (bytes.length + 1));
    case 'garbage': {
      const at = m.at % (bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes), bytes.subarray(at)]);
    }
    case 'delete-line':
      lines.splice(m.at % lines.length, 1);
      return Buffer.from(lines.join('\n'));
    case 'duplicate-line': {
      const at = m.at % lines.length;
      lines.splice(at, 0, lines[at] ?? '');
      return Buffer.from(lines.join('\n'));
    }
    case 'swap-lines': {
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
      return Buffer.from(lines.join('\n'));
    }
    default: {
      let document: unknown;
      try {
        document = parse(text);
      } catch {
        return bytes; // not YAML any more: data mutations do not apply
      }
      const paths = pathsOf(document);
      if (paths.length === 0) return bytes;
      if (m.kind === 'delete-key' || m.kind === 'wrong-type') {
        const [parent, key] = parentOf(document, paths[m.at % paths.length] ?? []);
        if (m.kind === 'wrong-type') parent[key] = m.value;
        else if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key];
      } else {
        const [parentA, keyA] = parentOf(document, paths[m.a % paths.length] ?? []);
        const [parentB, keyB] = parentOf(document, paths[m.b % paths.length] ?? []);
        const a = parentA[keyA];
        const b = parentB[keyB];
        // Swapping a value with one inside it would make a cycle: swap only independent values.
        if (contains(a, b) || contains(b, a)) return bytes;
        parentA[keyA] = b;
        parentB[keyB] = a;
      }
      return Buffer.from(stringify(document));
    }
  }
}

function contains(outer: unknown, inner: unknown): boolean {
  if (outer === inner) return typeof outer === 'object' && outer !== null;
  if (!outer || typeof outer !== 'object') return false;
  return Object.values(outer).some((value) => contains(value, inner));
}

let scratch: string;
let bases: Buffer[];
beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'aftercare-fuzz-'));
  const folders = [validDir, path.join(root, 'definitions')];
  const files = (await Promise.all(folders.map(async (dir) => (await fs.readdir(dir)).filter((f) => f.endsWith('.yaml')).map((f) => path.join(dir, f))))).flat();
  bases = await Promise.all(files.map((file) => fs.readFile(file)));
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

describe('the loader under random mutations of valid definitions', () => {
  it('never throws, and locates every problem with a known code (1,000 mutations)', async () => {
    const codes = new Set(Object.keys(problemCodes));
    let run = 0;
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (pick, mutations) => {
        const base = bases[pick % bases.length] ?? Buffer.alloc(0);
        const bytes = mutations.reduce(mutate, base);
        const file = path.join(scratch, `case-${run++}.yaml`);
        await fs.writeFile(file, bytes);
        const result = await loadDefinitions([file], corpusLoadOptions);
        const lineCount = bytes.toString('utf8').split('\n').length;
        for (const problem of result.problems) {
          seen.add(problem.code);
          expect(problem.file).toBe(file);
          expect(Number.isInteger(problem.line) && problem.line >= 1 && problem.line <= lineCount + 1, `line ${problem.line}`).toBe(true);
          expect(Number.isInteger(problem.column) && problem.column >= 1, `column ${problem.column}`).toBe(true);
          expect(typeof problem.path === 'string' && (problem.path === '' || problem.path.startsWith('/')), `path ${problem.path}`).toBe(true);
          expect(codes.has(problem.code), `code ${problem.code}`).toBe(true);
          expect(problem.message.trim().length, problem.code).toBeGreaterThan(0);
          expect(problem.message).not.toMatch(/\[object Object\]/);
        }
        // A file is either loaded (and compiled) or has problems, never both, never neither.
        expect(result.definitions.length + (result.problems.length > 0 ? 1 : 0)).toBe(1);
        await fs.rm(file);
      }),
      { numRuns: 1000, seed: 20_261_126 },
    );
    // The mutations reach far into the loader, not just its YAML parser.
    expect(seen.size).toBeGreaterThan(15);
  }, 120_000);
});
