/** docs/processes.md is generated from the definitions; it must say what the YAML says. */
import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { processDocsFile, renderProcessDocs } from '../../scripts/generate-process-docs.js';

describe('docs/processes.md', () => {
  it('is up to date with definitions/ (run `npm run docs:processes` after changing a process)', async () => {
    expect(await fs.readFile(processDocsFile, 'utf8')).toBe(await renderProcessDocs());
  });
});
