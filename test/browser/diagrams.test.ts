/**
 * The diagrams `aftercare graph` draws (and docs/processes.md shows) render: Mermaid 11, the
 * renderer GitHub uses, in its strict security level, in headless Chromium. A diagram with a
 * syntax error or a label Mermaid refuses fails here rather than on a process owner's screen.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderGraph } from '../../dsl/graph.js';
import { definitionsDir, testRegistry } from '../helpers/env.js';

const chromiumPath = process.env.AFTERCARE_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
if (!haveChromium) console.warn(`[diagrams] skipped: no Chromium at ${chromiumPath}`);
const mermaidScript = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');

// The shipped processes, known when the file is collected: one test each, so each rendering
// has its own time (Chromium and Mermaid are slow on a loaded machine: the first render alone
// takes seconds quiet), and a refused diagram names its process.
const registry = await testRegistry();
const shipped = registry.processes().filter((p) => registry.get(p).file.startsWith(definitionsDir));

describe.skipIf(!haveChromium)('the process diagrams', { timeout: 180_000 }, () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    page = await browser.newPage();
    await page.setContent('<html><body><div id="out"></div></body></html>');
    await page.addScriptTag({ path: mermaidScript });
  }, 300_000);
  afterAll(async () => {
    await page?.close();
    await browser?.close();
  });

  it('cover every shipped process', () => {
    expect(shipped.length).toBeGreaterThanOrEqual(7);
  });

  it.each(shipped)('render with Mermaid for %s, with a node per step', async (process) => {
    const compiled = registry.get(process).compiled;
    const result = await page.evaluate(
      async ({ text, id }) => {
        const mermaid = (globalThis as unknown as { mermaid: { initialize(o: object): void; render(id: string, text: string): Promise<{ svg: string }> } }).mermaid;
        mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
        try {
          const { svg } = await mermaid.render(id, text);
          const out = (globalThis as unknown as { document: { getElementById(id: string): { innerHTML: string; querySelectorAll(s: string): { length: number } } } }).document.getElementById('out');
          out.innerHTML = svg;
          return { nodes: out.querySelectorAll('.node').length };
        } catch (error) {
          return { error: String((error as Error).message ?? error) };
        }
      },
      { text: renderGraph(compiled, 'mermaid'), id: `diagram-${process}` },
    );
    expect(result, process).not.toHaveProperty('error');
    // Every step drawn, and the start marker.
    expect(result.nodes, process).toBeGreaterThanOrEqual(Object.keys(compiled.steps).length);
  });
});
