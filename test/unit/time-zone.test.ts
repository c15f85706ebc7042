/** The company's time zone the reports read months and dates in (worker/time-zone.ts). */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../worker/config.js';
import { companyTimeZone, TimeZoneError } from '../../worker/time-zone.js';
import { definitionsDir } from '../helpers/env.js';

let scratch: string;
beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'time-zone-'));
});
afterAll(() => fs.rm(scratch, { recursive: true, force: true }));

/** A definitions folder with the shipped calendars and processes that name `calendars`. */
async function folder(name: string, calendars: (string | undefined)[]): Promise<string> {
  const dir = path.join(scratch, name);
  await fs.cp(path.join(definitionsDir, 'calendars'), path.join(dir, 'calendars'), { recursive: true });
  for (const [i, calendar] of calendars.entries()) {
    await fs.writeFile(path.join(dir, `p${i}.yaml`), `process: p${i}\nversion: 1\n${calendar ? `calendar: ${calendar}\n` : ''}`);
  }
  return dir;
}

describe('the company’s time zone', () => {
  it('is the zone of the shipped processes’ calendar, Asia/Shanghai', async () => {
    expect(await companyTimeZone({ timeZone: undefined, definitionsDir })).toBe('Asia/Shanghai');
  });

  it('is AFTERCARE_TIME_ZONE when it is set', async () => {
    const config = readConfig({ AFTERCARE_TIME_ZONE: 'Europe/Berlin' });
    expect(config.timeZone).toBe('Europe/Berlin');
    expect(await companyTimeZone({ ...config, definitionsDir })).toBe('Europe/Berlin');
    expect(() => readConfig({ AFTERCARE_TIME_ZONE: 'Shanghai' })).toThrow('AFTERCARE_TIME_ZONE=Shanghai is not a time zone: give an IANA name such as Asia/Shanghai or UTC');
  });

  it('is UTC when no process names a calendar', async () => {
    expect(await companyTimeZone({ timeZone: undefined, definitionsDir: await folder('none', [undefined]) })).toBe('UTC');
  });

  it('asks for AFTERCARE_TIME_ZONE when the processes’ calendars are in different zones', async () => {
    const mixed = { timeZone: undefined, definitionsDir: await folder('mixed', ['mainland-china', 'monday-to-friday']) };
    await expect(companyTimeZone(mixed)).rejects.toBeInstanceOf(TimeZoneError);
    await expect(companyTimeZone(mixed)).rejects.toThrow(
      "the processes' calendars are in different time zones: Asia/Shanghai (mainland-china), UTC (monday-to-friday); set AFTERCARE_TIME_ZONE to the company's, e.g. AFTERCARE_TIME_ZONE=Asia/Shanghai",
    );
    expect(await companyTimeZone({ ...mixed, timeZone: 'Asia/Shanghai' })).toBe('Asia/Shanghai');
  });
});
