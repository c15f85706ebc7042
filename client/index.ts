/** The client services use: open cases, act on tasks, read and list cases. */
export {
  AftercareClient,
  DEFAULT_TASK_QUEUE,
  DEFAULT_WAIT_MS,
  type CaseFilter,
  type CaseSummary,
  type CaseView,
  type ConnectOptions,
  type OpenCaseOptions,
  type OpenedCase,
  type RetriedCase,
  type RetryOptions,
  type TaskCompleted,
  type TaskCompletion,
  type WaitFor,
  type WaitOptions,
} from './aftercare-client.js';
export {
  CaseConflictError,
  CaseFailedError,
  CaseInputInvalidError,
  CaseNotFoundError,
  CaseRetryRefusedError,
  CaseWaitError,
  InvalidCaseIdError,
  RequestRejectedError,
  UnknownProcessError,
  type RetryRefusalCode,
  type WaitFailureCode,
} from './errors.js';
export type { Actor, CaseProgress, CaseResult, CompleteTaskResult, RejectionCode, TaskAssignmentResult } from '../workflows/messages.js';
export type { CaseTask, CaseState, TimelineEntry } from '../workflows/case-state.js';
