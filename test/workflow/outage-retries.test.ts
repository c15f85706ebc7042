/**
 * An action's default retry policy waits an outage out, on the time-skipping server with a stub
 * activity that fails as the real ones do while the database is down (`DatabaseUnavailable`,
 * retryable): ten failed attempts — past the five that used to fail the case — and the case
 * goes on; with `retry: { give-up-after: 10m }` the step gives up after ten minutes and says so.
 * Fixture: test/fixtures/processes/outage.yaml.
 */
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { StepContext } from '../../activities/index.js';
import { uniqueName } from '../helpers/env.js';
import { stubActivitiesSuite } from '../helpers/suites.js';

const attempts = new Map<string, number>();

const suite = stubActivitiesSuite({
  'check-warranty': async (context: StepContext, input: { serial?: string }) => {
    const attempt = (attempts.get(context.caseId) ?? 0) + 1;
    attempts.set(context.caseId, attempt);
    const downFor = input.serial === 'DOWN-FOREVER' ? Infinity : 10;
    if (attempt <= downFor) throw ApplicationFailure.retryable('check-warranty: the database is unavailable (connect ECONNREFUSED 127.0.0.1:5432); retrying', 'DatabaseUnavailable');
    return { inWarranty: true, warrantyEnds: '2028-01-09' };
  },
});

describe('an action while its service is down', () => {
  it('retries past any fixed count by default, and the case goes on once the service is back', async () => {
    const caseId = uniqueName('O');
    await suite.client.openCase('outage', { serial: 'DOWN-10', patience: 'default' }, { caseId });
    await expect(suite.client.result(caseId)).resolves.toMatchObject({ outcome: 'checked' });
    expect(attempts.get(caseId)).toBe(11);
  }, 120_000);

  it('gives up after `give-up-after`, naming the time and the last error', async () => {
    const caseId = uniqueName('O');
    await suite.client.openCase('outage', { serial: 'DOWN-FOREVER', patience: 'short' }, { caseId });
    await expect(suite.client.result(caseId)).rejects.toMatchObject({
      type: 'ActionFailed',
      reason: expect.stringMatching(/^step `check-briefly` \(Check the warranty, briefly\) failed: activity `check-warranty` gave up after 10 minutes of retrying: .*the database is unavailable/),
    });
    // Retried at most a minute apart for ten minutes: more than the five attempts of before.
    expect(attempts.get(caseId)).toBeGreaterThan(5);
  }, 120_000);
});
