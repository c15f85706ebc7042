import { ApplicationFailure } from '@temporalio/activity';

/**
 * Bad data is not fixed by retrying: activities fail at once, with a type operators can
 * filter on and a message that names the activity, the field and what was wrong.
 */
export function invalidInput(activity: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'InvalidActivityInput', message: `${activity}: ${message}`, nonRetryable: true });
}

/** A business rule refused the operation (not enough stock, a second refund...): retrying cannot help. */
export function refused(activity: string, message: string, details?: Record<string, unknown>): ApplicationFailure {
  return ApplicationFailure.create({ type: 'BusinessRuleViolation', message: `${activity}: ${message}`, nonRetryable: true, ...(details ? { details: [details] } : {}) });
}
