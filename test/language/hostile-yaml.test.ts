/**
 * Hostile definitions (test/language/hostile-yaml.ts): 100,000 keys in one mapping, 10,000
 * broken step references, files over the size limit. The loader must report the right
 * problems, located, and stay bounded: linear duplicate-key detection, a budget for "did you
 * mean" suggestions, a size limit checked before reading, at most 500 problems per file.
 *
 * No timing is asserted (the machine running the tests may be loaded); the generous timeouts
 * only keep a regression to quadratic work from hanging the run. Timings are measured by hand:
 * `npx tsx test/language/hostile-yaml.ts /tmp/hostile`, then `time npx aftercare validate <file>`.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCalendars } from '../../dsl/load/calendar-load.js';
import { loadDefinitions } from '../../dsl/load/load.js';
import { maxYamlFileBytes } from '../../dsl/load/yaml-files.js';
import { closest, didYouMean, editDistance, withSuggestionBudget } from '../../dsl/names.js';
import { maxProblemsPerFile, problemCodes } from '../../dsl/problems.js';
import { corpusLoadOptions } from './broken-corpus.js';
import { brokenReferences, largeFile, manyKeys } from './hostile-yaml.js';

const timeout = 120_000;
let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aftercare-hostile-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text);
  return file;
}

describe('hostile definitions', () => {
  it(
    'reports every repeated key of a mapping of 100,000 keys, on its own line',
    async () => {
      const { text, duplicateLines } = manyKeys(100_000);
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(maxYamlFileBytes);
      const file = await write('many-keys.yaml', text);
      const { problems, definitions } = await loadDefinitions([file], corpusLoadOptions);
      expect(definitions).toEqual([]);
      expect(problems.map((p) => `${p.code} ${p.line}:${p.column}`)).toEqual(duplicateLines.map((line) => `YAML_DUPLICATE_KEY ${line}:1`));
      for (const p of problems) expect(p.message).toBe('the key `k0` appears twice in the same mapping; YAML would keep only one of them. Remove or rename one');
    },
    timeout,
  );

  it('reports a repeated key that follows a key without a value at the repeat, naming it', async () => {
    const file = await write('empty-then-repeat.yaml', 'process: repeat\nversion: 1\ntitle: Repeat\nroles:\nroles:\n  agent: { title: Agent }\nsteps:\n  done: { title: Done, end: resolved }\n');
    const { problems } = await loadDefinitions([file], corpusLoadOptions);
    expect(problems.map((p) => `${p.code} ${p.line}:${p.column} ${p.message}`)).toEqual([
      'YAML_DUPLICATE_KEY 5:1 the key `roles` appears twice in the same mapping; YAML would keep only one of them. Remove or rename one',
    ]);
  });

  it('finds repeated keys in nested and flow mappings, and tells `1` from `"1"`', async () => {
    const file = await write('nested-repeats.yaml', 'a:\n  - { b: 1, b: 2 }\n  - c: 1\n    c: 2\nd:\n  1: x\n  "1": y\n  0x1: z\n');
    const { problems } = await loadDefinitions([file], corpusLoadOptions);
    expect(problems.map((p) => `${p.code} ${p.line}:${p.column}`)).toEqual(['YAML_DUPLICATE_KEY 2:13', 'YAML_DUPLICATE_KEY 4:5', 'YAML_DUPLICATE_KEY 8:3']);
  });

  it(
    'reports 10,000 broken step references, with suggestions up to the budget, said once, and at most 500 problems',
    async () => {
      const file = await write('broken-references.yaml', brokenReferences(10_000));
      const { problems, definitions } = await loadDefinitions([file], corpusLoadOptions);
      expect(definitions).toEqual([]);
      expect(problems).toHaveLength(maxProblemsPerFile + 1);
      // The first step's target, suggested as in any normal file.
      expect(problems[0]).toMatchObject({ code: 'STEP_UNKNOWN_TARGET', line: 7, column: 49, path: '/steps/s0/then', message: 'step `s0` goes to `t0`, which does not exist; did you mean `s0`?' });
      const unknown = problems.filter((p) => p.code === 'STEP_UNKNOWN_TARGET');
      expect(unknown.length).toBeGreaterThan(100);
      expect(unknown.filter((p) => p.message.includes('did you mean')).length).toBeGreaterThan(0);
      expect(problems.filter((p) => p.message.includes('no more "did you mean" suggestions for this file'))).toHaveLength(1);
      const last = problems[problems.length - 1];
      expect(last).toMatchObject({ code: 'TOO_MANY_PROBLEMS', path: '' });
      expect(last?.message).toMatch(/^the file has \d+ problems; the first `500` are listed and \d+ more, from here on, are not/);
      for (const p of problems) {
        expect(p.code in problemCodes).toBe(true);
        expect(p.line).toBeGreaterThanOrEqual(1);
        expect(p.column).toBeGreaterThanOrEqual(1);
      }
      // Sorted by position; the count sits where the first problem left out was.
      const positions = problems.map((p) => p.line * 1000 + p.column);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    },
    timeout,
  );

  it(
    'does not compare names of 60,000 characters for a suggestion (the distance would cost their product)',
    async () => {
      const long = 'x'.repeat(60_000);
      const file = await write('long-names.yaml', `process: long-names\nversion: 1\ntitle: Long names\nsteps:\n  ? a${long}\n  : { title: A, action: record-case, then: b${long} }\n  done: { title: Done, end: resolved }\n`);
      const { problems } = await loadDefinitions([file], corpusLoadOptions);
      const unknown = problems.find((p) => p.code === 'STEP_UNKNOWN_TARGET');
      expect(unknown).toMatchObject({ line: 6, column: 44 });
      expect(unknown?.message).not.toContain('did you mean');
    },
    timeout,
  );

  it(
    'refuses a 2 MiB definition at 1:1 without reading it, and reads one of exactly 1 MiB',
    async () => {
      const big = await write('large.yaml', largeFile(2 * 1024 * 1024));
      const { problems } = await loadDefinitions([big], corpusLoadOptions);
      expect(problems).toEqual([
        {
          file: big,
          line: 1,
          column: 1,
          path: '',
          code: 'FILE_TOO_LARGE',
          message: 'the file is 2 MiB (2097152 bytes), over the limit of `1 MiB` for a definition; it was not read. Split the process into subprocesses, or move data (lists, texts) out of it',
        },
      ]);
      const atLimit = await write('at-limit.yaml', largeFile(maxYamlFileBytes));
      expect((await fs.stat(atLimit)).size).toBe(maxYamlFileBytes);
      const loaded = await loadDefinitions([atLimit], corpusLoadOptions);
      expect(loaded.problems).toEqual([]);
      expect(loaded.definitions.map((d) => d.compiled.process)).toEqual(['large-file']);
    },
    timeout,
  );

  it('refuses a calendar file over the limit too', async () => {
    const file = await write('calendars/huge.yaml', `calendar: huge\nversion: 1\ntitle: "${'x'.repeat(maxYamlFileBytes)}"\n`);
    const { problems } = await loadCalendars([file]);
    expect(problems.map((p) => `${p.code} ${p.line}:${p.column}`)).toEqual(['FILE_TOO_LARGE 1:1']);
    expect(problems[0]?.message).toContain('for a calendar');
  });
});

describe('bounded suggestions', () => {
  it('computes the edit distance exactly up to the bound, and bound + 1 beyond it', () => {
    const words = ['', 'a', 'resolve', 'resolution', 'investigate', 'investigat', 'refund', 'refnd', 'rejected', 'kitten', 'sitting'];
    for (const a of words) {
      for (const b of words) {
        const exact = editDistance(a, b);
        for (const max of [0, 1, 2, 3, 5]) expect(editDistance(a, b, max), `${a} ${b} ${max}`).toBe(exact <= max ? exact : max + 1);
      }
    }
  });

  it('suggests as before, and nothing once the file budget is spent, saying so once', () => {
    const ids = ['investigate', 'refund', 'resolution', 'rejected'];
    expect(closest('investigat', ids)).toBe('investigate');
    expect(closest('resolve', ids)).toBe('resolution');
    expect(closest('zzz', ids)).toBeUndefined();
    const messages = withSuggestionBudget(() => [didYouMean('refnd', ids), didYouMean('refnd', ids), didYouMean('refnd', ids), didYouMean('refnd', ids)], 6);
    expect(messages[0]).toBe('; did you mean `refund`?');
    expect(messages[1]).toMatch(/^ \(no more "did you mean" suggestions for this file/);
    expect(messages.slice(2)).toEqual(['', '']);
    // Outside a file's checks there is no budget.
    expect(didYouMean('refnd', ids)).toBe('; did you mean `refund`?');
  });
});
