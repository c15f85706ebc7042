/** The client services use: open cases, act on tasks, read and list cases. */
export {
  AftercareClient,
  DEFAULT_TASK_QUEUE,
  DEFAULT_WAIT_MS,
  type CaseFilter,
  type CaseSummary,
  type CaseView,
  type ClientOptions,
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
export { ActorIssuer, ASSERTION_LIFETIME_MS, type ActAs, type ActingOptions, type PersonDirectory } from './acting.js';
export { ActorKeySet, type ActorKey, type ActorKeyFile } from './actor-keys.js';
export { JwtIdentityVerifier, devIdentityVerifier, devToken, newDevIdentityKey, readDevIdentityKey, type DevIdentityKey, type IdentityOptions, type IdentityVerifier, type VerifiedIdentity } from './identity.js';
export {
  ActorRefusedError,
  CaseConflictError,
  CaseFailedError,
  CaseInputInvalidError,
  CaseNotFoundError,
  CaseRetryRefusedError,
  CaseWaitError,
  InvalidCaseIdError,
  RequestRejectedError,
  UnknownProcessError,
  type ActorRefusalCode,
  type RetryRefusalCode,
  type WaitFailureCode,
} from './errors.js';
export type { SignedActor, TrustedKey } from '../workflows/actor-assertion.js';
export type { Actor, CaseProgress, CaseResult, CompleteTaskResult, RejectionCode, TaskAssignmentResult } from '../workflows/messages.js';
export type { CaseTask, CaseState, TimelineEntry } from '../workflows/case-state.js';
