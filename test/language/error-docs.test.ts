/**
 * docs/errors.md is generated from dsl/problems.ts and the broken corpus; it must be what the
 * generator writes today, so a new code, a changed explanation or a changed message shows up
 * in the docs. When this fails, run `npm run docs:errors` and commit docs/errors.md.
 */
import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { problemCodes } from '../../dsl/problems.js';
import { errorDocsPath, generateErrorDocs } from '../../scripts/generate-error-docs.js';

describe('docs/errors.md', () => {
  it('is up to date with the problem codes and the broken corpus', async () => {
    const committed = await fs.readFile(errorDocsPath, 'utf8');
    expect(committed, 'docs/errors.md is out of date: run `npm run docs:errors`').toBe(await generateErrorDocs());
  });

  it('documents every problem code, with what to do', async () => {
    const docs = await generateErrorDocs();
    for (const code of Object.keys(problemCodes)) {
      const section = docs.split(`\n### ${code}\n`)[1]?.split('\n### ')[0] ?? '';
      expect(section, code).toContain('**What to do:**');
    }
  });
});
