/**
 * The same calendar computations give the same instants whatever the worker's own time zone:
 * a worker in Los Angeles and one in Tokyo must agree with each other (and with this process),
 * or a case replayed on another machine would take a different path.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const script = path.join(import.meta.dirname, 'compute-in-zone.ts');

function computeWithTz(tz: string): Record<string, unknown> {
  const output = execFileSync(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, TZ: tz }, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(output) as Record<string, unknown>;
}

describe('calendar arithmetic and the host time zone', () => {
  it('gives identical results on hosts in Los Angeles, Tokyo and UTC', () => {
    const losAngeles = computeWithTz('America/Los_Angeles');
    const tokyo = computeWithTz('Asia/Tokyo');
    const utc = computeWithTz('UTC');
    // The zones really were in force in the children.
    expect(losAngeles.hostOffsetMinutes).toBe(480);
    expect(tokyo.hostOffsetMinutes).toBe(-540);
    expect(utc.hostOffsetMinutes).toBe(0);
    const { hostOffsetMinutes: _la, ...laResults } = losAngeles;
    const { hostOffsetMinutes: _tokyo, ...tokyoResults } = tokyo;
    const { hostOffsetMinutes: _utc, ...utcResults } = utc;
    expect(Object.keys(laResults)).toHaveLength(4);
    expect((laResults['mainland-china'] as unknown[]).length).toBeGreaterThan(200);
    expect(tokyoResults).toEqual(laResults);
    expect(utcResults).toEqual(laResults);
  });
});
