/**
 * The calendar loader reports every mistake of a calendar file at its line and column with a
 * stable code, as the process loader does; the registry and `aftercare validate` check
 * calendars with the processes that name them.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCalendars } from '../../../dsl/load/calendar-load.js';
import { loadDefinitions } from '../../../dsl/load/load.js';
import type { Problem } from '../../../dsl/problems.js';
import { DefinitionRegistry, DefinitionsInvalidError } from '../../../dsl/load/registry.js';
import { projectRoot } from '../../../worker/config.js';
import { fixtureCalendarsDir, shippedCalendarsDir } from './calendars.js';

const broken = (file: string) => path.join(fixtureCalendarsDir, 'broken', file);

/** `line:col CODE` of each problem, for compact assertions. */
function where(problems: Problem[]): string[] {
  return problems.map((p) => `${p.line}:${p.column} ${p.code}`);
}

async function problemsOf(file: string): Promise<Problem[]> {
  const result = await loadCalendars([broken(file)]);
  expect(result.calendars).toEqual([]);
  return result.problems;
}

describe('calendar files with mistakes', () => {
  it('CALENDAR_TIME_ZONE_UNKNOWN: a misspelt zone, with the nearest real one', async () => {
    const problems = await problemsOf('time-zone-unknown.yaml');
    expect(where(problems)).toEqual(['4:12 CALENDAR_TIME_ZONE_UNKNOWN']);
    expect(problems[0]?.message).toBe('`Asia/Shangai` is not an IANA time zone; did you mean `Asia/Shanghai`?');
    expect(problems[0]?.path).toBe('/time-zone');
  });

  it('CALENDAR_INTERVAL_INVALID: backwards, badly written, past 24:00, and midnight written as 00:00', async () => {
    const problems = await problemsOf('interval-invalid.yaml');
    expect(where(problems)).toEqual(['7:13 CALENDAR_INTERVAL_INVALID', '8:15 CALENDAR_INTERVAL_INVALID', '9:14 CALENDAR_INTERVAL_INVALID', '10:25 CALENDAR_INTERVAL_INVALID']);
    expect(problems.map((p) => p.message)).toEqual([
      '`18:00-09:00` does not end after it starts',
      '`week.wednesday[1]`: `9-17` is not a working interval: write `HH:MM-HH:MM`, e.g. `09:00-12:00`',
      '`09:00-24:30` ends after 24:00; split a night shift into `22:00-24:00` on one day and `00:00-06:00` on the next',
      '`22:00-00:00` does not end after it starts; write `24:00` for midnight at the end of the day',
    ]);
  });

  it('CALENDAR_INTERVALS_OVERLAP: two intervals of one day overlap, reported on the second', async () => {
    const problems = await problemsOf('intervals-overlap.yaml');
    expect(where(problems)).toEqual(['10:7 CALENDAR_INTERVALS_OVERLAP']);
    expect(problems[0]?.message).toBe('`12:00-17:00` overlaps `08:00-12:30`; merge them into `08:00-17:00` or fix one');
    expect(problems[0]?.path).toBe('/week/wednesday/1');
  });

  it('CALENDAR_DATE_INVALID: a day that does not exist, a range that runs backwards, a date with slashes', async () => {
    const problems = await problemsOf('date-invalid.yaml');
    expect(where(problems)).toEqual(['15:13 CALENDAR_DATE_INVALID', '16:29 CALENDAR_DATE_INVALID', '17:13 CALENDAR_DATE_INVALID']);
    expect(problems[0]?.message).toBe('`2026-02-30` is not a real date (check the month and the day)');
    expect(problems[1]?.message).toBe('the range ends on 2026-10-01, before it starts on 2026-10-07');
  });

  it('CALENDAR_DAY_CONFLICT: a make-up day inside a holiday, and a make-up day listed twice', async () => {
    const problems = await problemsOf('day-conflict.yaml');
    expect(where(problems)).toEqual(['18:13 CALENDAR_DAY_CONFLICT', '19:13 CALENDAR_DAY_CONFLICT']);
    expect(problems[0]?.message).toBe('2026-10-04 is both a holiday (National Day) and an extra working day; keep one of them');
    expect(problems[1]?.message).toBe('2026-09-20 is already an extra working day (item 1 of `working-days`); keep one of them');
  });

  it('CALENDAR_DATE_OUTSIDE_KNOWN_YEARS: a holiday and a make-up day of years the file does not claim to know', async () => {
    const problems = await problemsOf('outside-known-years.yaml');
    expect(where(problems)).toEqual(['16:13 CALENDAR_DATE_OUTSIDE_KNOWN_YEARS', '18:13 CALENDAR_DATE_OUTSIDE_KNOWN_YEARS']);
    expect(problems[0]?.message).toBe('`2027` is not in `known-years` (2026); add it when the file holds that year’s whole official schedule, or fix the date');
  });

  it('CALENDAR_NO_WORKING_TIME: a week without hours (a lonely make-up day does not help)', async () => {
    const problems = await problemsOf('no-working-time.yaml');
    expect(where(problems)).toEqual(['6:3 CALENDAR_NO_WORKING_TIME']);
  });

  it('CALENDAR_DUPLICATE: one calendar version defined differently in two files', async () => {
    const result = await loadCalendars([broken('duplicate')]);
    expect(result.problems.map((p) => `${path.basename(p.file)} ${p.line}:${p.column} ${p.code}`)).toEqual(['second.yaml 2:10 CALENDAR_DUPLICATE']);
    expect(result.problems[0]?.message).toBe(`calendar \`twice\` version 1 is also defined, differently, in ${broken('duplicate/first.yaml')}; raise the version of the newer file`);
    expect(result.calendars.map((c) => path.basename(c.file))).toEqual(['first.yaml']);
  });

  it('the same calendar in two files with the same content is no conflict', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'calendars-'));
    const text = await fs.readFile(path.join(shippedCalendarsDir, 'monday-to-friday.yaml'), 'utf8');
    await fs.writeFile(path.join(dir, 'a.yaml'), text);
    await fs.writeFile(path.join(dir, 'b.yaml'), text.replace('# The plainest', '# A copy of the plainest'));
    const result = await loadCalendars([dir]);
    expect(result.problems).toEqual([]);
    expect(result.calendars[0]?.compiled.hash).toBe(result.calendars[1]?.compiled.hash);
  });

  it('CALENDAR_UNKNOWN: a process and an SLA clock name calendars no file defines', async () => {
    const calendars = await loadCalendars([shippedCalendarsDir]);
    const result = await loadDefinitions([broken('process-with-unknown-calendars.yaml')], { calendars: calendars.names });
    expect(where(result.problems)).toEqual(['5:11 CALENDAR_UNKNOWN', '12:15 CALENDAR_UNKNOWN']);
    expect(result.problems[0]?.message).toBe('calendar `mainland-chna` is not defined; known calendars: `mainland-china` and `monday-to-friday`; did you mean `mainland-china`?');
  });

  it('shape mistakes get the schema codes, each at its place', async () => {
    const problems = await problemsOf('schema-problems.yaml');
    expect(where(problems)).toEqual([
      '1:11 SCHEMA_NAME',
      '2:10 SCHEMA_RANGE',
      '5:1 SCHEMA_REQUIRED',
      '7:12 SCHEMA_TYPE',
      '12:1 SCHEMA_UNKNOWN_KEY',
      '15:5 SCHEMA_INVALID',
      '15:13 CALENDAR_DATE_OUTSIDE_KNOWN_YEARS',
      '16:5 SCHEMA_INVALID',
    ]);
    expect(problems.find((p) => p.code === 'SCHEMA_REQUIRED')?.message).toBe('`week` is missing `sunday`: add `sunday:`');
    expect(problems.filter((p) => p.code === 'SCHEMA_INVALID').map((p) => p.message)).toEqual([
      '`holidays[1]` gives both `date:` and a range: keep `date:` for one day, or `from:` and `to:` for several',
      '`holidays[2]` needs `date:` for one day, or both `from:` and `to:` for a range of days',
    ]);
  });

  it('a process definition left in the calendars folder is named as such', async () => {
    const result = await loadCalendars([broken('process-with-unknown-calendars.yaml')]);
    expect(where(result.problems)).toEqual(['2:1 SCHEMA_REQUIRED']);
    expect(result.names.size).toBe(0);
  });

  it('an unreadable file and a file that is not a mapping', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'calendars-'));
    await fs.writeFile(path.join(dir, 'list.yaml'), '- 09:00-17:00\n');
    const result = await loadCalendars([path.join(dir, 'missing.yaml'), path.join(dir, 'list.yaml')]);
    expect(result.problems.map((p) => `${path.basename(p.file)} ${p.code}`)).toEqual(['list.yaml YAML_NOT_A_MAPPING', 'missing.yaml FILE_UNREADABLE']);
  });
});

describe('the shipped calendars', () => {
  it('load without problems, with a content hash', async () => {
    const result = await loadCalendars([shippedCalendarsDir]);
    expect(result.problems).toEqual([]);
    expect(result.calendars.map((c) => `${c.compiled.calendar} v${c.compiled.version}`)).toEqual(['mainland-china v1', 'monday-to-friday v1']);
    for (const c of result.calendars) expect(c.compiled.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('the registry with calendars', () => {
  it('pins the calendars a process and its SLA clocks use, at their highest version, as plain JSON', async () => {
    const registry = await DefinitionRegistry.load([path.join(projectRoot, 'definitions')]);
    expect(registry.calendars()).toEqual(['mainland-china', 'monday-to-friday']);
    const used = registry.processes().filter((p) => registry.get(p).compiled.calendar === 'mainland-china');
    expect(used.length).toBeGreaterThan(0);
    for (const process of used) {
      const { calendars } = registry.pin(process);
      expect(Object.keys(calendars)).toContain('mainland-china');
      expect(calendars['mainland-china']).toEqual(registry.calendar('mainland-china').compiled);
      expect(JSON.parse(JSON.stringify(calendars))).toEqual(calendars);
    }
    expect(registry.pin('passed-on-question').calendars).toEqual({});
  });

  it('pins the newest version of a calendar; a case opened before keeps the one it pinned', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'definitions-'));
    await fs.mkdir(path.join(dir, 'calendars'));
    const text = await fs.readFile(path.join(shippedCalendarsDir, 'monday-to-friday.yaml'), 'utf8');
    await fs.writeFile(path.join(dir, 'calendars', 'v1.yaml'), text);
    const process = (await fs.readFile(broken('process-with-unknown-calendars.yaml'), 'utf8')).replace('mainland-chna', 'monday-to-friday').replace('weekdays-only', 'monday-to-friday');
    await fs.writeFile(path.join(dir, 'process.yaml'), process);
    const before = (await DefinitionRegistry.load([dir])).pin('unknown-calendar').calendars;
    await fs.writeFile(path.join(dir, 'calendars', 'v2.yaml'), text.replace('version: 1', 'version: 2').replace(/\[09:00-17:00\]/g, '[08:00-16:00]'));
    const after = (await DefinitionRegistry.load([dir])).pin('unknown-calendar').calendars;
    expect(before['monday-to-friday']?.version).toBe(1);
    expect(before['monday-to-friday']?.week[0]).toEqual([[540, 1020]]);
    expect(after['monday-to-friday']?.version).toBe(2);
    expect(after['monday-to-friday']?.week[0]).toEqual([[480, 960]]);
    expect(after['monday-to-friday']?.hash).not.toBe(before['monday-to-friday']?.hash);
  });

  it('refuses to load when a calendar is broken or a process names an unknown one, listing both', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'definitions-'));
    await fs.mkdir(path.join(dir, 'calendars'));
    await fs.copyFile(broken('time-zone-unknown.yaml'), path.join(dir, 'calendars', 'zone.yaml'));
    await fs.copyFile(broken('process-with-unknown-calendars.yaml'), path.join(dir, 'process.yaml'));
    const error = await DefinitionRegistry.load([dir]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DefinitionsInvalidError);
    expect((error as DefinitionsInvalidError).problems.map((p) => `${path.basename(p.file)} ${p.line}:${p.column} ${p.code}`)).toEqual([
      'zone.yaml 4:12 CALENDAR_TIME_ZONE_UNKNOWN',
      'process.yaml 5:11 CALENDAR_UNKNOWN',
      'process.yaml 12:15 CALENDAR_UNKNOWN',
    ]);
  });
});

describe('aftercare validate', () => {
  const run = (...args: string[]) => {
    try {
      return { status: 0, stdout: execFileSync(process.execPath, ['bin/aftercare.js', 'validate', ...args], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 }) };
    } catch (error) {
      const e = error as { status: number; stdout: string };
      return { status: e.status, stdout: e.stdout };
    }
  };

  it('checks the shipped definitions together with their calendars', () => {
    const { status, stdout } = run();
    expect(status).toBe(0);
    expect(stdout).toContain('calendar mainland-china v1, calendar monday-to-friday v1');
  });

  it('reports calendar problems as file:line:col CODE message', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'definitions-'));
    await fs.mkdir(path.join(dir, 'calendars'));
    await fs.copyFile(broken('intervals-overlap.yaml'), path.join(dir, 'calendars', 'overlap.yaml'));
    const { status, stdout } = run(dir);
    expect(status).toBe(1);
    expect(stdout).toContain(`${path.relative(projectRoot, path.join(dir, 'calendars', 'overlap.yaml'))}:10:7  CALENDAR_INTERVALS_OVERLAP  \`12:00-17:00\` overlaps \`08:00-12:30\``);
  });
});
