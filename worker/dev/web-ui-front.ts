/**
 * The dev stack's Web UI with the case columns from an operator's first visit.
 *
 * The Temporal Web UI (2.54, shipped with the pinned Temporal CLI) keeps the workflow list's
 * columns and saved views in the browser's localStorage, per origin and per namespace
 * (`namespace-workflow-table-columns`, `saved-workflow-queries`); neither its server
 * configuration, the dev server's `--ui-*` flags nor the address can set them, and its built-in
 * default is Status, Workflow ID, Run ID, Type, Start, End. Only a page on the UI's own origin
 * can write them. So `npm start` runs the UI on a private port and answers the UI's port itself:
 * every request goes through to the UI unchanged, except
 *
 * - an operator's first page load in a browser (a document request without our cookie): a
 *   one-line page installs the case columns and the case views — only where the browser holds
 *   no columns of its own for the namespace, so an operator's own choice is never overwritten —
 *   and reloads the page asked for;
 * - `/aftercare/case-columns`: installs them again (over the operator's own columns), then opens
 *   the list of open cases: the way back after "Configure Columns" went astray.
 *
 * Other deployments (the `temporal-ui` service of docker-compose.yml, Temporal Cloud) have no
 * such front: there operators add the columns once with "Configure Columns" (docs/operators.md).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The list's columns: who must act, by when, how late, for whom. The first two stay pinned. */
export const caseColumns = ['Status', 'Workflow ID', 'Type', 'CaseSummary', 'CaseStatus', 'CurrentSteps', 'WaitingOnRoles', 'Assignees', 'NextDueAt', 'SlaState', 'SlaDeadline', 'Priority', 'CustomerId'] as const;

/** Saved views beside the UI's own ("All", "Running"…), each a query of docs/operators.md. */
export const caseViews = [
  { name: 'Open cases', query: 'CaseStatus = "open"' },
  { name: 'Late cases', query: 'CaseStatus = "open" AND SlaState = "breached"' },
  { name: 'Failed cases', query: 'CaseStatus = "failed"' },
] as const;

/** Where the explicit install sends the operator. */
export const CASE_COLUMNS_PATH = '/aftercare/case-columns';

export interface WebUiFrontOptions {
  /** The port operators open. */
  port: number;
  host?: string;
  /** The Temporal Web UI behind it, on 127.0.0.1. */
  uiPort: number;
  namespace: string;
}

export interface RunningWebUiFront {
  url: string;
  stop(): Promise<void>;
}

/** The page that installs the columns: `overwrite` for the explicit install, `next` the address to go on to. */
function installPage(options: { namespace: string; overwrite: boolean; next: string }): { html: string; nonce: string } {
  const nonce = randomBytes(16).toString('base64');
  const settings = JSON.stringify({
    namespace: options.namespace,
    overwrite: options.overwrite,
    next: options.next,
    columns: caseColumns.map((label, i) => ({ label, ...(i < 2 ? { pinned: true } : {}) })),
    views: caseViews.map((view, i) => ({ id: `aftercare-${i + 1}`, name: view.name, query: view.query, type: 'user' })),
  }).replace(/</g, '\\u003c');
  const script = `(() => {
  const s = ${settings};
  const read = (key) => { try { const v = JSON.parse(localStorage.getItem(key) || '{}'); return v && typeof v === 'object' ? v : {}; } catch { return {}; } };
  const tables = read('namespace-workflow-table-columns');
  if (s.overwrite || !Array.isArray(tables[s.namespace]) || tables[s.namespace].length === 0) {
    tables[s.namespace] = s.columns;
    localStorage.setItem('namespace-workflow-table-columns', JSON.stringify(tables));
  }
  const saved = read('saved-workflow-queries');
  const views = Array.isArray(saved[s.namespace]) ? saved[s.namespace] : [];
  for (const view of s.views) if (!views.some((v) => v && v.name === view.name)) views.push(view);
  saved[s.namespace] = views;
  localStorage.setItem('saved-workflow-queries', JSON.stringify(saved));
  location.replace(s.next);
})();`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Aftercare: case columns</title></head><body><p>Installing the case columns in this browser's Temporal Web UI…</p><script nonce="${nonce}">${script}</script></body></html>`;
  return { html, nonce };
}

/** The UI's own asset and API paths: never a page load to intercept. */
const passThroughPrefixes = ['/_app/', '/api/', '/render', '/css/', '/i18n/', '/codemirror/', '/auth/', '/healthz'];

export function startWebUiFront(options: WebUiFrontOptions): Promise<RunningWebUiFront> {
  // Cookies are kept per host, not per port: the cookie names the port.
  const cookie = `aftercare-case-columns-${options.port}`;
  const listOfOpenCases = `/namespaces/${encodeURIComponent(options.namespace)}/workflows?query=${encodeURIComponent(caseViews[0].query)}`;

  const server = http.createServer((request, response) => {
    const url = request.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    const answer = (status: number, body: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
      response.end(body);
    };
    const install = (overwrite: boolean, next: string) => {
      const page = installPage({ namespace: options.namespace, overwrite, next });
      answer(200, page.html, {
        'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${page.nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
        'Set-Cookie': `${cookie}=installed; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly`,
      });
    };

    if (request.method === 'GET' && path === CASE_COLUMNS_PATH) return install(true, listOfOpenCases);
    const firstPageLoad =
      request.method === 'GET' &&
      request.headers['sec-fetch-dest'] === 'document' &&
      !passThroughPrefixes.some((prefix) => path.startsWith(prefix)) &&
      !(request.headers.cookie ?? '').split(';').some((part) => part.trim().startsWith(`${cookie}=`));
    if (firstPageLoad) return install(false, url);

    const upstream = http.request({ host: '127.0.0.1', port: options.uiPort, method: request.method, path: url, headers: request.headers }, (reply) => {
      response.writeHead(reply.statusCode ?? 502, reply.statusMessage, reply.headers);
      reply.pipe(response);
    });
    upstream.on('error', (error) => {
      if (response.headersSent) response.destroy(error);
      else answer(502, `<p>The Temporal Web UI behind this address (127.0.0.1:${options.uiPort}) is not answering: ${error.message.replace(/[<&]/g, '')}</p>`);
    });
    request.pipe(upstream);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://localhost:${address.port}`,
        stop: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
