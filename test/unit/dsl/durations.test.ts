/**
 * Durations as process owners write them (dsl/durations.ts): every elapsed unit, business
 * hours, working days, templates, and the messages for what cannot be read.
 */
import { describe, expect, it } from 'vitest';
import { describeDuration, describeMs, parseDuration, type DurationSpec } from '../../../dsl/durations.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const hint = 'write for example `30s`, `24h`, `1h 30m`, `3 days`, `8 business hours` or `3 working days`';

function parsed(text: string): DurationSpec {
  const result = parseDuration(text);
  if (!result.ok) throw new Error(`expected \`${text}\` to parse, got: ${result.message}`);
  return result.value;
}

function refused(text: string): string {
  const result = parseDuration(text);
  if (result.ok) throw new Error(`expected \`${text}\` to be refused, got ${JSON.stringify(result.value)}`);
  return result.message;
}

describe('parseDuration: elapsed time', () => {
  const units: [string[], number][] = [
    [['ms', 'millisecond', 'milliseconds'], 1],
    [['s', 'sec', 'secs', 'second', 'seconds'], SECOND],
    [['m', 'min', 'mins', 'minute', 'minutes'], MINUTE],
    [['h', 'hr', 'hrs', 'hour', 'hours'], HOUR],
    [['d', 'day', 'days'], DAY],
    [['w', 'week', 'weeks'], WEEK],
  ];
  for (const [names, size] of units) {
    for (const unit of names) {
      it(`reads 3 ${unit} as three times ${size} ms, attached or spaced`, () => {
        expect(parsed(`3${unit}`)).toEqual({ kind: 'elapsed', ms: 3 * size, text: `3${unit}` });
        expect(parsed(`3 ${unit}`)).toEqual({ kind: 'elapsed', ms: 3 * size, text: `3 ${unit}` });
      });
    }
  }

  it('adds up several parts, whether spaced, run together, or joined by commas and "and"', () => {
    expect(parsed('1h 30m')).toMatchObject({ kind: 'elapsed', ms: HOUR + 30 * MINUTE });
    expect(parsed('1h30m')).toMatchObject({ kind: 'elapsed', ms: HOUR + 30 * MINUTE });
    expect(parsed('2 days, 4 hours')).toMatchObject({ kind: 'elapsed', ms: 2 * DAY + 4 * HOUR });
    expect(parsed('1 hour and 15 minutes')).toMatchObject({ kind: 'elapsed', ms: HOUR + 15 * MINUTE });
    expect(parsed('1w 2d 3h 4m 5s 6ms')).toMatchObject({ kind: 'elapsed', ms: WEEK + 2 * DAY + 3 * HOUR + 4 * MINUTE + 5 * SECOND + 6 });
  });

  it('accepts decimal amounts and rounds the total to whole milliseconds', () => {
    expect(parsed('1.5h')).toMatchObject({ kind: 'elapsed', ms: 90 * MINUTE });
    expect(parsed('0.25 days')).toMatchObject({ kind: 'elapsed', ms: 6 * HOUR });
    expect(parsed('1.5ms')).toMatchObject({ kind: 'elapsed', ms: 2 });
  });

  it('reads units in any letter case, as business hours already were', () => {
    expect(parsed('24H')).toMatchObject({ kind: 'elapsed', ms: DAY });
    expect(parsed('3 Days')).toMatchObject({ kind: 'elapsed', ms: 3 * DAY });
  });

  it('keeps the text as written, without surrounding blanks, for people to read', () => {
    expect(parsed('  24h  ')).toEqual({ kind: 'elapsed', ms: DAY, text: '24h' });
  });
});

describe('parseDuration: business time', () => {
  it('reads business hours, singular or plural, whole or decimal', () => {
    expect(parsed('8 business hours')).toEqual({ kind: 'business-hours', hours: 8 });
    expect(parsed('1 business hour')).toEqual({ kind: 'business-hours', hours: 1 });
    expect(parsed('2.5 Business Hours')).toEqual({ kind: 'business-hours', hours: 2.5 });
  });

  it('reads working days, also written as business days', () => {
    expect(parsed('3 working days')).toEqual({ kind: 'working-days', days: 3 });
    expect(parsed('1 working day')).toEqual({ kind: 'working-days', days: 1 });
    expect(parsed('5 business days')).toEqual({ kind: 'working-days', days: 5 });
  });

  it('refuses zero business hours and zero working days', () => {
    expect(refused('0 business hours')).toBe('`0 business hours` must be more than zero business hours');
    expect(refused('0 working days')).toBe('`0 working days` must be at least one working day');
  });

  it('refuses a fraction of a working day, saying working days are whole numbers', () => {
    expect(refused('1.5 working days')).toBe(`\`1.5 working days\` is not a duration: ${hint} (working days are whole numbers)`);
  });

  it('refuses other phrases that mention working or business time', () => {
    expect(refused('3 working weeks')).toBe(`\`3 working weeks\` is not a duration: ${hint} (working days are whole numbers)`);
    expect(refused('business hours')).toBe(`\`business hours\` is not a duration: ${hint} (working days are whole numbers)`);
  });
});

describe('parseDuration: templates and errors', () => {
  it('keeps a `${...}` template to be evaluated when the case gets there', () => {
    expect(parsed('${input.promisedWithin}')).toEqual({ kind: 'expression', template: '${input.promisedWithin}' });
    expect(parsed('  ${params.reminder}  ')).toEqual({ kind: 'expression', template: '${params.reminder}' });
  });

  it('refuses an empty or blank duration and shows the accepted forms', () => {
    expect(refused('')).toBe(`an empty duration; ${hint}`);
    expect(refused('   ')).toBe(`an empty duration; ${hint}`);
  });

  it('names a word that is not a unit of time', () => {
    expect(refused('2 fortnights')).toBe(`\`fortnights\` in \`2 fortnights\` is not a unit of time: ${hint}`);
    expect(refused('1h 3 months')).toBe(`\`months\` in \`1h 3 months\` is not a unit of time: ${hint}`);
  });

  it('refuses text that is not a number followed by a unit', () => {
    expect(refused('soon')).toBe(`\`soon\` is not a duration: ${hint}`);
    expect(refused('30')).toBe(`\`30\` is not a duration: ${hint}`);
    expect(refused('-5s')).toBe(`\`-5s\` is not a duration: ${hint}`);
    expect(refused('1h30')).toBe(`\`1h30\` is not a duration: ${hint}`);
  });

  it('refuses a duration of zero', () => {
    expect(refused('0s')).toBe('`0s` must be longer than zero');
    expect(refused('0h 0m')).toBe('`0h 0m` must be longer than zero');
  });
});

describe('describeMs', () => {
  it('gives milliseconds below a second', () => {
    expect(describeMs(0)).toBe('0 ms');
    expect(describeMs(999)).toBe('999 ms');
  });

  it('names units in the singular for one and the plural otherwise', () => {
    expect(describeMs(SECOND)).toBe('1 second');
    expect(describeMs(45 * MINUTE)).toBe('45 minutes');
    expect(describeMs(HOUR)).toBe('1 hour');
    expect(describeMs(2 * DAY)).toBe('2 days');
  });

  it('gives at most the two largest non-zero units', () => {
    expect(describeMs(2 * DAY + 3 * HOUR)).toBe('2 days 3 hours');
    expect(describeMs(DAY + HOUR + MINUTE + SECOND)).toBe('1 day 1 hour');
    expect(describeMs(2 * DAY + 5 * MINUTE + 7 * SECOND)).toBe('2 days 5 minutes');
    expect(describeMs(MINUTE + SECOND)).toBe('1 minute 1 second');
  });

  it('rounds to whole seconds from one second up', () => {
    expect(describeMs(1500)).toBe('2 seconds');
  });
});

describe('describeDuration', () => {
  it('gives an elapsed duration in the words the author wrote', () => {
    expect(describeDuration(parsed('1h 30m'))).toBe('1h 30m');
  });

  it('describes an elapsed duration without its text by its length', () => {
    expect(describeDuration({ kind: 'elapsed', ms: 90 * MINUTE })).toBe('1 hour 30 minutes');
  });

  it('describes business hours and working days, singular and plural', () => {
    expect(describeDuration({ kind: 'business-hours', hours: 1 })).toBe('1 business hour');
    expect(describeDuration({ kind: 'business-hours', hours: 8 })).toBe('8 business hours');
    expect(describeDuration({ kind: 'working-days', days: 1 })).toBe('1 working day');
    expect(describeDuration({ kind: 'working-days', days: 3 })).toBe('3 working days');
  });

  it('gives a template as it is written', () => {
    expect(describeDuration({ kind: 'expression', template: '${input.within}' })).toBe('${input.within}');
  });
});
