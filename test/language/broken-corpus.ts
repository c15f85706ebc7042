/**
 * The corpus of broken definitions (test/fixtures/broken): how each case is loaded and what it
 * expects. Shared by the corpus test and by `npm run docs:errors`, which takes its example
 * messages from the same files.
 *
 * A case is a top-level `.yaml` file (loaded alone) or a folder (its files loaded together, for
 * problems between files). Each file lists the problems it must produce in comment lines at its
 * top: `# expect: CODE line:col`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { activityCatalog } from '../../model/activity-catalog/index.js';
import type { LoadOptions } from '../../dsl/load/load.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const brokenDir = path.join(root, 'test', 'fixtures', 'broken');
export const validDir = path.join(root, 'test', 'fixtures', 'valid');

/**
 * What the corpus is checked against: the activities the worker registers (with their input
 * schemas), one business calendar, and one process beyond the files themselves that subprocess
 * steps may open (`parts-requisition`, ending `issued` or `refused`).
 */
export const corpusLoadOptions: LoadOptions = {
  activities: activityCatalog,
  calendars: new Set(['service-week']),
  context: [{ process: 'parts-requisition', outcomes: ['issued', 'refused'] }],
};

export interface Expected {
  file: string;
  code: string;
  line: number;
  column: number;
}

export interface BrokenCase {
  /** The file or folder given to the loader. */
  target: string;
  name: string;
  files: string[];
}

/** Every case of the corpus, in name order. */
export async function brokenCases(): Promise<BrokenCase[]> {
  const entries = (await fs.readdir(brokenDir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const cases: BrokenCase[] = [];
  for (const entry of entries) {
    const target = path.join(brokenDir, entry.name);
    if (entry.isDirectory()) {
      const files = (await fs.readdir(target)).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(target, f));
      cases.push({ target, name: `${entry.name}/`, files });
    } else if (entry.name.endsWith('.yaml')) {
      cases.push({ target, name: entry.name, files: [target] });
    }
  }
  return cases;
}

/** The `# expect: CODE line:col` lines at the top of a file (before its first other line). */
export async function expectationsOf(file: string): Promise<Expected[]> {
  const text = await fs.readFile(file, 'utf8');
  const expected: Expected[] = [];
  for (const line of text.split('\n')) {
    const match = /^# expect: ([A-Z_]+) (\d+):(\d+)\s*$/.exec(line);
    if (!match) break;
    expected.push({ file, code: match[1] ?? '', line: Number(match[2]), column: Number(match[3]) });
  }
  return expected;
}
