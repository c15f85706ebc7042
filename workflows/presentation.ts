/**
 * What operators see of a case in the Temporal Web UI: its search attributes and its live
 * details. Pure functions of the case state; the workflow publishes only what changed.
 */
import type { SearchAttributePair, SearchAttributeUpdatePair } from '@temporalio/common';
import type { CompiledProcess } from '../model/compiled-process.js';
import { formatLocalTime } from '../dsl/calendar/local-time.js';
import { describeMs } from '../dsl/durations.js';
import { evaluateTemplate, type ExpressionContext } from '../dsl/expressions.js';
import { currentSteps, openTasks, type CaseState } from './case-state.js';
import {
  AssigneesKey,
  CaseIdKey,
  DefinitionVersionKey,
  ProcessKey,
  CaseOutcomeKey,
  CaseOwnerKey,
  CaseStatusKey,
  CaseSummaryKey,
  CurrentStepsKey,
  NextDueAtKey,
  PriorityKey,
  CustomerIdKey,
  SlaDeadlineKey,
  SlaStateKey,
  WaitingOnRolesKey,
} from './search-attributes.js';
import { nextDeadline, slaStateOf } from './sla-clock.js';

/** The one-line summary and searchable fields of a new case, from the definition's `case:` block. */
export interface CasePresentation {
  /** The summary as written (the Web UI shows it through the codec: it is encrypted in Temporal). */
  summary: string;
  /** The summary with the customer's personal data masked: the `CaseSummary` search attribute, which Temporal keeps in clear. */
  searchSummary: string;
  customer?: string;
  priority?: string;
}

function textOf(template: string | undefined, context: ExpressionContext): string | undefined {
  if (!template) return undefined;
  try {
    const value = evaluateTemplate(template, context);
    if (value === null || value === undefined || value === '') return undefined;
    return typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    // A summary that cannot be computed from this input must not stop the case from opening.
    return undefined;
  }
}

/** Presents a case about to open: used by the client (start options) and by parent cases (children). */
export function presentCase(process: CompiledProcess, caseId: string, input: unknown, openedAt: number): CasePresentation {
  const context: ExpressionContext = {
    input,
    data: {},
    outcomes: {},
    params: process.params,
    case: { id: caseId, process: process.process, version: process.version, openedAt: new Date(openedAt).toISOString() },
    now: openedAt,
  };
  const summary = textOf(process.presentation.summary, context) ?? `${process.title} ${caseId}`;
  const searchSummary = textOf(process.presentation.summary, { ...context, input: withoutPersonalData(input) }) ?? `${process.title} ${caseId}`;
  const customer = textOf(process.presentation.customer, context);
  const priority = textOf(process.presentation.priority, context);
  return { summary: oneLine(summary), searchSummary: oneLine(searchSummary), ...(customer ? { customer } : {}), ...(priority ? { priority } : {}) };
}

function oneLine(summary: string): string {
  return summary.length > 200 ? `${summary.slice(0, 197)}...` : summary;
}

/** What stands for a piece of personal data where Temporal keeps text in clear. */
export const MASK = '•••';

function masked(value: unknown): unknown {
  if (typeof value === 'string' || typeof value === 'number') return MASK;
  if (Array.isArray(value)) return value.map(masked);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, masked(inner)]));
  return value;
}

/**
 * The case input without the customer's personal data: every value under `input.customer`
 * but its `id` (the member or card number, searchable as `CustomerId`) is masked. Every
 * shipped process keeps the customer's name, phone and address there, as docs/language.md
 * asks definitions to.
 */
export function withoutPersonalData(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const { customer } = input as { customer?: unknown };
  if (customer === null || typeof customer !== 'object' || Array.isArray(customer)) return input;
  return { ...input, customer: Object.fromEntries(Object.entries(customer).map(([key, value]) => [key, key === 'id' ? value : masked(value)])) };
}

/** The search attributes a case starts with (set by whoever opens it: the client, or a parent case). */
export function initialSearchAttributes(process: CompiledProcess, caseId: string, presentation: CasePresentation, owner?: string): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [
    { key: CaseIdKey, value: caseId },
    { key: ProcessKey, value: process.process },
    { key: DefinitionVersionKey, value: process.version },
    { key: CaseStatusKey, value: 'open' },
    { key: CaseSummaryKey, value: presentation.searchSummary },
  ];
  if (presentation.customer) pairs.push({ key: CustomerIdKey, value: presentation.customer });
  if (presentation.priority) pairs.push({ key: PriorityKey, value: presentation.priority });
  if (owner) pairs.push({ key: CaseOwnerKey, value: owner });
  return pairs;
}

type Value = string | string[] | Date | null;

/** The search attributes the workflow maintains (the client sets the fixed ones at start). */
/** `deadlineAfterBreach`: `SlaDeadline` keeps a missed deadline while its clock runs (cases before that cleared it: patch `sla-deadline-after-breach`). */
export function searchAttributeValues(state: CaseState, deadlineAfterBreach = false): Map<string, { pair: SearchAttributeUpdatePair; value: Value }> {
  const tasks = openTasks(state);
  const roles = [...new Set(tasks.map((t) => t.role))].sort();
  const assignees = [...new Set(tasks.map((t) => t.assignee).filter((a): a is string => Boolean(a)))].sort();
  const due = tasks.map((t) => t.dueAt).filter((d): d is string => Boolean(d)).sort()[0];
  const steps = state.status === 'open' ? currentSteps(state) : [];
  const values = new Map<string, { pair: SearchAttributeUpdatePair; value: Value }>();
  const put = (pair: SearchAttributeUpdatePair, value: Value) => values.set(pair.key.name, { pair, value });
  put({ key: CaseStatusKey, value: state.status }, state.status);
  put({ key: CaseOutcomeKey, value: state.outcome ?? null }, state.outcome ?? null);
  put({ key: CurrentStepsKey, value: steps.length ? steps : null }, steps.length ? steps : null);
  put({ key: WaitingOnRolesKey, value: roles.length ? roles : null }, roles.length ? roles : null);
  put({ key: AssigneesKey, value: assignees.length ? assignees : null }, assignees.length ? assignees : null);
  const dueDate = due ? new Date(due) : null;
  put({ key: NextDueAtKey, value: dueDate }, dueDate);
  put({ key: CaseOwnerKey, value: state.owner ?? null }, state.owner ?? null);
  put({ key: PriorityKey, value: state.priority ?? null }, state.priority ?? null);
  put({ key: CustomerIdKey, value: state.customer ?? null }, state.customer ?? null);
  const clocks = Object.values(state.slas ?? {});
  const slaState = slaStateOf(clocks) ?? null;
  put({ key: SlaStateKey, value: slaState }, slaState);
  const deadline = state.status === 'open' ? nextDeadline(clocks, deadlineAfterBreach) : undefined;
  const deadlineDate = deadline ? new Date(deadline) : null;
  put({ key: SlaDeadlineKey, value: deadlineDate }, deadlineDate);
  return values;
}

/**
 * A value a caller supplied (a name, an id, a priority), made inert for the Web UI's markdown:
 * every markdown and HTML character is backslash-escaped and line breaks become spaces, so a
 * customer name can neither plant a link nor an element with an event handler.
 */
export function inertMarkdown(value: string): string {
  // `:` too: GitHub-flavoured markdown links a bare https://... by itself.
  return value.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]()<>#+!|~&:]/g, '\\$&');
}

/** How late a breached clock is, in words: ` (3 hours 20 minutes late)`. */
function lateness(clock: { breached?: boolean; deadline?: string; status: string }, now: number | undefined): string {
  if (!clock.breached || clock.status !== 'running' || now === undefined || !clock.deadline) return '';
  const late = now - Date.parse(clock.deadline);
  return late >= 60_000 ? ` (${describeMs(late)} late)` : '';
}

/** A time as the company reads it: in `timeZone` (the case's calendar zone) with its offset, or UTC. */
function when(iso: string, timeZone: string | undefined): string {
  const instant = Date.parse(iso);
  return Number.isNaN(instant) ? iso : formatLocalTime(instant, timeZone ?? 'UTC');
}

/**
 * Live details (markdown) for the Web UI: where the case is and who must act by when. Written
 * for the UI's renderer: a blank line after every heading (or its list shows as text), and
 * bullet lines rather than tables (which it draws without cell spacing).
 */
export function caseDetails(state: CaseState, process: CompiledProcess, now?: number, timeZone?: string): string {
  const lines: string[] = [];
  lines.push(`**${process.title}** · version ${state.version} · ${state.status === 'open' ? 'open' : `closed: **${state.outcome ?? '?'}**`}`);
  if (state.owner) lines.push('', `Owner: ${inertMarkdown(state.owner)}`);
  if (state.priority) lines.push('', `Priority: **${inertMarkdown(state.priority)}**`);
  const steps = state.status === 'open' ? currentSteps(state) : [];
  if (steps.length > 0) {
    lines.push('', '**Current step' + (steps.length > 1 ? 's' : '') + '**', '');
    for (const id of steps) lines.push(`- ${process.steps[id]?.title ?? id} (\`${id}\`)`);
  }
  const tasks = openTasks(state);
  if (tasks.length > 0) {
    lines.push('', '**Open tasks**', '');
    for (const task of tasks) {
      lines.push(`- ${task.title} (\`${task.id}\`): role **${task.role}**${task.assignee ? `, assigned to ${inertMarkdown(task.assignee)}` : ''}${task.dueAt ? `, due ${when(task.dueAt, timeZone)}` : ''}`);
    }
  }
  const clocks = Object.values(state.slas ?? {}).filter((c) => c.cycle > 0);
  if (clocks.length > 0) {
    lines.push('', '**Time limits**', '');
    for (const clock of clocks) {
      const condition = clock.status === 'stopped' ? (clock.result ?? 'stopped') : clock.breached ? '**breached**' : clock.warned ? '**warning**' : clock.status === 'paused' ? `paused: ${clock.pauseReason ?? ''}` : 'running';
      lines.push(`- ${clock.title}${clock.cycle > 1 ? ` (cycle ${clock.cycle})` : ''}: ${clock.target}, ${condition}${clock.deadline && clock.status !== 'stopped' ? `, due ${when(clock.deadline, timeZone)}${lateness(clock, now)}` : ''}`);
    }
  }
  const recent = state.timeline.slice(-5).reverse();
  if (recent.length > 0) {
    lines.push('', '**Latest**', '');
    for (const entry of recent) {
      const bits = [entry.type.replace(/-/g, ' '), entry.step && `\`${entry.step}\``, entry.outcome && `→ ${inertMarkdown(entry.outcome)}`, entry.actor && `by ${inertMarkdown(entry.actor)}`].filter(Boolean);
      lines.push(`- ${when(entry.at, timeZone)}: ${bits.join(' ')}`);
    }
  }
  lines.push('', `Its path on the diagram: \`npx aftercare case graph ${state.caseId.replace(/`/g, '')}\``);
  return lines.join('\n');
}
