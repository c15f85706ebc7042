/**
 * Published versions (definitions/published.json): one version number always means one
 * process. An edit without a new version is refused; comments and layout are not edits; a
 * new version is accepted and recorded by `aftercare publish`, typed as a person types it.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefinitions } from '../../dsl/load/load.js';
import { publishedFileName, readPublished } from '../../dsl/load/published.js';
import { runAftercare } from '../helpers/cli.js';
import { definitionsDir } from '../helpers/env.js';

let dir: string;
const file = () => path.join(dir, 'passed-on-question.yaml');
/** The shipped passed-on question as a new process's first version (the folder starts with no published.json). */
const original = async () => (await fs.readFile(path.join(definitionsDir, 'passed-on-question.yaml'), 'utf8')).replace(/^version: \d+$/m, 'version: 1');

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aftercare-published-'));
  await fs.writeFile(file(), await original());
});
afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('published versions', () => {
  it('records, refuses an edit under a published version, ignores comments, accepts and records a new version', async () => {
    const published = await runAftercare(['publish', dir]);
    expect(published.code).toBe(0);
    expect(published.stdout).toContain('published  passed-on-question v1');
    const v1 = (await readPublished(dir)).found?.published['passed-on-question']?.['1'];
    expect(v1).toMatch(/^[0-9a-f]{64}$/);

    // Comments and layout only: the same content, nothing to say.
    await fs.writeFile(file(), `# reworded comment\n${(await original()).replace('title: Passed-on question', 'title:   Passed-on question')}`);
    expect((await loadDefinitions([dir])).problems).toEqual([]);

    // A real edit under the published version: refused at the version line, with the fix.
    const edited = (await original()).replace('title: Passed-on question', 'title: Passed-on customer question');
    await fs.writeFile(file(), edited);
    const line = edited.split('\n').findIndex((l) => l.startsWith('version:')) + 1;
    const refused = await runAftercare(['validate', dir]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(new RegExp(`passed-on-question\\.yaml:${line}:10  VERSION_CHANGED  .*raise \`version\` to 2`));
    // ... and publish changes nothing while it is so.
    const notPublished = await runAftercare(['publish', dir]);
    expect(notPublished.code).toBe(1);
    expect(notPublished.stderr).toContain('nothing published');
    expect((await readPublished(dir)).found?.published['passed-on-question']).toEqual({ '1': v1 });

    // The edit as version 2: accepted, and recorded beside version 1.
    await fs.writeFile(file(), edited.replace(/^version: 1$/m, 'version: 2'));
    expect((await loadDefinitions([dir])).problems).toEqual([]);
    const second = await runAftercare(['publish', dir]);
    expect(second.stdout).toContain('published  passed-on-question v2');
    const versions = (await readPublished(dir)).found?.published['passed-on-question'];
    expect(Object.keys(versions ?? {})).toEqual(['1', '2']);
    expect(versions?.['1']).toBe(v1);
  });

  it('says where a broken published.json is', async () => {
    const broken = await fs.mkdtemp(path.join(os.tmpdir(), 'aftercare-published-broken-'));
    try {
      await fs.writeFile(path.join(broken, publishedFileName), '{ "complaint": ');
      const { problems } = await loadDefinitions([broken]);
      expect(problems).toMatchObject([{ file: path.join(broken, publishedFileName), line: 1, column: 1, code: 'FILE_UNREADABLE' }]);
    } finally {
      await fs.rm(broken, { recursive: true, force: true });
    }
  });

  it('has every shipped version published with its content (run `npx aftercare publish` when a version goes out)', async () => {
    const { definitions, problems } = await loadDefinitions([definitionsDir]);
    expect(problems).toEqual([]);
    const published = (await readPublished(definitionsDir)).found?.published ?? {};
    for (const d of definitions) expect(published[d.compiled.process]?.[String(d.compiled.version)], `${d.compiled.process} v${d.compiled.version}`).toBe(d.hash);
  });
});
