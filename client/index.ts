/** The client services use: open cases, act on tasks, read and list cases. */
export {
  AftercareClient,
  DEFAULT_TASK_QUEUE,
  type CaseFilter,
  type CaseSummary,
  type CaseView,
  type ConnectOptions,
  type OpenCaseOptions,
  type OpenedCase,
  type RetriedCase,
  type RetryOptions,
  type TaskCompletion,
} from './aftercare-client.js';
export {
  CaseConflictError,
  CaseFailedError,
  CaseInputInvalidError,
  CaseNotFoundError,
  CaseRetryRefusedError,
  InvalidCaseIdError,
  RequestRejectedError,
  UnknownProcessError,
  type RetryRefusalCode,
} from './errors.js';
export type { Actor, CaseResult, CompleteTaskResult, RejectionCode, TaskAssignmentResult } from '../workflows/messages.js';
export type { CaseTask, CaseState, TimelineEntry } from '../workflows/case-state.js';
