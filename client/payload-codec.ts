/**
 * Customer data is never in clear in Temporal: every payload — workflow and activity inputs and
 * results, Update arguments and results, queries, memo, the summaries and details the Web UI
 * shows — is encrypted with AES-256-GCM before it leaves the client or the worker, and decrypted
 * when it comes back. Only search attributes stay in clear (the server indexes them), so the case
 * puts no personal data in them (workflows/presentation.ts masks the summary).
 *
 * Keys have ids. The first key of the set encrypts; every key decrypts, so a key is rotated by
 * putting the new one first and keeping the old ones for as long as cases or histories encrypted
 * with them exist. An encrypted payload carries the id of its key in its metadata.
 *
 * Payloads of a kilobyte or more are compressed (raw deflate) before they are encrypted, and
 * marked so: a case's start carries its whole pinned definition, which shrinks five- to tenfold,
 * and Temporal stores, sends and bills history by the byte. The ciphertext's length then says
 * how well the plain text compressed; telling anything from that needs someone who can both
 * put chosen text into a case's payload and watch its stored size change, many times over.
 *
 * The codec runs outside the workflow sandbox (in the client's and the worker's data converter),
 * so it may use Node's crypto and zlib.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Payload, PayloadCodec } from '@temporalio/common';
// A CommonJS package: Node's ESM loader gives its exports as the default export only.
import proto from '@temporalio/proto';

const { temporal } = proto;

/** The encoding this codec marks its payloads with. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
const ENCODING = new TextEncoder().encode(ENCRYPTED_ENCODING);
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Payloads at least this long (encoded, in bytes) are compressed before they are encrypted. */
export const COMPRESS_FROM_BYTES = 1024;
const DEFLATE = new TextEncoder().encode('deflate');
/** What a compressed payload may inflate to: Temporal refuses payloads far smaller (2 MB by default). */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

export interface CodecKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

export class CodecKeyError extends Error {
  override name = 'CodecKeyError';
}

/**
 * Parses a key set: `id:base64key` entries separated by commas or new lines, the first one
 * encrypting (`2026-12:3q2+7w...=,2026-06:...`). Each key is 32 random bytes in base64.
 */
export function parseCodecKeys(text: string, source = 'the codec keys'): CodecKey[] {
  const entries = text
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new CodecKeyError(`${source} hold no key: give \`id:base64key\`, the first one encrypting`);
  const keys = entries.map((entry, i) => {
    const colon = entry.indexOf(':');
    if (colon <= 0) throw new CodecKeyError(`${source}, entry ${i + 1}: expected \`id:base64key\``);
    const id = entry.slice(0, colon);
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) throw new CodecKeyError(`${source}, entry ${i + 1}: the key id \`${id}\` may use letters, digits, dot, dash and underscore (at most 64)`);
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (key.length !== 32) throw new CodecKeyError(`${source}, key \`${id}\`: an AES-256 key is 32 bytes, this one is ${key.length} (make one with \`openssl rand -base64 32\`)`);
    return { id, key };
  });
  const ids = keys.map((k) => k.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) throw new CodecKeyError(`${source}: the key id \`${repeated}\` is given twice`);
  return keys;
}

/** A new key set entry: `id:base64` of 32 random bytes. */
export function newCodecKey(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

/** Encrypts with the first key, decrypts with the key a payload names; passes through payloads it did not encrypt. */
export class EncryptionCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;
  private readonly current: CodecKey;

  constructor(keys: readonly CodecKey[]) {
    const [current] = keys;
    if (!current) throw new CodecKeyError('the codec needs at least one key');
    this.current = current;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** The id of the key new payloads are encrypted with. */
  get currentKeyId(): string {
    return this.current.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoded = temporal.api.common.v1.Payload.encode(payload).finish();
      const compressed = encoded.length >= COMPRESS_FROM_BYTES;
      const plain = compressed ? deflateRawSync(encoded) : encoded;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: ENCODING, 'encryption-key-id': new TextEncoder().encode(this.current.id), ...(compressed ? { compression: DEFLATE } : {}) }, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (!isEncrypted(payload)) return payload;
      const keyId = new TextDecoder().decode(payload.metadata?.['encryption-key-id'] ?? new Uint8Array());
      const key = this.byId.get(keyId);
      if (!key) throw new CodecKeyError(`a payload is encrypted with key \`${keyId}\`, which this process does not have: add it to AFTERCARE_CODEC_KEYS (after the current one)`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) throw new CodecKeyError('an encrypted payload is too short to be one');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      // Payloads encrypted before compression existed carry no `compression`, and are read as they are.
      const compression = payload.metadata?.compression;
      if (compression && new TextDecoder().decode(compression) !== 'deflate') throw new CodecKeyError(`a payload is compressed with \`${new TextDecoder().decode(compression)}\`, which this codec does not know`);
      return temporal.api.common.v1.Payload.decode(compression ? inflateRawSync(plain, { maxOutputLength: MAX_INFLATED_BYTES }) : plain);
    });
  }
}

export function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && encoding !== null && new TextDecoder().decode(encoding) === ENCRYPTED_ENCODING;
}
