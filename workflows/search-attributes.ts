/**
 * The custom search attributes of a case: what operators filter and sort by in the Temporal
 * Web UI and what `listCases` queries. Shared by the workflow (upserts), the client (start,
 * list) and the dev environment (registration), so a name is written once.
 *
 * The dev server's SQLite visibility store has a fixed number of columns per type (10 Keyword,
 * 3 KeywordList, 3 Datetime, 3 Int, 3 Text...): the set below fits it, KeywordList fully.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CaseIdKey = defineSearchAttributeKey('CaseId', SearchAttributeType.KEYWORD);
export const ProcessKey = defineSearchAttributeKey('Process', SearchAttributeType.KEYWORD);
export const DefinitionVersionKey = defineSearchAttributeKey('DefinitionVersion', SearchAttributeType.INT);
/** `open` while the case runs, `closed` once it reached an end (including a cancellation). */
export const CaseStatusKey = defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD);
/** The end the case reached (`resolved`, `rejected`, `cancelled`, ...); unset while open. */
export const CaseOutcomeKey = defineSearchAttributeKey('CaseOutcome', SearchAttributeType.KEYWORD);
/** The steps the case is in now (several while branches run in parallel). */
export const CurrentStepsKey = defineSearchAttributeKey('CurrentSteps', SearchAttributeType.KEYWORD_LIST);
/** The roles that must act: the roles of the open human tasks. */
export const WaitingOnRolesKey = defineSearchAttributeKey('WaitingOnRoles', SearchAttributeType.KEYWORD_LIST);
/** The people the open tasks are assigned to. */
export const AssigneesKey = defineSearchAttributeKey('Assignees', SearchAttributeType.KEYWORD_LIST);
/**
 * The case's one-line summary, as a Text attribute: the Web UI 2.54 workflow list has no
 * column for the user-metadata summary, but shows custom search attributes as columns.
 */
export const CaseSummaryKey = defineSearchAttributeKey('CaseSummary', SearchAttributeType.TEXT);
export const PriorityKey = defineSearchAttributeKey('Priority', SearchAttributeType.KEYWORD);
export const CustomerIdKey = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
/** The service agent who owns the case from first contact to closing. */
export const CaseOwnerKey = defineSearchAttributeKey('CaseOwner', SearchAttributeType.KEYWORD);
/** `ok`, `warning` or `breached`: the worst state of the case's running SLA clocks. */
export const SlaStateKey = defineSearchAttributeKey('SlaState', SearchAttributeType.KEYWORD);
/** The next SLA deadline of the case. */
export const SlaDeadlineKey = defineSearchAttributeKey('SlaDeadline', SearchAttributeType.DATETIME);
/** The earliest due time of the open human tasks. */
export const NextDueAtKey = defineSearchAttributeKey('NextDueAt', SearchAttributeType.DATETIME);

export const caseSearchAttributes = [
  CaseIdKey,
  ProcessKey,
  DefinitionVersionKey,
  CaseStatusKey,
  CaseOutcomeKey,
  CurrentStepsKey,
  WaitingOnRolesKey,
  AssigneesKey,
  PriorityKey,
  CustomerIdKey,
  CaseOwnerKey,
  CaseSummaryKey,
  SlaStateKey,
  SlaDeadlineKey,
  NextDueAtKey,
] as const;
