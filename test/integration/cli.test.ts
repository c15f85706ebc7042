/**
 * The `aftercare` CLI as a person types it (`node bin/aftercare.js ...` in a child process)
 * against the dev server and a worker of the test's own: validate, graph, open a case with
 * per-case parameters, status, complete a task, list, cancel — and the errors people get
 * wrong input back with.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { renderGraph } from '../../dsl/graph.js';
import { projectRoot } from '../../worker/config.js';
import { openTaskOf } from '../helpers/cases.js';
import { freePort } from '../../worker/dev/ports.js';
import { runAftercare } from '../helpers/cli.js';
import { definitionsDir, testRegistry, uniqueName } from '../helpers/env.js';
import { devServerSuite } from '../helpers/suites.js';

// Each `node bin/aftercare.js` costs up to 2.5 s of CPU (run from source through tsx, the Temporal
// client, loading the definitions; compiled ahead, a read-only command about 0.6 s), 20 s or more on a machine at 8x its cores' load. A test here runs
// up to seven of them, so the file's tests get time for that.
vi.setConfig({ testTimeout: 300_000 });

const suite = devServerSuite();
let scratch: string;

const aftercare = (...args: string[]) => runAftercare(args, { TEMPORAL_ADDRESS: inject('temporalAddress'), AFTERCARE_TASK_QUEUE: suite.taskQueue, DATABASE_URL: suite.db.url });

const complaint = {
  customer: { id: 'M-10442', name: 'Zhao Min', phone: '139-1088-2231' },
  channel: 'phone',
  description: 'The installer was rude.',
};

beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'aftercare-cli-'));
});
afterAll(async () => {
  if (scratch) await fs.rm(scratch, { recursive: true, force: true });
});

// Independent commands: at once.
describe.concurrent('aftercare validate and graph', () => {
  it('finds no problem in the shipped definitions and calendars', async () => {
    const ran = await aftercare('validate');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/no problems: .*complaint v2.*exchange v3.*parts-disposal v3.*parts-requisition v3.*repair v4.*return v4/);
  });

  it('points at the line of a mistake and suggests the fix', async () => {
    const broken = path.join(scratch, 'broken.yaml');
    const text = (await fs.readFile(path.join(projectRoot, 'definitions', 'parts-requisition.yaml'), 'utf8')).replace('then: parts-check', 'then: parts-chek');
    await fs.writeFile(broken, text);
    const line = text.split('\n').findIndex((l) => l.includes('parts-chek')) + 1;
    const ran = await aftercare('validate', broken);
    expect(ran.code).toBe(1);
    expect(ran.stdout + ran.stderr).toContain(`broken.yaml:${line}:`);
    expect(ran.stdout + ran.stderr).toMatch(/STEP_UNKNOWN.*`parts-chek`.*did you mean `parts-check`/);
  });

  it('draws a shipped process by name, in both formats, as the graph renderer draws it', async () => {
    // The command once per format; that every shipped process draws is the renderer's, checked
    // in-process below (and rendered by Mermaid in test/browser/diagrams.test.ts).
    const registry = await testRegistry();
    const [mermaid, dot] = await Promise.all([aftercare('graph', 'repair'), aftercare('graph', 'repair', '--format', 'dot')]);
    expect(mermaid.code, mermaid.stderr).toBe(0);
    expect(mermaid.stdout).toBe(renderGraph(registry.get('repair').compiled, 'mermaid'));
    expect(mermaid.stdout.startsWith('flowchart TD')).toBe(true);
    expect(dot.code, dot.stderr).toBe(0);
    expect(dot.stdout).toBe(renderGraph(registry.get('repair').compiled, 'dot'));
    const shipped = registry.processes().filter((p) => registry.get(p).file.startsWith(definitionsDir));
    expect(shipped).toEqual(expect.arrayContaining(['complaint', 'repair', 'parts-requisition', 'exchange', 'return', 'parts-disposal']));
    for (const process of shipped) expect(renderGraph(registry.get(process).compiled, 'mermaid').startsWith('flowchart TD'), process).toBe(true);
  });
});

describe('aftercare case and task', () => {
  it('opens a case with parameters, shows it, completes a task, lists and cancels it', async () => {
    const caseId = uniqueName('CLI');
    const opened = await aftercare('case', 'open', 'complaint', '--input', JSON.stringify(complaint), '--case-id', caseId, '--owner', 'li.na', '--param', 'agentAuthority=800', '--param', 'followUpWithin=5 working days', '--json');
    expect(opened.stderr).toBe('');
    expect(JSON.parse(opened.stdout)).toMatchObject({ caseId, process: 'complaint', version: 2, created: true });

    // The same command again: idempotent, no second case.
    const again = await aftercare('case', 'open', 'complaint', '--input', JSON.stringify(complaint), '--case-id', caseId, '--owner', 'li.na', '--param', 'agentAuthority=800', '--param', 'followUpWithin=5 working days');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`Already open: case ${caseId}`);
    // The same id with other parameters is another request: refused, not silently merged.
    const conflict = await aftercare('case', 'open', 'complaint', '--input', JSON.stringify(complaint), '--case-id', caseId, '--owner', 'li.na');
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain(caseId);

    await openTaskOf(suite.client, caseId, 'classify');
    const view = await suite.client.getCase(caseId);
    expect(view.parameters).toMatchObject({ agentAuthority: 800, followUpWithin: '5 working days' });

    const status = await aftercare('case', 'status', caseId);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('classify');
    // Times on the company's clock (the processes' calendar zone, Asia/Shanghai), with the offset.
    expect(status.stdout).toMatch(/^Opened\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC\+8$/m);
    // Who must act by when, and the numbers this case runs with.
    expect(status.stdout).toMatch(/Time limits\n\s+first-reply\s+First reply to the customer: 24h, running, due \d{4}-/);
    expect(status.stdout).toMatch(/Parameters\n[\s\S]*agentAuthority\s+800\n/);
    expect(status.stdout).toMatch(/Parameters\n[\s\S]*followUpWithin\s+"5 working days"\n/);

    const done = await aftercare('task', 'complete', caseId, 'classify', '--outcome', 'general-enquiry', '--data', '{"department":"service"}', '--actor', 'li.na', '--role', 'agent', '--json');
    expect(done.stderr).toBe('');
    expect(JSON.parse(done.stdout)).toMatchObject({ taskId: 'classify#1', outcome: 'general-enquiry' });
    await openTaskOf(suite.client, caseId, 'answer-enquiry');

    // Its path on the diagram: the steps it went through with their visits, where it is now.
    const graphed = await aftercare('case', 'graph', caseId, '--json');
    expect(graphed.stderr).toBe('');
    const drawn = JSON.parse(graphed.stdout) as { diagram: string; current: string[]; visits: Record<string, number>; taken: [string, string][] };
    expect(drawn.current).toEqual(['answer-enquiry']);
    expect(drawn.visits).toMatchObject({ classify: 1, 'answer-enquiry': 1 });
    expect(drawn.taken[0]).toEqual(['record', 'classify']);
    expect(drawn.taken.at(-1)?.[1]).toBe('answer-enquiry');
    expect(drawn.diagram).toMatch(/^\s+class s_answer_enquiry current$/m);
    expect(drawn.diagram).toMatch(/^\s+class [\w,]*\bs_classify\b[\w,]* visited$/m);
    expect(drawn.diagram).toContain('visited once');
    expect(drawn.diagram).toMatch(/^\s+linkStyle [\d,]+ stroke/m);
    expect((await aftercare('case', 'graph', caseId)).stdout).toBe(drawn.diagram);

    // The table: a column per field, as wide as its longest value.
    const table = await aftercare('case', 'list', '--process', 'complaint', '--status', 'open');
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^case\s+process\s+status\s+step \/ outcome\s+waiting on\s+priority\s+SLA \(deadline\)\s+next task due$/);
    const row = rows.find((line) => line.startsWith(`${caseId} `));
    expect(row).toBeDefined();
    expect(header?.indexOf('process')).toBe(row?.indexOf('complaint'));

    const listed = await aftercare('case', 'list', '--process', 'complaint', '--status', 'open', '--json');
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { caseId: string }[]).map((c) => c.caseId)).toContain(caseId);

    const cancelled = await aftercare('case', 'cancel', caseId, '--reason', 'opened by mistake', '--actor', 'chen.jie', '--role', 'supervisor');
    expect(cancelled.code).toBe(0);
    expect((await suite.client.result(caseId).catch((e: Error) => ({ outcome: e.message }))).outcome).toMatch(/cancel/);
  });

  it('rejects a bad input, a bad parameter and a completion that is not allowed, with what and where', async () => {
    // Three commands that do not depend on each other, at once.
    const caseId = uniqueName('CLI');
    const [bad, badParam, opened] = await Promise.all([
      aftercare('case', 'open', 'complaint', '--input', JSON.stringify({ ...complaint, channel: 'fax' }), '--case-id', uniqueName('CLI')),
      aftercare('case', 'open', 'complaint', '--input', JSON.stringify(complaint), '--case-id', uniqueName('CLI'), '--param', 'agentAuthorty=800'),
      aftercare('case', 'open', 'complaint', '--input', JSON.stringify(complaint), '--case-id', caseId, '--owner', 'li.na'),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/\/channel/);
    expect(badParam.code).toBe(1);
    expect(badParam.stderr).toMatch(/agentAuthorty.*did you mean `agentAuthority`/);
    expect(opened.code, opened.stderr).toBe(0);

    await openTaskOf(suite.client, caseId, 'classify');
    const wrongOutcome = await aftercare('task', 'complete', caseId, 'classify', '--outcome', 'major', '--data', '{"department":"x"}', '--actor', 'li.na', '--role', 'agent');
    expect(wrongOutcome.code).not.toBe(0);
    expect(wrongOutcome.stderr).toMatch(/major/);
    expect(wrongOutcome.stderr).toMatch(/major-problem/);
  });
});

describe.concurrent('aftercare help and messages', () => {
  it('names every option of the commands in the top-level help', async () => {
    const top = (await runAftercare(['--help'])).stdout;
    for (const command of ['case', 'task', 'graph', 'validate', 'report', 'calendars', 'keys', 'test']) {
      const help = (await runAftercare([command, '--help'])).stdout;
      const flags = [...new Set(help.match(/--[a-z][a-z-]*/g) ?? [])].filter((flag) => flag !== '--help');
      expect(flags.length).toBeGreaterThan(0);
      for (const flag of flags) expect(top, `aftercare ${command}: ${flag}`).toContain(flag);
    }
  });

  it('says what to start when Temporal is not running, in one sentence for every command, and as JSON with --json', async () => {
    const port = await freePort();
    const vars = { TEMPORAL_ADDRESS: '', AFTERCARE_TEMPORAL_PORT: String(port) };
    const sentence = `Temporal is not running on 127.0.0.1:${port}: start it with \`npm start\``;
    for (const args of [['case', 'list'], ['case', 'status', 'C-1'], ['case', 'graph', 'C-1'], ['task', 'wait', 'C-1', 'classify'], ['calendars', 'push']]) {
      const ran = await runAftercare(args, vars);
      expect(ran.code, args.join(' ')).toBe(1);
      expect(ran.stderr, args.join(' ')).toContain(sentence);
    }
    const json = await runAftercare(['case', 'list', '--json'], vars);
    expect(JSON.parse(json.stdout)).toEqual({ error: { code: 'NOT_RUNNING', message: expect.stringContaining(sentence) } });
  });
});
