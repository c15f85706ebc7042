/**
 * The codec server: the HTTP endpoint the Temporal Web UI (and `temporal --codec-endpoint`) calls
 * to show an authorised operator the decrypted case — inputs, results, Update payloads, the
 * summaries. Temporal's remote codec protocol: `POST /decode` and `POST /encode` with
 * `{"payloads": [{"metadata": {name: base64}, "data": base64}]}`, answered in the same shape.
 *
 * Who may call it:
 * - a request with `Authorization: Bearer <token>` where the token is one of AFTERCARE_CODEC_TOKENS;
 * - on the dev setup, the Web UI it started: the browser sends that UI's `Origin` (no token: the
 *   dev UI has no login), and the server listens on 127.0.0.1 only.
 * Every other request is refused with 401 and a sentence. CORS answers the allowed origins only.
 *
 * A browser's request (it carries an `Origin`: the Web UI) gets a case's arguments with the
 * pinned definitions by reference, so the case page's Input shows the case's input
 * (worker/codec-presentation.ts); a request without one gets the payloads exactly.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { presentForBrowser } from './codec-presentation.js';

export interface CodecServerOptions {
  codec: PayloadCodec;
  host?: string;
  port: number;
  /** Bearer tokens that may call it. */
  tokens: readonly string[];
  /** Browser origins that may call it without a token (the dev Web UI), and that CORS allows. */
  trustedOrigins: readonly string[];
  log?: (message: string) => void;
}

export interface RunningCodecServer {
  url: string;
  stop(): Promise<void>;
}

/** The largest request body accepted: Temporal's own payload limit is 2 MB; base64 adds a third. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function fromJson(payload: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
    data: Buffer.from(payload.data ?? '', 'base64'),
  };
}

function toJson(payload: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? new Uint8Array()).toString('base64')])),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpRefusal(413, `the request is over ${MAX_BODY_BYTES / 1024 / 1024} MB`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parsePayloads(body: string): Payload[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new HttpRefusal(400, 'the body is not JSON: send {"payloads": [...]}');
  }
  const payloads = (parsed as { payloads?: unknown })?.payloads;
  if (!Array.isArray(payloads)) throw new HttpRefusal(400, 'the body has no `payloads` list');
  return payloads.map((p) => fromJson(p as JsonPayload));
}

export function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  const tokens = new Set(options.tokens);
  const origins = new Set(options.trustedOrigins);

  const authorised = (request: http.IncomingMessage): boolean => {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ') && tokens.has(header.slice('Bearer '.length).trim())) return true;
    const origin = request.headers.origin;
    return origin !== undefined && origins.has(origin);
  };

  const server = http.createServer((request, response) => {
    const origin = request.headers.origin;
    if (origin && origins.has(origin)) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
      response.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
      response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      response.setHeader('Vary', 'Origin');
    }
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method === 'OPTIONS') {
      response.writeHead(204);
      response.end();
      return;
    }
    const route = request.url?.split('?')[0]?.replace(/\/+$/, '');
    void (async () => {
      try {
        if (request.method !== 'POST' || (route !== '/decode' && route !== '/encode')) throw new HttpRefusal(404, 'the codec server answers POST /decode and POST /encode');
        if (!authorised(request)) throw new HttpRefusal(401, 'not authorised: send `Authorization: Bearer <token>` with a token of AFTERCARE_CODEC_TOKENS');
        const payloads = parsePayloads(await readBody(request));
        const decoded = route === '/decode' ? await options.codec.decode(payloads) : undefined;
        const result = decoded ? (origin ? presentForBrowser(decoded) : decoded) : await options.codec.encode(payloads);
        reply(200, { payloads: result.map(toJson) });
      } catch (error) {
        if (error instanceof HttpRefusal) reply(error.status, { error: error.message });
        else {
          options.log?.(`codec server: ${(error as Error).message}`);
          reply(422, { error: (error as Error).message });
        }
      }
    })();
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${address.address}:${address.port}`,
        stop: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
