/**
 * The codec server as the Web UI and the `temporal` CLI call it: Temporal's remote codec
 * protocol over real HTTP, for a bearer token or the trusted Web UI origin only, with CORS for
 * that origin; anything else refused with a status and a sentence. A browser is shown a case's
 * arguments with the pinned definitions by reference; the CLI gets them exactly.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptionCodec, newCodecKey, parseCodecKeys } from '../../../client/payload-codec.js';
import { startCodecServer, type RunningCodecServer } from '../../../worker/codec-server.js';
import { caseStart } from '../../../workflows/case-start.js';
import { testRegistry } from '../../helpers/env.js';

const codec = new EncryptionCodec(parseCodecKeys(newCodecKey('k1')));
const ui = 'http://localhost:8233';
let server: RunningCodecServer;

beforeAll(async () => {
  server = await startCodecServer({ codec, port: 0, tokens: ['s3cret'], trustedOrigins: [ui] });
});
afterAll(async () => {
  await server?.stop();
});

const asJson = (payload: { metadata?: Record<string, Uint8Array | null> | null; data?: Uint8Array | null }) => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
  data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
});

async function encrypted(value: unknown) {
  const [payload] = await codec.encode([defaultPayloadConverter.toPayload(value)!]);
  return asJson(payload!);
}

function post(route: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${route}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

describe('the codec server', () => {
  it('decodes for a bearer token it knows', async () => {
    const response = await post('/decode', { payloads: [await encrypted({ name: 'Wang Li' })] }, { Authorization: 'Bearer s3cret' });
    expect(response.status).toBe(200);
    const { payloads } = (await response.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(JSON.parse(Buffer.from(payloads[0]!.data, 'base64').toString('utf8'))).toEqual({ name: 'Wang Li' });
    expect(Buffer.from(payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
  });

  it('decodes for the trusted Web UI origin, answering CORS for it', async () => {
    const preflight = await fetch(`${server.url}/decode`, { method: 'OPTIONS', headers: { Origin: ui, 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ui);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('X-Namespace');
    const response = await post('/decode', { payloads: [await encrypted('x')] }, { Origin: ui });
    expect(response.status).toBe(200);
  });

  it('refuses anyone else: no token, a wrong token, another origin', async () => {
    for (const headers of [{}, { Authorization: 'Bearer guess' }, { Origin: 'http://evil.example' }] as Record<string, string>[]) {
      const response = await post('/decode', { payloads: [await encrypted('x')] }, headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'not authorised: send `Authorization: Bearer <token>` with a token of AFTERCARE_CODEC_TOKENS' });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('encodes, and refuses what is not the protocol with a sentence', async () => {
    const auth = { Authorization: 'Bearer s3cret' };
    const plain = asJson(defaultPayloadConverter.toPayload('hello')!);
    const encoded = (await (await post('/encode', { payloads: [plain] }, auth)).json()) as { payloads: { metadata: Record<string, string> }[] };
    expect(Buffer.from(encoded.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
    expect(await (await post('/decode', { nope: 1 }, auth)).json()).toEqual({ error: 'the body has no `payloads` list' });
    expect((await fetch(`${server.url}/other`, { method: 'POST', headers: auth })).status).toBe(404);
  });

  /** The arguments the client starts a repair case with: its definition, its subprocesses' and its calendars pinned whole. */
  async function repairCaseArgs() {
    const registry = await testRegistry();
    const { pinned, subprocesses, calendars, loaded } = registry.pin('repair');
    const input = { customer: { id: 'M-20931', name: 'Wang Li' }, product: { model: 'WM-8' } };
    const { args } = caseStart({ process: loaded.compiled, pinned, subprocesses, calendars, caseId: 'R-1001', input, owner: 'li.na', now: Date.parse('2026-03-02T01:00:00Z') });
    expect(Object.keys(subprocesses).length).toBeGreaterThan(0);
    expect(Object.keys(calendars).length).toBeGreaterThan(0);
    return { args, pinned, subprocesses, calendars, input };
  }

  const decodedValues = async (response: Response) => ((await response.json()) as { payloads: { data: string }[] }).payloads.map((p) => JSON.parse(Buffer.from(p.data, 'base64').toString('utf8')) as Record<string, unknown>);

  it("shows the Web UI a case's arguments with its input first and the pinned definitions and calendars by reference", async () => {
    const { args, pinned, subprocesses, calendars, input } = await repairCaseArgs();
    const other = { caseId: 'R-1001', note: 'not a case start' };
    const response = await post('/decode', { payloads: [await encrypted(args), await encrypted(other)] }, { Origin: ui });
    expect(response.status).toBe(200);
    const [shown, passed] = await decodedValues(response);
    expect(Object.keys(shown!).slice(0, 2)).toEqual(['caseId', 'input']);
    expect(shown).toMatchObject({ caseId: 'R-1001', input, owner: 'li.na', pinned: { process: 'repair', version: pinned.definition.version, hash: pinned.hash } });
    expect(shown!.pinned).toEqual({ process: 'repair', version: pinned.definition.version, hash: pinned.hash });
    expect(shown!.subprocesses).toEqual(Object.fromEntries(Object.entries(subprocesses).map(([name, p]) => [name, { process: p.definition.process, version: p.definition.version, hash: p.hash }])));
    expect(shown!.calendars).toEqual(Object.fromEntries(Object.entries(calendars).map(([name, c]) => [name, { calendar: c.calendar, version: c.version, timeZone: c.timeZone, hash: c.hash }])));
    expect(shown!.shown).toMatch(/by reference/);
    expect(JSON.stringify(shown).length).toBeLessThan(JSON.stringify(args).length / 5);
    expect(passed).toEqual(other);
  });

  it('gives the temporal CLI (a request with a token and no Origin) the arguments exactly', async () => {
    const { args } = await repairCaseArgs();
    const response = await post('/decode', { payloads: [await encrypted(args)] }, { Authorization: 'Bearer s3cret' });
    expect(await decodedValues(response)).toEqual([JSON.parse(JSON.stringify(args))]);
  });
});
