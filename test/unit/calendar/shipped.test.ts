/**
 * definitions/calendars/mainland-china.yaml is exactly what scripts/generate-calendars.ts makes
 * from the installed chinese-days data, and says which years it knows.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateMainlandChina, mainlandChinaFile, readChineseDays } from '../../../scripts/generate-calendars.js';
import { calendar, compiled } from './calendars.js';

describe('the mainland-China calendar', () => {
  it('is up to date with the chinese-days data (run `npm run generate:calendars` when this fails)', () => {
    const current = fs.readFileSync(mainlandChinaFile, 'utf8');
    expect(generateMainlandChina(current)).toBe(current);
  });

  it('knows 2026 only, because the package has no official 2027 schedule yet', () => {
    const { data } = readChineseDays();
    const years = new Set([...Object.keys(data.holidays), ...Object.keys(data.workdays)].map((d) => d.slice(0, 4)));
    expect(years.has('2026')).toBe(true);
    expect(years.has('2027')).toBe(false);
    expect(compiled('mainland-china').knownYears).toEqual([2026]);
    expect(fs.readFileSync(mainlandChinaFile, 'utf8')).toContain('2027 is not in the data yet, so from 2027 on only the weekly hours apply.');
  });

  it('holds every official 2026 holiday and make-up working day of the package', () => {
    const { data } = readChineseDays();
    const cal = compiled('mainland-china');
    const in2026 = (record: Record<string, string>) => Object.keys(record).filter((d) => d.startsWith('2026')).sort();
    expect(Object.keys(cal.holidays)).toEqual(in2026(data.holidays));
    expect(Object.keys(cal.workingDays)).toEqual(in2026(data.workdays));
    // Make-up days are worked like a normal weekday.
    for (const day of Object.values(cal.workingDays)) expect(day.hours).toEqual(cal.week[0]);
  });

  it('counts Friday 13 Feb 2026 + 3 working days to Wednesday 25 Feb, 18:00 in Shanghai', () => {
    const cn = calendar('mainland-china');
    // Sat 14 Feb is a make-up working day (1), 15-23 Feb is Spring Festival, Tue 24 (2), Wed 25 (3).
    expect(cn.isWorkingDay('2026-02-14')).toBe(true);
    for (let day = 15; day <= 23; day++) expect(cn.isWorkingDay(`2026-02-${day}`)).toBe(false);
    expect(new Date(cn.endOfWorkingDays(Date.parse('2026-02-13T10:00:00+08:00'), 3)).toISOString()).toBe('2026-02-25T10:00:00.000Z');
  });
});
