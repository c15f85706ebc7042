/**
 * The stable codes of requests a case refuses (its Update validators), each with what it
 * means; docs/errors.md is generated from them. A refusal writes nothing to the case's history.
 */
export const rejectionCodes = {
  REQUEST_INVALID: 'The request is not what the Update takes: a field missing or of the wrong type (the message names it).',
  REQUEST_ID_REUSED: 'The request id was already used on this case for a request with other content; a request id names one request.',
  ACTOR_UNVERIFIED: 'The request carries no signed actor assertion (a role named by the caller is not accepted), or one signed with a key the case does not trust, or one changed after signing. Act through the Aftercare client with the person\'s token.',
  ASSERTION_EXPIRED: 'The actor assertion is past its expiry (two minutes after the client made it, 30 s leeway), issued in the future, or made to live longer than ten minutes; send the request again through the client.',
  ASSERTION_NOT_FOR_REQUEST: 'The actor assertion was made for another case, another kind of request or another request (its digest does not match): an assertion is good for one request only.',
  ASSERTION_REPLAYED: 'The actor assertion was already used on this case: an assertion is good for one request only.',
  CASE_CLOSED: 'The case is closed; its tasks can no longer change.',
  TASK_UNKNOWN: 'The case has no such task (or no open task of that step); the message lists the open tasks.',
  TASK_ALREADY_COMPLETED: 'The task was already completed (by whom, when, with which outcome) or cancelled.',
  ROLE_UNKNOWN: 'None of the roles the person acts in is a role of the process; the message lists the process\'s roles.',
  ROLE_NOT_ALLOWED: 'None of the person\'s roles may act on the task: the task is for another role, and theirs does not act for it (`acts-for`).',
  NOT_ASSIGNEE: 'The task is assigned to someone else (the dispatched technician, the case owner, whoever claimed it); only they, or a role above the task\'s, may complete or hand it on.',
  SAME_PERSON_NOT_ALLOWED: 'Four eyes: the person completed a step whose completer may not complete this task (`not-by`), such as the applicant approving their own application.',
  ABOVE_APPROVAL_LIMIT: 'The decision approves an amount above the person\'s approval limit in their role (`approvalLimit` in the staff directory); a role above must decide, or the limit be raised.',
  CANCEL_NOT_ALLOWED: 'None of the person\'s roles is named under the process\'s `may-cancel`.',
  OUTCOME_NOT_OFFERED: 'The task does not offer that outcome; the message lists the ones it does.',
  FORM_INVALID: 'The form data does not match the task\'s form (a field missing, of the wrong type, or not in the form).',
  FORM_TOO_LARGE: 'The form data is larger than a task takes.',
  CALENDARS_PINNED: 'The process keeps the calendar versions its cases opened with (`calendar-updates: keep`).',
  STEP_OPENS_NO_TASK: 'A wait for a task of a step that never opens one in this process.',
} as const;

export type RejectionCode = keyof typeof rejectionCodes;

/** Why a request to a case is refused: a stable code (docs/errors.md) and a sentence. */
export class Rejection extends Error {
  override readonly name = 'Rejection';
  constructor(
    readonly code: RejectionCode,
    message: string,
  ) {
    super(message);
  }
}
