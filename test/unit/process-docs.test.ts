/** docs/processes.md and docs/activities.md are generated; they must say what the YAML and the catalog say. */
import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { activityDocsFile, renderActivityDocs } from '../../scripts/generate-activity-docs.js';
import { processDocsFile, renderProcessDocs } from '../../scripts/generate-process-docs.js';

describe('docs/processes.md', () => {
  it('is up to date with definitions/ (run `npm run docs:processes` after changing a process)', async () => {
    expect(await fs.readFile(processDocsFile, 'utf8')).toBe(await renderProcessDocs());
  });
});

describe('docs/activities.md', () => {
  it('is up to date with the activity catalog (run `npm run docs:activities` after changing it)', async () => {
    expect(await fs.readFile(activityDocsFile, 'utf8')).toBe(renderActivityDocs());
  });
});
