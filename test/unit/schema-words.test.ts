/** The one vocabulary of schema failures (model/schema-words.ts): pure words, no validator. */
import { describe, expect, it } from 'vitest';
import { codeList, fieldPath, jsonType, keywordWords, typeWord, valuePreview } from '../../model/schema-words.js';

describe('schema words', () => {
  it('name JSON types in a process owner’s words, a mapping and a list rather than an object and an array', () => {
    expect(['string', 'integer', 'number', 'boolean', 'object', 'array', 'null'].map((t) => typeWord(t))).toEqual([
      'text', 'a whole number', 'a number', 'true or false', 'a mapping', 'a list', 'empty',
    ]);
    expect(typeWord('object', { yaml: true })).toBe('a mapping (`key: value` lines)');
    expect(typeWord('array', { yaml: true })).toBe('a list (`[a, b]` or `- item` lines)');
    expect(typeWord('string', { yaml: true })).toBe('text');
  });

  it('tell a whole number from a number, and count a missing value as empty', () => {
    expect([3, 3.5, 'x', true, {}, [], null, undefined].map(jsonType)).toEqual(['integer', 'number', 'string', 'boolean', 'object', 'array', 'null', 'null']);
  });

  it('say what type was expected and what was given, with a short preview of a scalar only when asked', () => {
    expect(keywordWords({ keyword: 'type', params: { type: 'boolean' }, value: 'yes' })).toBe('must be true or false, not text');
    expect(keywordWords({ keyword: 'type', params: { type: 'boolean' }, value: 'yes' }, { preview: true })).toBe('must be true or false, not text ("yes")');
    expect(keywordWords({ keyword: 'type', params: { type: 'string,array' }, value: {} })).toBe('must be text or a list, not a mapping');
    expect(keywordWords({ keyword: 'type', params: { type: ['integer', 'null'] }, value: 1.5 })).toBe('must be a whole number or empty, not a number');
    expect(valuePreview('x'.repeat(60))).toBe(` ("${'x'.repeat(36)}...)`);
  });

  it('list the allowed values of an enum as code, and the value given', () => {
    expect(keywordWords({ keyword: 'enum', params: { allowedValues: ['good', 'damaged'] }, value: 'broken' })).toBe('must be one of `good` or `damaged`, not `broken`');
    expect(keywordWords({ keyword: 'enum', params: { allowedValues: ['a', 'b', 'c'] }, value: { x: 1 } })).toBe('must be one of `a`, `b` or `c`, not a mapping');
    expect(keywordWords({ keyword: 'const', params: { allowedValue: 'stopped' }, value: 'paused' })).toBe('must be `stopped`, not `paused`');
    expect(codeList(['a', 'b'], 'and')).toBe('`a` and `b`');
  });

  it('give limits as at least, at most and more than, with the value that broke them', () => {
    expect(keywordWords({ keyword: 'minimum', params: { limit: 0 }, value: -5 })).toBe('must be at least 0, not -5');
    expect(keywordWords({ keyword: 'maximum', params: { limit: 10 }, value: 11 })).toBe('must be at most 10, not 11');
    expect(keywordWords({ keyword: 'exclusiveMinimum', params: { limit: 0 }, value: 0 })).toBe('must be more than 0');
    expect(keywordWords({ keyword: 'multipleOf', params: { multipleOf: 0.01 }, value: 10.005 })).toBe('must be a multiple of 0.01, not 10.005');
    expect(keywordWords({ keyword: 'minLength', params: { limit: 1 }, value: '' })).toBe('must not be empty');
    expect(keywordWords({ keyword: 'minLength', params: { limit: 3 }, value: 'ab' })).toBe('must have at least 3 characters');
    expect(keywordWords({ keyword: 'minItems', params: { limit: 1 }, value: [] })).toBe('needs at least 1 item');
    expect(keywordWords({ keyword: 'minProperties', params: { limit: 2 }, value: {} })).toBe('needs at least 2 entries');
    expect(keywordWords({ keyword: 'uniqueItems', params: { i: 2, j: 0 }, value: [] })).toBe('lists the same value twice (items 1 and 3)');
  });

  it('say a date or a date-time is expected in the form to write it', () => {
    expect(keywordWords({ keyword: 'format', params: { format: 'date' }, value: '03/02/2026' })).toBe('must be a date (YYYY-MM-DD), not "03/02/2026"');
    expect(keywordWords({ keyword: 'format', params: { format: 'date-time' }, value: 'tomorrow' })).toBe('must be a date-time (ISO 8601 with a time zone, e.g. 2026-03-02T09:00:00Z), not "tomorrow"');
    expect(keywordWords({ keyword: 'format', params: { format: 'hostname' }, value: '-' })).toBe('must be a valid hostname, not "-"');
  });

  it('word a missing or unknown key about the key itself', () => {
    expect(keywordWords({ keyword: 'required', params: { missingProperty: 'name' } })).toBe('is required');
    expect(keywordWords({ keyword: 'additionalProperties', params: { additionalProperty: 'colour' } })).toBe('is not a known field');
  });

  it('leave keywords that only say a subschema failed to that subschema’s own failure', () => {
    for (const keyword of ['if', 'anyOf', 'oneOf', 'allOf', 'properties', 'items', '$ref']) expect(keywordWords({ keyword, params: {} })).toBeUndefined();
  });

  it('write a field path with dots for keys and brackets for list positions', () => {
    expect(fieldPath(['customer', 'name'])).toBe('customer.name');
    expect(fieldPath(['partsUsed', '0', 'quantity'])).toBe('partsUsed[0].quantity');
    expect(fieldPath(['items', 2])).toBe('items[2]');
    expect(fieldPath([])).toBe('');
  });
});
