/** The size limits of what callers put into a case (model/limits.ts). */
import { describe, expect, it } from 'vitest';
import { jsonBytes, MAX_TEXT_LENGTH, sizeIssues } from '../../model/limits.js';

describe('jsonBytes', () => {
  it('counts UTF-8 bytes of the JSON text: one for ASCII, three for a Chinese character, four for an emoji', () => {
    expect(jsonBytes({ a: 'b' })).toBe(Buffer.byteLength('{"a":"b"}'));
    expect(jsonBytes('投訴')).toBe(Buffer.byteLength('"投訴"'));
    expect(jsonBytes('é😀')).toBe(Buffer.byteLength('"é😀"'));
    expect(jsonBytes(undefined)).toBe(4); // null
  });
});

describe('sizeIssues', () => {
  it('names a text that is too long by its pointer, and a whole value that is too large', () => {
    expect(sizeIssues({ a: ['x'.repeat(MAX_TEXT_LENGTH + 1)] }, 1_000_000, 'the input')).toEqual([
      { path: '/a/0', message: 'the text at `/a/0` is 16,385 characters long; at most 16,384 are accepted' },
    ]);
    expect(sizeIssues({ a: 'x'.repeat(100) }, 50, 'the input')[0]).toEqual({ path: '', message: 'the input is 108 bytes as JSON; at most 50 are accepted (keep documents and photos in your own store and pass their links)' });
    expect(sizeIssues({ 'a/b': 'ok' }, 100, 'x')).toEqual([]);
  });
});
