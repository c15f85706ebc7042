/**
 * What an operator sees, checked in a real browser: headless Chromium opens the Temporal Web UI
 * of a dev server, lists the cases waiting on a role through a visibility query over our custom
 * search attributes, and opens one case's page, where its one-line summary and live details are.
 * Screenshots go to test-results/web-ui/ (git-ignored) for people to look at.
 *
 * The global setup's dev server is headless, so this file starts its own, with the Web UI, on
 * free ports. Skipped, saying why, when there is no Chromium (set AFTERCARE_CHROMIUM to use
 * another binary; .ci/run installs Debian's `chromium`).
 *
 * Case data is encrypted in Temporal (client/payload-codec.ts): the worker and the client have
 * this file's own key, and the Web UI decrypts through the codec server (worker/codec-server.ts)
 * it is pointed at; with the codec server gone, the page shows only encrypted payloads.
 *
 * Every page is a fresh browser profile, as an operator's first visit: nothing here writes the
 * UI's localStorage to set the columns. The dev server's Web UI port is answered by
 * worker/dev/web-ui-front.ts, which installs the case columns on a browser's first page load.
 */
import { testClient } from '../helpers/env.js';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type AftercareClient } from '../../client/index.js';
import { DefinitionRegistry } from '../../dsl/load/registry.js';
import { EncryptionCodec, newCodecKey, parseCodecKeys } from '../../client/payload-codec.js';
import { startCodecServer, type RunningCodecServer } from '../../worker/codec-server.js';
import { projectRoot } from '../../worker/config.js';
import { freePort } from '../../worker/dev/ports.js';
import { startDevServer, type DevServer } from '../../worker/dev/temporal-dev-server.js';
import { waitForTemporal } from '../../worker/services.js';
import { createWorker } from '../../worker/worker.js';
import { caseSearchAttributes } from '../../workflows/search-attributes.js';
import { eventually, openTaskOf } from '../helpers/cases.js';
import { actors, definitionsDir, fixtureProcessesDir, testDatabase, uniqueName, workflowBundle, type TestDatabase } from '../helpers/env.js';

const chromiumPath = process.env.AFTERCARE_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
if (!haveChromium) console.warn(`[web-ui] skipped: no Chromium at ${chromiumPath} (install Debian's \`chromium\` or set AFTERCARE_CHROMIUM)`);

const screenshotsDir = path.join(projectRoot, 'test-results', 'web-ui');

/** The columns an operator sees in the workflow list from the first visit (the UI's own default is Status, Workflow ID, Run ID, Type, Start, End). */
const operatorColumns = ['Status', 'Workflow ID', 'Type', 'CaseSummary', 'CaseStatus', 'CurrentSteps', 'WaitingOnRoles', 'Assignees', 'NextDueAt', 'SlaState', 'SlaDeadline', 'Priority', 'CustomerId'];

/** The open cases the department must act on. */
const departmentQuery = 'CaseStatus = "open" AND WaitingOnRoles = "department"';
const openQuery = 'CaseStatus = "open"';

const customers = [
  { id: 'M-20931', name: 'Wang Li', question: 'Can the dryer be stacked on the washer?' },
  { id: 'M-31877', name: 'Zhou Min', question: 'Why does the fridge click at night?' },
  { id: 'M-40112', name: 'Liu Yang', question: 'Is the oven door glass replaceable?' },
];

describe.skipIf(!haveChromium)('the Temporal Web UI for operators', () => {
  let db: TestDatabase;
  let server: DevServer;
  let browser: Browser;
  let client: AftercareClient;
  let stopWorker: () => Promise<void>;
  const closers: (() => Promise<unknown>)[] = [];
  // This file has a dev server of its own, so the case ids can read like real ones.
  const waiting = ['P-1001', 'P-1002'];
  const cancelled = 'P-1003';
  const otherRole = 'E-2001';
  const codec = new EncryptionCodec(parseCodecKeys(newCodecKey('web-ui-test')));
  let codecServer: RunningCodecServer;
  let codecPort: number;

  beforeAll(async () => {
    db = await testDatabase();
    closers.push(() => db.close());
    codecPort = await freePort();
    const uiPort = await freePort();
    codecServer = await startCodecServer({ codec, port: codecPort, tokens: [], trustedOrigins: [`http://localhost:${uiPort}`] });
    closers.push(() => codecServer.stop());
    server = await startDevServer({ cli: inject('temporalCli'), port: await freePort(), uiPort, namespace: 'default', searchAttributes: caseSearchAttributes, log: () => undefined, codecEndpoint: codecServer.url });
    closers.push(() => server.stop());
    await waitForTemporal(server.address, 'default');

    const taskQueue = uniqueName('web-ui');
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    closers.push(() => nativeConnection.close());
    const worker = await createWorker({ connection: nativeConnection, namespace: 'default', taskQueue, pool: db.pool, workflowBundle: await workflowBundle(), payloadCodec: codec });
    const running = worker.run();
    stopWorker = async () => {
      worker.shutdown();
      await running;
    };
    const connection = await Connection.connect({ address: server.address });
    closers.push(() => connection.close());
    // Only the files this test uses: other definitions may be mid-edit in the working tree.
    const registry = await DefinitionRegistry.load([
      path.join(definitionsDir, 'passed-on-question.yaml'),
      path.join(fixtureProcessesDir, 'every-step.yaml'),
      path.join(fixtureProcessesDir, 'child-process.yaml'),
    ]);
    client = await testClient(new Client({ connection, namespace: 'default', dataConverter: { payloadCodecs: [codec] } }), registry, { taskQueue });

    // Two questions waiting on the department, one cancelled, and a case waiting on an agent.
    for (const [i, caseId] of [...waiting, cancelled].entries()) {
      const customer = customers[i] as (typeof customers)[number];
      await client.openCase('passed-on-question', { customer: { id: customer.id, name: customer.name, phone: '138-0013-8000' }, question: customer.question, channel: 'phone' }, { caseId });
    }
    await client.openCase('every-step', { customer: { id: 'M-55555', name: 'Sun Hui' }, amount: 4200 }, { caseId: otherRole, owner: actors.agent.id });
    for (const caseId of [...waiting, cancelled]) await openTaskOf(client, caseId, 'answer');
    await openTaskOf(client, otherRole, 'review');
    await client.cancelCase(cancelled, 'customer withdrew the question', actors.agent);
    // Visibility is a second or so behind: wait until it lists what the page will.
    await eventually(async () => {
      const listed = await client.listCases({ query: openQuery });
      const ready = listed.length === waiting.length + 1 && listed.every((c) => c.waitingOnRoles.length > 0);
      return ready ? listed : undefined;
    }, 'visibility to list the open cases with the roles they wait on');

    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    closers.push(() => browser.close());
    await fs.mkdir(screenshotsDir, { recursive: true });
  });

  afterAll(async () => {
    await stopWorker?.();
    for (const close of closers.reverse()) await close();
  });

  /** A page in a browser profile of its own: an operator opening the Web UI for the first time. */
  async function newPage(viewport = { width: 2000, height: 480 }): Promise<Page> {
    return browser.newPage({ viewport });
  }

  /** Saves what the page shows right of the navigation bar (the part about the cases). */
  async function screenshot(page: Page, name: string): Promise<void> {
    const viewport = page.viewportSize() ?? { width: 1600, height: 800 };
    const nav = (await page.getByRole('navigation').first().boundingBox())?.width ?? 0;
    await page.screenshot({ path: path.join(screenshotsDir, name), clip: { x: nav, y: 0, width: viewport.width - nav, height: viewport.height } });
  }

  const columnHeaders = async (page: Page) => (await page.locator('thead th[data-testid^="workflows-summary-table-header-cell-"]').allInnerTexts()).map((h) => h.trim());

  /** Opens the workflow list for `query` and reads its rows: case id → column → text. */
  async function listFor(page: Page, query: string, rowCount: number, columns = operatorColumns): Promise<Map<string, Record<string, string>>> {
    await page.goto(`${server.uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(query)}`);
    const rows = page.getByTestId('workflows-summary-configurable-table-row');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(rowCount);
    const headers = await columnHeaders(page);
    expect(headers).toEqual(columns);
    const table = new Map<string, Record<string, string>>();
    for (const row of await rows.all()) {
      const cells = (await row.getByTestId('workflows-summary-table-body-cell').allInnerTexts()).map((text) => text.trim());
      const byColumn = Object.fromEntries(headers.map((header, i) => [header, cells[i] ?? '']));
      table.set(byColumn['Workflow ID'] ?? '?', byColumn);
    }
    return table;
  }

  it('lists the open cases with their process, status, step, the role that must act, assignee and priority', async () => {
    const page = await newPage();
    try {
      const table = await listFor(page, openQuery, waiting.length + 1);
      expect([...table.keys()].sort()).toEqual([...waiting, otherRole].sort());
      for (const [i, caseId] of waiting.entries()) {
        // The question has no SLA clock: no SLA state or deadline.
        expect(table.get(caseId)).toMatchObject({ Status: expect.stringMatching(/running/i), Type: 'passed-on-question', CaseStatus: 'open', CurrentSteps: 'answer', WaitingOnRoles: 'department', Assignees: '', SlaState: '', SlaDeadline: '', Priority: '', CustomerId: customers[i]?.id });
        expect(table.get(caseId)?.NextDueAt).toMatch(/\d{4}/);
        // The search attribute is kept in clear by Temporal: the customer's name is masked there.
        expect(table.get(caseId)?.CaseSummary).toBe(`Question ${caseId} · ••• · ${customers[i]?.question}`);
      }
      expect(table.get(otherRole)).toMatchObject({ Type: 'every-step', CaseStatus: 'open', CurrentSteps: 'review', WaitingOnRoles: 'agent', Assignees: actors.agent.id, Priority: 'high', CustomerId: 'M-55555' });
      await screenshot(page, 'open-cases.png');
    } finally {
      await page.close();
    }
  });

  it('lists only the open cases waiting on the department when filtered by WaitingOnRoles', async () => {
    const page = await newPage();
    try {
      const table = await listFor(page, departmentQuery, waiting.length);
      expect([...table.keys()].sort()).toEqual([...waiting].sort());
      await screenshot(page, 'cases-waiting-on-department.png');
    } finally {
      await page.close();
    }
  });

  it("shows a case's one-line summary and its live details on the case page", async () => {
    const [caseId] = waiting as [string];
    const customer = customers[0] as (typeof customers)[number];
    const page = await newPage({ width: 1600, height: 780 });
    try {
      await page.goto(`${server.uiUrl}/namespaces/default/workflows/${caseId}`);
      await page.getByRole('link', { name: 'User Metadata' }).or(page.getByRole('tab', { name: 'User Metadata' })).first().click();
      // The UI renders each markdown block (summary, details, current details) in its own iframe.
      const blocks = async () => {
        const texts = await Promise.all(page.frames().filter((frame) => frame !== page.mainFrame()).map((frame) => frame.locator('body').innerText().catch(() => '')));
        return texts.map((text) => text.trim()).filter(Boolean);
      };
      const summary = `Question ${caseId} · ${customer.name} · ${customer.question}`;
      await expect.poll(blocks, { timeout: 30_000 }).toContain(summary);
      const shown = await blocks();
      expect(shown.filter((text) => /^Passed-on question, version 2 \(definition [0-9a-f]{12}\)$/.test(text))).toHaveLength(1);
      const current = shown.find((text) => text.startsWith('Passed-on question · version 2 · open'));
      expect(current).toContain('Answer the customer');
      expect(current).toMatch(/department/);
      expect(await page.locator('main').innerText()).toMatch(/Summary[\s\S]*Details[\s\S]*Current Details/);
      await screenshot(page, 'case-summary-and-details.png');
    } finally {
      await page.close();
    }
  });

  /** The text of the case page (its Input and Results card shows the case's input). */
  async function casePage(page: Page, caseId: string): Promise<string> {
    await page.goto(`${server.uiUrl}/namespaces/default/workflows/${caseId}`);
    await page.getByText('Workflow Type').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(2000);
    return page.locator('main').innerText();
  }

  it("keeps an operator's own columns, and gives the case columns back at /aftercare/case-columns", async () => {
    const page = await newPage();
    try {
      await listFor(page, openQuery, waiting.length + 1);
      // What "Configure Columns" saves when the operator keeps three columns (the UI's own format).
      const own = ['Status', 'Workflow ID', 'CaseStatus'];
      await page.evaluate((columns: string[]) => {
        (globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } }).localStorage.setItem('namespace-workflow-table-columns', JSON.stringify({ default: columns.map((label) => ({ label })) }));
      }, own);
      // Without the cookie the next page load is a "first" one again: the operator's choice stays.
      await page.context().clearCookies();
      await listFor(page, openQuery, waiting.length + 1, own);
      await page.goto(`${server.uiUrl}/aftercare/case-columns`);
      await page.waitForURL(/\/namespaces\/default\/workflows\?query=/);
      expect(new URL(page.url()).searchParams.get('query')).toBe(openQuery);
      const rows = page.getByTestId('workflows-summary-configurable-table-row');
      await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(waiting.length + 1);
      expect(await columnHeaders(page)).toEqual(operatorColumns);
    } finally {
      await page.close();
    }
  });

  it('offers the case views beside the UI\'s own, each opening its query', async () => {
    const page = await newPage({ width: 2000, height: 700 });
    try {
      await page.goto(`${server.uiUrl}/namespaces/default/workflows`);
      await page.getByTestId('workflows-summary-configurable-table-row').first().waitFor({ timeout: 30_000 });
      for (const [name, query, count] of [['Failed cases', 'CaseStatus = "failed"', 0], ['Open cases', openQuery, waiting.length + 1]] as const) {
        await page.getByRole('button', { name: /Saved Views|Open cases|Failed cases|Late cases/ }).first().click();
        await page.getByRole('menuitem', { name }).or(page.getByRole('option', { name })).or(page.getByRole('button', { name })).first().click();
        await expect.poll(() => new URL(page.url()).searchParams.get('query'), { timeout: 10_000 }).toBe(query);
        await expect.poll(() => page.getByTestId('workflows-summary-configurable-table-row').count(), { timeout: 30_000 }).toBe(count);
      }
      await screenshot(page, 'case-views.png');
    } finally {
      await page.close();
    }
  });

  it("opens a case page on the case's input, with its pinned definition by reference", async () => {
    const [caseId] = waiting as [string];
    const customer = customers[0] as (typeof customers)[number];
    const page = await newPage({ width: 1600, height: 1400 });
    try {
      const shown = await expect.poll(() => casePage(page, caseId), { timeout: 45_000 }).toContain('"shown": "by the Aftercare codec server');
      void shown;
      const text = await page.locator('main').innerText();
      const input = text.slice(text.indexOf('"caseId"'), text.indexOf('"shown"'));
      expect(input).toMatch(new RegExp(`^"caseId": "${caseId}",\\s*"input": \\{\\s*"customer": \\{\\s*"id": "${customer.id}"`));
      expect(input).toContain(`"question": "${customer.question}"`);
      expect(input).toMatch(/"pinned": \{\s*"process": "passed-on-question",\s*"version": 2,\s*"hash": "[0-9a-f]{64}"\s*\}/);
      // None of the definition itself: its steps, roles, title.
      for (const part of ['"steps"', '"roles"', '"title"', '"definition"']) expect(input).not.toContain(part);
      await screenshot(page, 'case-input.png');
    } finally {
      await page.close();
    }
  });

  it("shows the case's input decrypted through the codec server, and only encrypted payloads without it", async () => {
    const [caseId] = waiting as [string];
    const page = await newPage({ width: 1600, height: 1000 });
    try {
      await expect.poll(() => casePage(page, caseId), { timeout: 45_000 }).toContain(`"caseId": "${caseId}"`);
      await screenshot(page, 'case-input-decrypted.png');
      await codecServer.stop();
      await page.waitForTimeout(500);
      const shown = await casePage(page, caseId);
      await page.waitForTimeout(2000);
      await screenshot(page, 'case-input-encrypted.png');
      const later = await page.locator('main').innerText();
      for (const text of [shown, later]) {
        expect(text).not.toContain('"caseId"');
        expect(text).not.toContain('passed-on-question"');
      }
      // The UI says it could not reach the codec server, and shows the ciphertext.
      expect(later).toContain('Codec Server could not connect');
    } finally {
      codecServer = await startCodecServer({ codec, port: codecPort, tokens: [], trustedOrigins: [server.uiUrl as string] });
      await page.close();
    }
  });
});
