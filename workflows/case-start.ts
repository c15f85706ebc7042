/**
 * Everything a new case is started with — its arguments, one-line summary, search attributes
 * and memo — built in one place for the three callers that open cases: the client (a service
 * opens a case), a subprocess step (a case opens a child case) and an SLA escalation rung
 * (a case opens an escalation case). Pure, so the workflow can use it.
 */
import type { SearchAttributePair } from '@temporalio/common';
import type { CompiledProcess } from '../model/compiled-process.js';
import type { ProcessDefinition } from '../model/generated/process-definition.js';
import { MAX_CASE_INPUT_BYTES, sizeIssues } from '../model/limits.js';
import type { CalendarData, PinnedDefinition } from '../model/pinned.js';
import { checkParameterValues } from '../dsl/parameters.js';
import { validateData, type DataIssue } from '../dsl/runtime-validation.js';
import { ENGINE_REVISION } from './engine.js';
import type { CaseArgs } from './messages.js';
import { inertMarkdown, initialSearchAttributes, presentCase } from './presentation.js';

/** What a new case needs; optional parts left out are left out of its arguments. */
export interface CaseStartRequest {
  /** The compiled form of `pinned.definition`. */
  process: CompiledProcess;
  pinned: PinnedDefinition;
  caseId: string;
  input: unknown;
  subprocesses?: Record<string, PinnedDefinition>;
  calendars?: Record<string, CalendarData>;
  parameters?: Record<string, unknown>;
  owner?: string;
  parent?: { caseId: string; stepId: string };
  options?: CaseArgs['options'];
  /** The keys whose actor assertions the case accepts (a child case gets its parent's). */
  actorKeys?: CaseArgs['actorKeys'];
  /** When the case opens (the summary may quote it). */
  now: number;
}

export interface CaseStart {
  args: CaseArgs;
  /** The one-line summary as text (what the client returns; the `CaseSummary` search attribute masks the customer's personal data in it). */
  summary: string;
  /**
   * The same line for the Web UI, which renders a workflow's summary as markdown: the summary
   * template quotes what callers supplied (a customer's name, a parent case's data), so it is made
   * inert — no link, no element. Every caller that starts a case passes this, never `summary`.
   */
  staticSummary: string;
  searchAttributes: SearchAttributePair[];
  /** Definition version and hash (and the parent case), for the Web UI and the client's idempotence check. */
  memo: Record<string, unknown>;
  /** The static details line: which definition the case runs. */
  details: string;
}


export function caseStart(request: CaseStartRequest): CaseStart {
  const { process, pinned, caseId, input, owner, parent } = request;
  const presentation = presentCase(process, caseId, input, request.now);
  // Key order is part of the command a parent case emits; keep it as cases recorded it.
  const args: CaseArgs = {
    caseId,
    pinned,
    ...(request.subprocesses ? { subprocesses: request.subprocesses } : {}),
    ...(request.calendars ? { calendars: request.calendars } : {}),
    input,
    ...(request.parameters ? { parameters: request.parameters } : {}),
    ...(owner ? { owner } : {}),
    ...(parent ? { parent } : {}),
    ...(request.options ? { options: request.options } : {}),
    ...(request.actorKeys ? { actorKeys: request.actorKeys } : {}),
    engine: ENGINE_REVISION,
  };
  return {
    args,
    summary: presentation.summary,
    staticSummary: inertMarkdown(presentation.summary),
    searchAttributes: initialSearchAttributes(process, caseId, presentation, owner),
    memo: { definitionHash: pinned.hash, definitionVersion: process.version, ...(parent ? { parentCaseId: parent.caseId } : {}) },
    details: `${process.title}, version ${process.version} (definition ${pinned.hash.slice(0, 12)})`,
  };
}

/** What is wrong with a case's input and parameter values: checked by the client before it starts a case, and by the case itself. */
export function caseInputIssues(process: CompiledProcess, definition: ProcessDefinition, input: unknown, parameters: Record<string, unknown> | undefined): DataIssue[] {
  const tooLarge = sizeIssues(input, MAX_CASE_INPUT_BYTES, 'the case input');
  // The schema is not checked on input too large to carry: its size is the problem to fix.
  if (tooLarge.some((issue) => issue.path === '')) return tooLarge;
  return [...tooLarge, ...(process.input ? validateData(process.input, input) : []), ...checkParameterValues(definition.parameters, parameters ?? {})];
}
