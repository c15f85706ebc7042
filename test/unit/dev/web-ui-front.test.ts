/**
 * The front of the dev Web UI (worker/dev/web-ui-front.ts) over real HTTP, with a stand-in
 * for the UI behind it: everything but a browser's first page load goes through unchanged, both
 * ways; the first page load and /aftercare/case-columns get the page that installs the columns.
 * test/browser/web-ui.test.ts checks the same in Chromium against the real Web UI.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../worker/dev/ports.js';
import { caseColumns, startWebUiFront, type RunningWebUiFront } from '../../../worker/dev/web-ui-front.js';

let ui: http.Server;
let front: RunningWebUiFront;
const seen: { method?: string; url?: string; cookie?: string; body: string }[] = [];

beforeAll(async () => {
  ui = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({ method: request.method, url: request.url, cookie: request.headers.cookie, body });
      response.writeHead(201, { 'Content-Type': 'application/json', 'Set-Cookie': '_csrf=abc; Path=/' });
      response.end(JSON.stringify({ from: 'ui', url: request.url }));
    });
  });
  await new Promise<void>((resolve) => ui.listen(0, '127.0.0.1', resolve));
  front = await startWebUiFront({ port: await freePort(), uiPort: (ui.address() as AddressInfo).port, namespace: 'default' });
});
afterAll(async () => {
  await front?.stop();
  await new Promise((resolve) => ui?.close(resolve));
});

const cookieName = () => `aftercare-case-columns-${new URL(front.url).port}`;

describe('the dev Web UI front', () => {
  it('passes API calls, assets and page loads without a browser through unchanged, both ways', async () => {
    const post = await fetch(`${front.url}/api/v1/namespaces/default/workflows?query=x`, { method: 'POST', body: '{"a":1}', headers: { Cookie: '_csrf=abc' } });
    expect(post.status).toBe(201);
    expect(post.headers.get('set-cookie')).toBe('_csrf=abc; Path=/');
    expect(await post.json()).toEqual({ from: 'ui', url: '/api/v1/namespaces/default/workflows?query=x' });
    expect(seen.at(-1)).toEqual({ method: 'POST', url: '/api/v1/namespaces/default/workflows?query=x', cookie: '_csrf=abc', body: '{"a":1}' });
    // A page load, but not a browser's (no Sec-Fetch-Dest): curl, a health check.
    expect(await (await fetch(`${front.url}/namespaces/default/workflows`)).json()).toEqual({ from: 'ui', url: '/namespaces/default/workflows' });
    // A browser's page load that already has the columns (the cookie), and an asset.
    const again = await fetch(`${front.url}/namespaces/default/workflows`, { headers: { 'Sec-Fetch-Dest': 'document', Cookie: `${cookieName()}=installed` } });
    expect(await again.json()).toEqual({ from: 'ui', url: '/namespaces/default/workflows' });
    expect((await fetch(`${front.url}/_app/immutable/start.js`, { headers: { 'Sec-Fetch-Dest': 'document' } })).status).toBe(201);
  });

  it("answers a browser's first page load with the page that installs the columns where none are kept, then reloads it", async () => {
    const before = seen.length;
    const response = await fetch(`${front.url}/namespaces/default/workflows?query=CaseStatus%3D%22open%22`, { headers: { 'Sec-Fetch-Dest': 'document' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(new RegExp(`^${cookieName()}=installed; Path=/; Max-Age=\\d+; SameSite=Lax; HttpOnly$`));
    const nonce = /script-src 'nonce-([^']+)'/.exec(response.headers.get('content-security-policy') ?? '')?.[1];
    const html = await response.text();
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).toContain('"overwrite":false');
    expect(html).toContain('"next":"/namespaces/default/workflows?query=CaseStatus%3D%22open%22"');
    expect(html).toContain(JSON.stringify(caseColumns.map((label, i) => ({ label, ...(i < 2 ? { pinned: true } : {}) }))));
    expect(seen.length).toBe(before);
  });

  it('installs them over the kept ones at /aftercare/case-columns, going on to the open cases', async () => {
    const html = await (await fetch(`${front.url}/aftercare/case-columns`, { headers: { Cookie: `${cookieName()}=installed` } })).text();
    expect(html).toContain('"overwrite":true');
    expect(html).toContain(`"next":"/namespaces/default/workflows?query=${encodeURIComponent('CaseStatus = "open"')}"`);
  });

  it('says so when the UI behind it does not answer', async () => {
    const port = await freePort();
    const orphan = await startWebUiFront({ port: await freePort(), uiPort: port, namespace: 'default' });
    try {
      const response = await fetch(`${orphan.url}/api/v1/settings`);
      expect(response.status).toBe(502);
      expect(await response.text()).toContain(`The Temporal Web UI behind this address (127.0.0.1:${port}) is not answering`);
    } finally {
      await orphan.stop();
    }
  });
});
