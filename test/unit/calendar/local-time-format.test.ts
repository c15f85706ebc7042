/** How an instant reads in a zone (live details, the CLI): local wall time and the offset that pins it. */
import { describe, expect, it } from 'vitest';
import { formatLocalTime } from '../../../dsl/calendar/local-time.js';

describe('formatLocalTime', () => {
  it('writes the wall time in the zone with its offset, across a date line and a DST change', () => {
    expect(formatLocalTime(Date.parse('2026-12-02T16:05:59.999Z'), 'Asia/Shanghai')).toBe('2026-12-03 00:05 UTC+8');
    expect(formatLocalTime(Date.parse('2026-12-02T16:05:00Z'), 'UTC')).toBe('2026-12-02 16:05 UTC');
    expect(formatLocalTime(Date.parse('2026-03-29T20:00:00Z'), 'Asia/Kolkata')).toBe('2026-03-30 01:30 UTC+5:30');
    expect(formatLocalTime(Date.parse('2026-03-08T06:59:00Z'), 'America/New_York')).toBe('2026-03-08 01:59 UTC-5');
    expect(formatLocalTime(Date.parse('2026-03-08T07:00:00Z'), 'America/New_York')).toBe('2026-03-08 03:00 UTC-4');
  });
});
