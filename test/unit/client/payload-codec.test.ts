/**
 * The payload codec: what it encrypts cannot be read without the key, decrypts to exactly what
 * went in, and keys rotate — the first key encrypts, every key decrypts, and a payload names its
 * key. A tampered payload, a missing key and a malformed key set are refused with a sentence.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { CodecKeyError, EncryptionCodec, isEncrypted, newCodecKey, parseCodecKeys } from '../../../client/payload-codec.js';

const payloadOf = (value: unknown) => defaultPayloadConverter.toPayload(value)!;
const valueOf = (payload: Parameters<typeof defaultPayloadConverter.fromPayload>[0]) => defaultPayloadConverter.fromPayload(payload);
const customer = { name: 'Wang Li', phone: '138-0013-8000', address: '12 Wenyi West Road, Hangzhou' };

describe('the encryption codec', () => {
  const codec = new EncryptionCodec(parseCodecKeys(newCodecKey('k1')));

  it('encrypts a payload so that none of its text shows, and decrypts it to what went in', async () => {
    const [encrypted] = await codec.encode([payloadOf({ customer })]);
    expect(isEncrypted(encrypted!)).toBe(true);
    const bytes = Buffer.from(encrypted!.data!);
    for (const text of Object.values(customer)) expect(bytes.includes(Buffer.from(text))).toBe(false);
    const [decrypted] = await codec.decode([encrypted!]);
    expect(valueOf(decrypted!)).toEqual({ customer });
  });

  it('compresses a large payload before encrypting it, and reads it back; a small one is not compressed', async () => {
    const fs = await import('node:fs');
    const definition = fs.readFileSync(new URL('../../../definitions/complaint.yaml', import.meta.url), 'utf8');
    const large = payloadOf({ definition, customer });
    const [compressed, small] = await codec.encode([large, payloadOf({ customer })]);
    expect(new TextDecoder().decode(compressed!.metadata!.compression!)).toBe('deflate');
    expect(compressed!.data!.length).toBeLessThan(large.data!.length / 3);
    expect(small!.metadata!.compression).toBeUndefined();
    const bytes = Buffer.from(compressed!.data!);
    for (const text of Object.values(customer)) expect(bytes.includes(Buffer.from(text))).toBe(false);
    expect((await codec.decode([compressed!, small!])).map(valueOf)).toEqual([{ definition, customer }, { customer }]);
  });

  it('refuses a payload compressed in a way it does not know, naming it', async () => {
    const [encrypted] = await codec.encode([payloadOf('x'.repeat(4000))]);
    const marked = { ...encrypted!, metadata: { ...encrypted!.metadata, compression: new TextEncoder().encode('zstd') } };
    await expect(codec.decode([marked])).rejects.toThrow(/compressed with `zstd`/);
  });

  it('encrypts the same value differently each time (a fresh IV)', async () => {
    const [a, b] = await codec.encode([payloadOf('same'), payloadOf('same')]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('passes through payloads it did not encrypt (cases from before encryption)', async () => {
    const plain = payloadOf({ customer });
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('refuses a tampered payload', async () => {
    const [encrypted] = await codec.encode([payloadOf('amount: 100')]);
    const data = Buffer.from(encrypted!.data!);
    data[20] = (data[20] ?? 0) ^ 1;
    await expect(codec.decode([{ ...encrypted!, data }])).rejects.toThrow(/unable to authenticate|auth/i);
  });
});

describe('key rotation', () => {
  const oldKey = newCodecKey('2026-06');
  const newKey = newCodecKey('2026-12');

  it('decrypts what the old key encrypted once a new key is put first, and encrypts with the new one', async () => {
    const before = new EncryptionCodec(parseCodecKeys(oldKey));
    const after = new EncryptionCodec(parseCodecKeys(`${newKey},${oldKey}`));
    const [old] = await before.encode([payloadOf({ customer })]);
    expect(valueOf((await after.decode([old!]))[0]!)).toEqual({ customer });
    const [fresh] = await after.encode([payloadOf('x')]);
    expect(new TextDecoder().decode(fresh!.metadata!['encryption-key-id']!)).toBe('2026-12');
    expect(after.currentKeyId).toBe('2026-12');
  });

  it('says which key is missing when a payload names one the process lacks', async () => {
    const [old] = await new EncryptionCodec(parseCodecKeys(oldKey)).encode([payloadOf('x')]);
    await expect(new EncryptionCodec(parseCodecKeys(newKey)).decode([old!])).rejects.toThrow('a payload is encrypted with key `2026-06`, which this process does not have');
  });
});

describe('a key set', () => {
  it('is id:base64 entries, by commas or lines, comments allowed', () => {
    const keys = parseCodecKeys(`# keys: id:base64, the first one encrypting\n${newCodecKey('a')}\n${newCodecKey('b')},${newCodecKey('c')}`);
    expect(keys.map((k) => k.id)).toEqual(['a', 'b', 'c']);
  });

  it('is refused, saying why, when empty, malformed, short or repeated', () => {
    expect(() => parseCodecKeys('', 'AFTERCARE_CODEC_KEYS')).toThrow(new CodecKeyError('AFTERCARE_CODEC_KEYS hold no key: give `id:base64key`, the first one encrypting'));
    expect(() => parseCodecKeys('nocolon')).toThrow('entry 1: expected `id:base64key`');
    expect(() => parseCodecKeys(`k:${Buffer.alloc(16).toString('base64')}`)).toThrow('an AES-256 key is 32 bytes, this one is 16 (make one with `openssl rand -base64 32`)');
    const key = newCodecKey('k');
    expect(() => parseCodecKeys(`${key},${key}`)).toThrow('the key id `k` is given twice');
    expect(() => parseCodecKeys(`bad id:${Buffer.alloc(32).toString('base64')}`)).toThrow('the key id `bad id` may use');
  });
});
