/**
 * Every committed history (test/histories) replays against the current interpreter: a change
 * to the workflow code that would emit different commands for a case already running fails
 * here, before it reaches a worker. Such changes must be guarded with `patched()`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../worker/config.js';
import { workflowBundle } from '../helpers/env.js';

interface HistoryEntry {
  file: string;
  workflowId: string;
  process: string;
  scenario: string;
  description: string;
}

const dir = path.join(projectRoot, 'test', 'histories');
const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as HistoryEntry[];

describe('recorded histories replay on the current interpreter', () => {
  it('has a history for every shipped process', () => {
    const shipped = fs
      .readdirSync(path.join(projectRoot, 'definitions'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => /^process:\s*(\S+)/m.exec(fs.readFileSync(path.join(projectRoot, 'definitions', f), 'utf8'))?.[1]);
    const recorded = new Set(index.map((e) => e.process));
    expect(shipped.filter((p) => !recorded.has(p ?? ''))).toEqual([]);
  });

  it('indexes exactly the history files in the folder', () => {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json').sort();
    expect(index.map((e) => e.file).sort()).toEqual(files);
  });

  for (const entry of index) {
    it(`replays ${entry.file} (${entry.process}: ${entry.description})`, async () => {
      const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, entry.file), 'utf8')));
      await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, entry.workflowId);
    });
  }
});
