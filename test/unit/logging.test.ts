/**
 * The worker's log names where something happened, never what a case holds (worker/logging.ts):
 * an activity failure whose message quotes a customer is logged with its ids and failure type.
 */
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { scrubbedLine } from '../../worker/logging.js';

describe('scrubbedLine', () => {
  it('keeps the message, the ids and the kind of failure, and drops what the failure says', () => {
    const error = ApplicationFailure.create({ message: 'refused: Wang Li, 138-0013-8000, 12 Wenyi West Road', type: 'InvalidData', nonRetryable: true });
    const line = scrubbedLine({
      level: 'WARN',
      message: 'Activity failed',
      timestampNanos: 1_796_222_604_000_000_000n,
      meta: { sdkComponent: 'activity', workflowId: 'P-1001', activityType: 'record-case', attempt: 3, error, input: { customer: { name: 'Wang Li' } } },
    });
    expect(line).toBe(
      '2026-12-02T14:43:24.000Z [WARN] Activity failed {"sdkComponent":"activity","workflowId":"P-1001","activityType":"record-case","attempt":3,"error":{"name":"ApplicationFailure","type":"InvalidData","nonRetryable":true},"input":"[not logged]"}',
    );
    for (const secret of ['Wang Li', '138-0013-8000', 'Wenyi']) expect(line).not.toContain(secret);
  });

  it('prints an entry without meta as its message', () => {
    expect(scrubbedLine({ level: 'INFO', message: 'Worker state changed', timestampNanos: 0n })).toBe('1970-01-01T00:00:00.000Z [INFO] Worker state changed');
  });
});
