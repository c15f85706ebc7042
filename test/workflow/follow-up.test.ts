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
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AftercareClient } from '../../client/index.js';
import { DefinitionRegistry } from '../../dsl/registry.js';
import { createWorker } from '../../worker/worker.js';
import { openTaskOf } from '../helpers/cases.js';
import { actors, testDatabase, timeSkippingEnvironment, uniqueName, workflowBundle, type TestDatabase } from '../helpers/env.js';

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

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let worker: Worker;
let client: AftercareClient;
let running: Promise<void>;
let dir: string;
let friday: number;

beforeAll(async () => {
  env = await timeSkippingEnvironment();
  friday = nextFriday(Number(await env.currentTimeMs()));
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aftercare-follow-up-'));
  await fs.mkdir(path.join(dir, 'calendars'));
  await fs.writeFile(path.join(dir, 'calendars', 'holiday-week.yaml'), calendarYaml(friday));
  await fs.writeFile(path.join(dir, 'follow-up-after-holiday.yaml'), processYaml);
  const registry = await DefinitionRegistry.load([dir]);
  db = await testDatabase();
  const taskQueue = uniqueName('tq');
  worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, pool: db.pool, workflowBundle: await workflowBundle() });
  client = new AftercareClient(env.client, registry, { taskQueue });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await db?.close();
  await env?.teardown();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('a follow-up three working days after a Friday before a public holiday', () => {
  it('lands at the end of the Friday after, counting the make-up Sunday and skipping the holiday', async () => {
    const caseId = uniqueName('FU');
    await client.openCase('follow-up-after-holiday', {}, { caseId });
    await openTaskOf(client, caseId, 'handle');

    // Friday 10:00 in Shanghai: the request is handled.
    await env.sleep(at(friday, 0, 10) - Number(await env.currentTimeMs()));
    await client.completeTask(caseId, 'handle', { outcome: 'handled', actor: actors.agent });
    const handledAt = Number(await env.currentTimeMs());
    expect(handledAt - at(friday, 0, 10)).toBeLessThan(60_000);

    // Thursday after the holiday, end of day: only two working days have passed.
    await env.sleep(at(friday, 6, 18) - handledAt);
    expect(Object.values((await client.getCase(caseId)).tasks).filter((t) => t.stepId === 'follow-up-call')).toEqual([]);

    // The next Friday at 18:00: the third working day is over, the follow-up call opens.
    await env.sleep(at(friday, 7, 18) - Number(await env.currentTimeMs()) + 1000);
    const call = await openTaskOf(client, caseId, 'follow-up-call');
    const openedAt = Date.parse(call.openedAt);
    expect(openedAt - at(friday, 7, 18)).toBeGreaterThanOrEqual(0);
    expect(openedAt - at(friday, 7, 18)).toBeLessThan(2000);

    // Its own clock: one working day, i.e. by the end of Monday (the weekend is off).
    const clock = (await client.getCase(caseId)).slas['follow-up'];
    expect(clock).toMatchObject({ status: 'running', target: '1 working day', deadline: new Date(at(friday, 10, 18)).toISOString() });

    // Not satisfied: back to handling; satisfied at the second call.
    await client.completeTask(caseId, call.id, { outcome: 'not-satisfied', actor: actors.agent });
    await client.completeTask(caseId, (await openTaskOf(client, caseId, 'handle')).id, { outcome: 'handled', actor: actors.agent });
    const reopenedAt = Number(await env.currentTimeMs());
    await env.sleep(DAY * 8);
    const second = await openTaskOf(client, caseId, 'follow-up-call');
    expect(Date.parse(second.openedAt)).toBeGreaterThan(reopenedAt);
    await client.completeTask(caseId, second.id, { outcome: 'satisfied', actor: actors.agent });
    // The workflow's result, not the state's `closed`: the case records its last SLA events before it completes.
    await client.result(caseId);
    const stops = await db.pool.query("SELECT cycle, result FROM sla_events WHERE case_id = $1 AND event_type = 'stopped' ORDER BY cycle", [caseId]);
    expect(stops.rows.map((r) => r.cycle)).toEqual([1, 2]);
  });
});
