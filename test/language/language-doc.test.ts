/**
 * Every example in docs/language.md marked as a full definition (a ```yaml process block)
 * loads without a problem, with the activities the worker registers, the shipped business
 * calendars and the valid corpus's processes (for subprocess steps). Together the examples show
 * every step kind and SLA clocks, and every other yaml block is a one-line fragment.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityCatalog } from '../../model/activity-catalog/index.js';
import { loadCalendars } from '../../dsl/load/calendar-load.js';
import { loadDefinitions, type LoadOptions } from '../../dsl/load/load.js';
import { root, validDir } from './broken-corpus.js';

const docPath = path.join(root, 'docs', 'language.md');
let scratch: string;
let examples: { name: string; text: string }[];
let options: LoadOptions;

beforeAll(async () => {
  const doc = await fs.readFile(docPath, 'utf8');
  examples = [...doc.matchAll(/^```yaml process\n([\s\S]*?)^```$/gm)].map((m, i) => ({ name: /^process: (\S+)/m.exec(m[1] ?? '')?.[1] ?? `example-${i + 1}`, text: m[1] ?? '' }));
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'aftercare-language-doc-'));
  const calendars = await loadCalendars([path.join(root, 'definitions', 'calendars')]);
  const valid = await loadDefinitions([validDir], { activities: activityCatalog });
  options = {
    activities: activityCatalog,
    calendars: calendars.names,
    context: valid.definitions.map((d) => ({ process: d.compiled.process, outcomes: d.compiled.outcomes })),
  };
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

describe('docs/language.md', () => {
  it('has full-definition examples, and no other yaml block longer than a line', async () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
    const doc = await fs.readFile(docPath, 'utf8');
    for (const [, info, body] of doc.matchAll(/^```(yaml[^\n]*)\n([\s\S]*?)^```$/gm)) {
      if (info === 'yaml process') continue;
      expect((body ?? '').trim().split('\n').length, `a ${info} block that is not marked "yaml process":\n${body}`).toBe(1);
    }
  });

  it('loads every full-definition example without a problem', async () => {
    const failures: string[] = [];
    for (const example of examples) {
      const file = path.join(scratch, `${example.name}.yaml`);
      await fs.writeFile(file, example.text);
      const result = await loadDefinitions([file], options);
      for (const p of result.problems) failures.push(`${example.name}:${p.line}:${p.column}  ${p.code}  ${p.message}`);
    }
    expect(failures).toEqual([]);
  });

  it('shows every step kind and SLA clocks in its examples', async () => {
    const kinds = new Set<string>();
    let slas = 0;
    for (const example of examples) {
      const file = path.join(scratch, `${example.name}.yaml`);
      await fs.writeFile(file, example.text);
      const [loaded] = (await loadDefinitions([file], options)).definitions;
      for (const step of Object.values(loaded?.compiled.steps ?? {})) kinds.add(step.kind);
      slas += loaded?.compiled.slas.length ?? 0;
    }
    expect([...kinds].sort()).toEqual(['action', 'decide', 'end', 'parallel', 'subprocess', 'task', 'wait']);
    expect(slas).toBeGreaterThan(0);
  });
});
