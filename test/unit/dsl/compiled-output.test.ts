/**
 * Running cases compile the definition they are pinned to inside the workflow, so the
 * compiled process (and the diagram drawn from it) must not change when the language code is
 * reshaped. The snapshot was written by compiling the same files with commit 4ad8ae9, before
 * step kinds moved into dsl/steps/. A definition changed on purpose needs a new snapshot of
 * its own entry only: the shipped definitions' version 2 and every-step.yaml, which name
 * `may-cancel`, differ from their 4ad8ae9 entry in `version` and the added `mayCancel` alone
 * (but for return and repair, whose version 3 entries were written from their own YAML: customer
 * service inspects and finance refunds; the manager decides after repeated repairs; and for the
 * versions that say who may decide — exchange v3, parts-disposal v3, parts-requisition v3, repair
 * v4, return v4, written from their own YAML: `assign-to`, `not-by`, `approval`, the redispatch);
 * every file without the key still compiles to what 4ad8ae9 wrote, but for what changed on
 * purpose for all: the kind `decide` (was `decision`); an action's default retry policy (no cap
 * on attempts, `giveUpAfterMs` a day — retry options do not take part in replay).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileProcess } from '../../../dsl/compile.js';
import { renderGraph } from '../../../dsl/graph.js';

const root = path.resolve(import.meta.dirname, '../../..');
const snapshot = JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/compiled/4ad8ae9.json'), 'utf8')) as Record<string, unknown>;

describe('the compiled output of every shipped and fixture definition', () => {
  it('still has every file of the snapshot (files added since are not in it)', () => {
    const files = ['definitions', 'test/fixtures/valid', 'test/fixtures/processes'].flatMap((dir) =>
      fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.yaml')).map((f) => `${dir}/${f}`),
    );
    expect(Object.keys(snapshot).filter((file) => !files.includes(file))).toEqual([]);
  });

  for (const file of Object.keys(snapshot)) {
    it(`is byte for byte what commit 4ad8ae9 compiled and drew for ${file}`, () => {
      const compiled = compileProcess(parse(fs.readFileSync(path.join(root, file), 'utf8')));
      const now = { compiled, mermaid: renderGraph(compiled, 'mermaid'), dot: renderGraph(compiled, 'dot') };
      expect(JSON.stringify(now, null, 2)).toBe(JSON.stringify(snapshot[file], null, 2));
    });
  }
});
