/**
 * Calendar arithmetic inside the workflow sandbox, on the time-skipping test server: the case
 * pins the calendar at opening (CaseArgs.calendars), the interpreter computes a task's
 * `3 working days` and a `8 business hours` wait with it, and the results are those of the
 * same calendar outside the sandbox, at 18:00 Shanghai time for the working days.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BusinessCalendar } from '../../../dsl/calendar/working-time.js';
import { DefinitionRegistry } from '../../../dsl/load/registry.js';
import { eventually, openTaskOf, reaches } from '../../helpers/cases.js';
import { actors, definitionsDir, uniqueName } from '../../helpers/env.js';
import { timeSkippingSuite } from '../../helpers/suites.js';
import { fixtureCalendarsDir } from './calendars.js';

let registry: DefinitionRegistry;
const suite = timeSkippingSuite({
  async registry() {
    registry = await DefinitionRegistry.load([definitionsDir, path.join(fixtureCalendarsDir, 'processes')]);
    return registry;
  },
});

describe('working time in a running case', () => {
  it('sets a task due at the end of the third working day and waits 8 business hours, in Shanghai time', async () => {
    const calendar = new BusinessCalendar(registry.calendar('mainland-china').compiled);
    const caseId = uniqueName('W');
    await suite.client.openCase('working-time-deadlines', {}, { caseId, owner: actors.agent.id });

    const task = await openTaskOf(suite.client, caseId, 'answer');
    const opened = Date.parse(task.openedAt);
    const due = Date.parse(task.dueAt ?? '');
    expect(due).toBe(calendar.endOfWorkingDays(opened, 3));
    expect(calendar.formatLocal(due)).toMatch(/T18:00:00\+08:00$/);
    expect(calendar.isWorkingDay(calendar.localDate(due))).toBe(true);

    await suite.client.completeTask(caseId, task.id, { outcome: 'done', actor: actors.agent });
    const view = await reaches(suite.client, caseId, 'cool-off');
    const token = Object.values(view.tokens).find((t) => t.stepId === 'cool-off');
    const wait = token?.wait as { kind: string; until: number } | undefined;
    expect(wait?.kind).toBe('timer');
    const enteredAt = view.timeline.filter((e) => e.type === 'step-entered' && e.step === 'cool-off').map((e) => Date.parse(e.at)).pop() ?? Number.NaN;
    expect(wait?.until).toBe(calendar.addBusinessHours(enteredAt, 8));
    expect(calendar.businessMillisBetween(enteredAt, wait?.until ?? 0)).toBe(8 * 3_600_000);

    await suite.env.sleep((wait?.until ?? 0) - (await suite.env.currentTimeMs()) + 1000);
    await eventually(async () => ((await suite.client.getCase(caseId)).status === 'closed' ? true : undefined), `case ${caseId} to finish`);
  });
});
