/**
 * A follow-up N working days after an event, on the time-skipping server, around a public
 * holiday with a weekend make-up day — the mainland-China pattern that help desks counting
 * "1 working day = 24 business hours" get wrong.
 *
 * The time-skipping server can only move forward from today, so the holiday cannot be the
 * shipped calendar's Spring Festival 2026 (the shipped calendar's own dates are covered by the
 * unit tests in test/unit/calendar). Instead the test writes a calendar shaped like it around
 * the next Friday: the holiday runs Monday to Wednesday, and the Sunday before is worked.
 *
 *   Fri F    the case is handled at 10:00 Shanghai time       (day 0, does not count)
 *   Sat F+1  weekend                                           -
 *   Sun F+2  make-up working day                               working day 1
 *   Mon–Wed  public holiday                                    -
 *   Thu F+6                                                    working day 2
 *   Fri F+7                                                    working day 3: follow-up at 18:00
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DefinitionRegistry } from '../../dsl/load/registry.js';
import { openTaskOf, reaches } from '../helpers/cases.js';
import { startedTimers } from '../helpers/history.js';
import { actors, uniqueName } from '../helpers/env.js';
import { timeSkippingSuite } from '../helpers/suites.js';

const DAY = 86_400_000;
const SHANGHAI = 8 * 3_600_000;

/** Midnight (Shanghai) of day `offset` after `day`, as `YYYY-MM-DD`. */
const dateOf = (shanghaiMidnight: number, offset: number) => new Date(shanghaiMidnight + offset * DAY + SHANGHAI).toISOString().slice(0, 10);
/** The instant of `hh:mm` Shanghai time on the day `offset` days after `shanghaiMidnight`. */
const at = (shanghaiMidnight: number, offset: number, hours: number, minutes = 0) => shanghaiMidnight + offset * DAY + (hours * 60 + minutes) * 60_000;

/** Shanghai midnight of the first Friday at least two days after `now`. */
function nextFriday(now: number): number {
  let midnight = Math.floor((now + SHANGHAI) / DAY) * DAY - SHANGHAI + 2 * DAY;
  while (new Date(midnight + SHANGHAI).getUTCDay() !== 5) midnight += DAY;
  return midnight;
}

function calendarYaml(friday: number): string {
  const years = [...new Set([0, 2, 5, 10].map((d) => Number(dateOf(friday, d).slice(0, 4))))];
  return `calendar: holiday-week
version: 1
title: Office hours with a holiday week (test)
time-zone: Asia/Shanghai
week:
  monday: [09:00-12:00, 13:30-18:00]
  tuesday: [09:00-12:00, 13:30-18:00]
  wednesday: [09:00-12:00, 13:30-18:00]
  thursday: [09:00-12:00, 13:30-18:00]
  friday: [09:00-12:00, 13:30-18:00]
  saturday: []
  sunday: []
known-years: [${years.join(', ')}]
holidays:
  - { from: ${dateOf(friday, 3)}, to: ${dateOf(friday, 5)}, name: Test holiday }
working-days:
  - { date: ${dateOf(friday, 2)}, name: Test holiday make-up day }
`;
}

const processYaml = `process: follow-up-after-holiday
version: 1
title: Follow-up three working days after handling
calendar: holiday-week
roles:
  agent: { title: Service agent }
parameters:
  followUpAfter:
    type: duration
    default: 3 working days
    description: When the follow-up call is made after handling.
slas:
  follow-up:
    title: Follow-up call made
    target: 1 working day
    start: { enter: follow-up-call }
    stop: { leave: follow-up-call }
steps:
  handle:
    title: Handle the request
    task: { role: agent, outcomes: [handled] }
    then: wait-for-follow-up
  wait-for-follow-up:
    title: Give the solution time to work
    wait: "\${params.followUpAfter}"
    then: follow-up-call
  follow-up-call:
    title: Call the customer back
    task: { role: agent, outcomes: [satisfied, not-satisfied] }
    then: { satisfied: done, not-satisfied: handle }
  done: { title: Done, end: satisfied }
`;

let dir: string;
let friday: number;

/** The holiday-week calendar and the process, written around the test server's next Friday. */
const suite = timeSkippingSuite({
  async registry(env) {
    friday = nextFriday(Number(await env.currentTimeMs()));
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aftercare-follow-up-'));
    await fs.mkdir(path.join(dir, 'calendars'));
    await fs.writeFile(path.join(dir, 'calendars', 'holiday-week.yaml'), calendarYaml(friday));
    await fs.writeFile(path.join(dir, 'follow-up-after-holiday.yaml'), processYaml);
    return DefinitionRegistry.load([dir]);
  },
});

afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('a follow-up three working days after a Friday before a public holiday', () => {
  it('lands at the end of the Friday after, counting the make-up Sunday and skipping the holiday', async () => {
    const caseId = uniqueName('FU');
    await suite.client.openCase('follow-up-after-holiday', {}, { caseId });
    await openTaskOf(suite.client, caseId, 'handle');

    // Friday 10:00 in Shanghai: the request is handled.
    await suite.env.sleep(at(friday, 0, 10) - Number(await suite.env.currentTimeMs()));
    await suite.client.completeTask(caseId, 'handle', { outcome: 'handled', actor: actors.agent });
    const handledAt = Number(await suite.env.currentTimeMs());
    // Still Friday (the wait counts from when the task was completed, on that day).
    expect(dateOf(friday, 0)).toBe(new Date(handledAt + SHANGHAI).toISOString().slice(0, 10));

    // The wait's deadline, in the case's state and in the timer the workflow asked for: the
    // next Friday at 18:00 (exact instants, whatever the machine's load).
    const waiting = await reaches(suite.client, caseId, 'wait-for-follow-up');
    expect(Object.values(waiting.tokens).find((t) => !t.done && t.stepId === 'wait-for-follow-up')?.wait).toEqual({ kind: 'timer', until: at(friday, 7, 18) });
    const waitTimers = (await startedTimers(suite.env.client, caseId)).filter((t) => t.summary?.startsWith('Give the solution time to work'));
    expect(waitTimers.map((t) => t.firesAt)).toEqual([at(friday, 7, 18)]);

    // Thursday after the holiday, end of day: only two working days have passed.
    await suite.env.sleep(at(friday, 6, 18) - handledAt);
    expect(Object.values((await suite.client.getCase(caseId)).tasks).filter((t) => t.stepId === 'follow-up-call')).toEqual([]);

    // The next Friday at 18:00: the third working day is over, the follow-up call opens.
    await suite.env.sleep(at(friday, 7, 18) - Number(await suite.env.currentTimeMs()) + 1000);
    const call = await openTaskOf(suite.client, caseId, 'follow-up-call');
    // Opened when the timer fired: not before its instant (how long after is the machine's load).
    expect(Date.parse(call.openedAt)).toBeGreaterThanOrEqual(at(friday, 7, 18));
    expect((await startedTimers(suite.env.client, caseId)).find((t) => t.firesAt === at(friday, 7, 18))?.fired).toBe(true);

    // Its own clock: one working day, i.e. by the end of Monday (the weekend is off).
    const clock = (await suite.client.getCase(caseId)).slas['follow-up'];
    expect(clock).toMatchObject({ status: 'running', target: '1 working day', deadline: new Date(at(friday, 10, 18)).toISOString() });

    // Not satisfied: back to handling; satisfied at the second call.
    await suite.client.completeTask(caseId, call.id, { outcome: 'not-satisfied', actor: actors.agent });
    await suite.client.completeTask(caseId, (await openTaskOf(suite.client, caseId, 'handle')).id, { outcome: 'handled', actor: actors.agent });
    const reopenedAt = Number(await suite.env.currentTimeMs());
    await suite.env.sleep(DAY * 8);
    const second = await openTaskOf(suite.client, caseId, 'follow-up-call');
    expect(Date.parse(second.openedAt)).toBeGreaterThan(reopenedAt);
    await suite.client.completeTask(caseId, second.id, { outcome: 'satisfied', actor: actors.agent });
    // The workflow's result, not the state's `closed`: the case records its last SLA events before it completes.
    await suite.client.result(caseId);
    const stops = await suite.db.pool.query("SELECT cycle, result FROM sla_events WHERE case_id = $1 AND event_type = 'stopped' ORDER BY cycle", [caseId]);
    expect(stops.rows.map((r) => r.cycle)).toEqual([1, 2]);
  });
});
