/**
 * A calendar updated while cases run (next year's holidays published, say): cases of a process
 * with `calendar-updates: follow` take the new version when it is pushed, and their running SLA
 * clocks move their deadlines; cases of a process that keeps its calendars are not touched.
 * On the dev server, through the client and the CLI as typed.
 */
import { testClient } from '../helpers/env.js';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { type AftercareClient } from '../../client/index.js';
import { BusinessCalendar } from '../../dsl/calendar/working-time.js';
import { DefinitionRegistry } from '../../dsl/load/registry.js';
import { updateCalendarsUpdate } from '../../workflows/messages.js';
import { openTaskOf } from '../helpers/cases.js';
import { runAftercare } from '../helpers/cli.js';
import { uniqueName } from '../helpers/env.js';
import { devServerSuite } from '../helpers/suites.js';

const suite = devServerSuite();
let dir: string;

const calendar = (version: number, holidays: string[]) => {
  const year = new Date().getUTCFullYear();
  return `calendar: office
version: ${version}
title: Office hours (test)
time-zone: Asia/Shanghai
week:
  monday: [09:00-18:00]
  tuesday: [09:00-18:00]
  wednesday: [09:00-18:00]
  thursday: [09:00-18:00]
  friday: [09:00-18:00]
  saturday: []
  sunday: []
known-years: [${year}, ${year + 1}]
${holidays.length ? `holidays:\n${holidays.map((d) => `  - { date: ${d}, name: Newly announced holiday }`).join('\n')}\n` : ''}`;
};

const processYaml = (name: string, updates: 'keep' | 'follow') => `process: ${name}
version: 1
title: Reply within three working days (${updates})
calendar: office
calendar-updates: ${updates}
roles:
  agent: { title: Service agent }
slas:
  reply:
    title: Reply
    target: 3 working days
    stop: { leave: reply }
steps:
  reply:
    title: Reply to the customer
    task: { role: agent, outcomes: [replied] }
    then: done
  done: { title: Done, end: replied }
`;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aftercare-calendar-updates-'));
  await fs.mkdir(path.join(dir, 'calendars'));
  await fs.writeFile(path.join(dir, 'calendars', 'office.yaml'), calendar(1, []));
  await fs.writeFile(path.join(dir, 'follows.yaml'), processYaml('follows-calendar', 'follow'));
  await fs.writeFile(path.join(dir, 'keeps.yaml'), processYaml('keeps-calendar', 'keep'));
});
afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

const clientOf = async () => testClient(suite.client.temporal, await DefinitionRegistry.load([dir]), { taskQueue: suite.taskQueue });
const deadlineOf = async (client: AftercareClient, caseId: string) => Date.parse((await client.getCase(caseId)).slas.reply?.deadline ?? '');

describe('calendar updates for running cases', () => {
  it('moves the deadlines of cases that follow, leaves the others, and is safe to push twice', async () => {
    const before = await clientOf();
    const follows = uniqueName('CAL');
    const keeps = uniqueName('CAL');
    await before.openCase('follows-calendar', {}, { caseId: follows });
    await before.openCase('keeps-calendar', {}, { caseId: keeps });
    await openTaskOf(before, follows, 'reply');
    await openTaskOf(before, keeps, 'reply');
    const [followsDeadline, keepsDeadline] = [await deadlineOf(before, follows), await deadlineOf(before, keeps)];
    const v1 = new BusinessCalendar((await DefinitionRegistry.load([dir])).calendar('office').compiled);
    const lastDay = v1.localDate(followsDeadline);

    // The third working day becomes a holiday: version 2 of the calendar.
    await fs.writeFile(path.join(dir, 'calendars', 'office.yaml'), calendar(2, [lastDay]));
    const after = await clientOf();
    const v2 = new BusinessCalendar(after.registry.calendar('office').compiled);
    expect(v2.isWorkingDay(lastDay)).toBe(false);

    const pushed = await after.pushCalendars();
    expect(pushed.map((p) => [p.caseId, p.result?.updated])).toContainEqual([follows, [{ calendar: 'office', from: 1, to: 2 }]]);
    expect(pushed.map((p) => p.caseId)).not.toContain(keeps);

    // The follower's deadline moved past the new holiday to the end of the next working day.
    const moved = await deadlineOf(after, follows);
    expect(moved).toBeGreaterThan(followsDeadline);
    expect(v2.localDate(moved)).toBe(v2.localDate(v2.nextWorkingInstant(Date.parse(`${lastDay}T23:59:00+08:00`))));
    expect(v2.formatLocal(moved)).toMatch(/T18:00:00\+08:00$/);
    expect((await after.getCase(follows)).timeline.map((e) => e.detail)).toContain('office version 1 → 2');

    // The keeper is not touched, and asking it directly is refused with the reason.
    expect(await deadlineOf(after, keeps)).toBe(keepsDeadline);
    await expect(after.temporal.workflow.getHandle(keeps).executeUpdate(updateCalendarsUpdate, { args: [{ calendars: { office: after.registry.calendar('office').compiled } }] })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/keeps the calendar versions its cases opened with/), details: [{ code: 'CALENDARS_PINNED' }] },
    });

    // Pushing again, as a person types it: nothing more changes.
    const again = await runAftercare(['calendars', 'push'], { TEMPORAL_ADDRESS: inject('temporalAddress'), AFTERCARE_TASK_QUEUE: suite.taskQueue, AFTERCARE_DEFINITIONS: dir, DATABASE_URL: suite.db.url });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`${follows}\\s+follows-calendar\\s+unchanged \\(office: version 2 is the one the case has\\)`));
    expect(await deadlineOf(after, follows)).toBe(moved);
  });
});
