/**
 * The errors a service gets from the client: each says what was wrong in plain words and
 * carries the fields a program needs to react (`code`, `caseId`, ...).
 */
import type { DataIssue } from '../dsl/runtime-validation.js';
import type { CaseProgress, CompleteTaskResult, RejectionCode } from '../workflows/messages.js';

export { UnknownProcessError } from '../dsl/load/registry.js';

/** The case input does not match the process's input schema; no case was opened. */
export class CaseInputInvalidError extends Error {
  override readonly name = 'CaseInputInvalidError';
  constructor(
    readonly process: string,
    readonly caseId: string,
    readonly issues: DataIssue[],
  ) {
    super(`case ${caseId} was not opened: its input does not match process \`${process}\`: ${issues.map((i) => i.message).join('; ')}`);
  }
}

/** The case id is already used by a case of another process, or with other input. */
export class CaseConflictError extends Error {
  override readonly name = 'CaseConflictError';
  constructor(
    readonly caseId: string,
    message: string,
  ) {
    super(message);
  }
}

export class InvalidCaseIdError extends Error {
  override readonly name = 'InvalidCaseIdError';
  constructor(readonly caseId: string) {
    super(`\`${caseId}\` cannot be a case id: use 1 to 100 letters, digits, dots, dashes, underscores or colons, starting with a letter or digit`);
  }
}

export class CaseNotFoundError extends Error {
  override readonly name = 'CaseNotFoundError';
  constructor(readonly caseId: string) {
    super(`there is no case ${caseId}`);
  }
}

/** The case refused a request (a task completion, a claim, a cancellation); nothing changed. */
export class RequestRejectedError extends Error {
  override readonly name = 'RequestRejectedError';
  constructor(
    readonly caseId: string,
    readonly code: RejectionCode,
    readonly reason: string,
  ) {
    super(`case ${caseId} refused the request (${code}): ${reason}`);
  }
}

/** The case stopped on an error (an action that gave up, a definition the worker refused). */
export class CaseFailedError extends Error {
  override readonly name = 'CaseFailedError';
  constructor(
    readonly caseId: string,
    readonly reason: string,
    /** The failure type: ActionFailed, StepFailed, SubprocessFailed, DefinitionRejected, CaseInputInvalid... */
    readonly type: string | undefined,
  ) {
    super(`case ${caseId} failed: ${reason}`);
  }
}

/** Why `retryCase` refused: the case is unknown, did not fail, or Temporal would not reset it. */
export type RetryRefusalCode = 'CASE_NOT_FOUND' | 'CASE_NOT_FAILED' | 'CASE_NOT_RESETTABLE';

/** `retryCase` refused; nothing was changed. */
export class CaseRetryRefusedError extends Error {
  override readonly name = 'CaseRetryRefusedError';
  constructor(
    readonly caseId: string,
    readonly code: RetryRefusalCode,
    readonly reason: string,
  ) {
    super(`case ${caseId} was not retried (${code}): ${reason}`);
  }
}

/** Why a wait ended without what was waited for: it timed out, or the case closed first. */
export type WaitFailureCode = 'WAIT_TIMED_OUT' | 'CASE_CLOSED';

/**
 * A wait (`waitFor`, `openCase` or `completeTask` with `waitFor`) did not see what it waited
 * for. Waiting changes nothing: the case is where `progress` says, and a request made before
 * the wait (the opening, the completion in `completed`) was done.
 */
export class CaseWaitError extends Error {
  override readonly name = 'CaseWaitError';
  constructor(
    readonly caseId: string,
    readonly code: WaitFailureCode,
    readonly reason: string,
    /** Where the case was when the wait ended. */
    readonly progress: CaseProgress,
    /** The completion that was done before the wait, when the wait followed one. */
    readonly completed?: CompleteTaskResult,
  ) {
    super(`case ${caseId}: ${reason} (${code})`);
  }
}

/**
 * Why the client would not act for a person: their token did not verify, the staff directory
 * does not know them (or no longer), they do not hold the role, or this client was not given
 * what acting for people needs. Nothing was sent to the case.
 */
export const actorRefusalCodes = {
  TOKEN_INVALID: 'The person\'s token did not verify: not a JWT, a signature that does not match the identity provider\'s keys, the wrong issuer or audience, or no subject.',
  TOKEN_EXPIRED: 'The person\'s token has expired: they sign in again.',
  PERSON_UNKNOWN: 'The token\'s subject is not in the staff directory; add them (`aftercare staff import`) before they act on cases.',
  PERSON_INACTIVE: 'The person is in the staff directory but no longer active.',
  ROLE_NOT_HELD: 'The person does not hold the role they chose in this process (or, choosing none, holds no role of the process); the message lists the roles they hold.',
  ACTING_NOT_CONFIGURED: 'This client was made without what acting for people needs (identity verification, the staff directory and actor keys), or opens a case without actor keys.',
} as const;

export type ActorRefusalCode = keyof typeof actorRefusalCodes;

export class ActorRefusedError extends Error {
  override readonly name = 'ActorRefusedError';
  constructor(
    readonly code: ActorRefusalCode,
    readonly reason: string,
  ) {
    super(`${reason} (${code})`);
  }
}
