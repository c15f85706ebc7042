/**
 * Retakes the screenshots of docs/operators.md (docs/images/): `npm run docs:screenshots`.
 *
 * Runs `npm start` as a new user does (`node bin/aftercare.js dev`, on free ports and a data
 * folder of its own that it removes afterwards), opens a few cases with the README's commands,
 * and has headless Chromium (/usr/bin/chromium or AFTERCARE_CHROMIUM), in a fresh profile, open
 * the Web UI address the start banner prints — the list as an operator first sees it — and a
 * case's page; then renders `npx aftercare case graph` of a case with Mermaid.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { projectRoot } from '../worker/config.js';
import { runAftercare } from '../test/helpers/cli.js';
import { stackEnvironment, stackReady, startStack } from '../test/helpers/dev-stack.js';

const chromiumPath = process.env.AFTERCARE_CHROMIUM ?? '/usr/bin/chromium';
const imagesDir = path.join(projectRoot, 'docs', 'images');
const mermaidScript = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');

const question = (id: string, name: string, text: string) => JSON.stringify({ customer: { id, name, phone: '138-0013-8000' }, question: text });
const complaint = JSON.stringify({ customer: { id: 'M-10442', name: 'Zhao Min', phone: '139-1088-2231' }, channel: 'phone', description: 'The installer was rude.' });

/** The cases the pictures show, opened and moved on with the CLI as the README types it. */
const commands: string[][] = [
  ['case', 'open', 'passed-on-question', '--case-id', 'P-1001', '--wait', '--input', question('M-20931', 'Wang Li', 'Can the dryer be stacked on the washer?')],
  ['task', 'complete', 'P-1001', 'answer', '--outcome', 'answered', '--data', '{"reply":"Yes, with stacking kit SK-2."}', '--as', 'tech.support'],
  ['case', 'open', 'passed-on-question', '--case-id', 'P-1002', '--wait', '--input', question('M-31877', 'Zhou Min', 'Why does the fridge click at night?')],
  ['case', 'open', 'complaint', '--case-id', 'CP-1001', '--owner', 'li.na', '--param', 'followUpWithin=5 working days', '--wait', '--input', complaint],
  ['task', 'complete', 'CP-1001', 'classify', '--outcome', 'service-quality', '--data', '{"department":"installation"}', '--as', 'li.na'],
  ['task', 'wait', 'CP-1001', 'investigate', '--timeout', '2m'],
  ['case', 'open', 'complaint', '--case-id', 'CP-1002', '--owner', 'li.na', '--wait', '--input', complaint],
];

async function shot(page: Page, name: string, clip?: { x: number; y: number; width: number; height: number }): Promise<void> {
  const file = path.join(imagesDir, name);
  await page.screenshot({ path: file, ...(clip ? { clip } : {}) });
  console.log(`wrote ${path.relative(projectRoot, file)}`);
}

async function main(): Promise<void> {
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'aftercare-screenshots-'));
  const { env } = await stackEnvironment(path.join(scratch, '.data'), 'aftercare');
  const stack = startStack(env);
  try {
    await stackReady(stack);
    const banner = /Temporal Web UI\s+(\S+)/.exec(stack.output())?.[1];
    if (!banner) throw new Error(`the start banner names no Web UI:\n${stack.output()}`);
    for (const args of commands) {
      const ran = await runAftercare(args, env);
      if (ran.code !== 0) throw new Error(`aftercare ${args.join(' ')} failed:\n${ran.stderr}`);
    }
    const graph = await runAftercare(['case', 'graph', 'CP-1001'], env);
    if (graph.code !== 0) throw new Error(`aftercare case graph failed:\n${graph.stderr}`);

    await fs.mkdir(imagesDir, { recursive: true });
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    try {
      // The list, as the banner's address opens it in a browser that never saw the Web UI.
      const list = await browser.newPage({ viewport: { width: 2900, height: 520 } });
      if (process.env.DEBUG_SCREENSHOTS) {
        list.on('console', (m) => console.log('[page]', m.text()));
        list.on('response', (r) => console.log('[response]', r.status(), r.url().slice(0, 120)));
        list.on('pageerror', (e) => console.log('[error]', e.message));
      }
      await list.goto(banner);
      const rows = list.getByTestId('workflows-summary-configurable-table-row');
      // Visibility lists a case a moment after it opened: reload until the four are there.
      for (let tries = 0; tries < 10; tries++) {
        await rows.first().waitFor({ timeout: 60_000 }).catch(() => undefined);
        await list.waitForTimeout(2000);
        if ((await rows.count()) >= 4) break;
        await list.reload();
      }
      if ((await rows.count()) < 4) throw new Error(`the Web UI lists ${await rows.count()} cases at ${list.url()}:\n${(await list.locator('body').innerText()).slice(0, 2000)}`);
      await list.waitForTimeout(1000);
      await shot(list, 'web-ui-case-list.png');

      // A case's page: its Input is the case's input.
      const casePage = await browser.newPage({ viewport: { width: 1400, height: 760 } });
      await casePage.goto(banner.replace(/\/workflows.*$/, '/workflows/CP-1001'));
      await casePage.getByText('"caseId"').first().waitFor({ timeout: 60_000 });
      await casePage.waitForTimeout(1500);
      await shot(casePage, 'web-ui-case-input.png');

      // The case's path, as `npx aftercare case graph CP-1001` prints it, drawn by Mermaid.
      const diagram = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 2 });
      await diagram.setContent('<html><body style="margin:0;background:#fff"><div id="out" style="display:inline-block;padding:16px"></div></body></html>');
      await diagram.addScriptTag({ path: mermaidScript });
      await diagram.evaluate(async (text: string) => {
        const mermaid = (globalThis as unknown as { mermaid: { initialize(o: object): void; render(id: string, text: string): Promise<{ svg: string }> } }).mermaid;
        mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
        const { svg } = await mermaid.render('case-graph', text);
        (globalThis as unknown as { document: { getElementById(id: string): { innerHTML: string } } }).document.getElementById('out').innerHTML = svg;
      }, graph.stdout);
      const box = await diagram.locator('#out').boundingBox();
      if (!box) throw new Error('Mermaid drew nothing');
      await diagram.setViewportSize({ width: Math.ceil(box.width), height: Math.ceil(box.height) });
      await shot(diagram, 'case-live-path.png');
    } finally {
      await browser.close();
    }
  } finally {
    stack.child.kill('SIGINT');
    await stack.exit;
    await fs.rm(scratch, { recursive: true, force: true, maxRetries: 5 });
  }
}

await main();
