/**
 * Expectations against what a case did: each key of an `expect:` compared with the case as the
 * client reads it (and the activity calls, and the rows in PostgreSQL with `--records`). Pure
 * apart from the rows: the runner gathers an `Observed` and this module says what differs.
 */
import type { CaseView } from '../client/index.js';
import { currentSteps, openTasks } from '../workflows/case-state.js';
import type { Expectation } from './model.js';
import type { ActivityCall } from './stubs.js';

/** One expectation that did not hold: which key, what it said, and what the case did instead. */
export interface Mismatch {
  /** The key of `expect:` (`tasks`, `sla.first-reply.deadline`...). */
  expectation: string;
  /** JSON pointer of that key in the file. */
  pointer: string;
  expected: unknown;
  actual: unknown;
}

export interface Observed {
  view: CaseView;
  calls: readonly ActivityCall[];
  /** Rows of the case per table (`--records` runs only). */
  rows?: (table: string) => Promise<Record<string, unknown>[]>;
  /** An instant as the owner reads it: on the case's calendar's wall clock. */
  local(instant: number): string;
}

/**
 * Whether `actual` (ISO) is the instant `expected` writes, to the precision written: an
 * instant written to the minute matches any time within that minute (a case opens a moment
 * after its `at:`), one written with seconds is compared to the second.
 */
export function sameInstant(expected: string, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  const unit = /T\d{2}:\d{2}:\d{2}/.test(expected) ? 1000 : 60_000;
  return Math.floor(Date.parse(expected) / unit) === Math.floor(Date.parse(actual) / unit);
}

/** `expected` is contained in `actual`: every key given, in depth; lists element by element. */
export function contains(expected: unknown, actual: unknown): boolean {
  if (expected === null || typeof expected !== 'object') {
    if (actual instanceof Date && typeof expected === 'string') return sameInstant(expected, actual.toISOString());
    if (typeof actual === 'string' && typeof expected === 'number') return Number(actual) === expected;
    return Object.is(expected, actual) || (typeof expected === 'string' && typeof actual === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(expected) && sameInstant(expected, actual));
  }
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((item, i) => contains(item, actual[i]));
  if (actual === null || typeof actual !== 'object') return false;
  return Object.entries(expected).every(([key, value]) => contains(value, (actual as Record<string, unknown>)[key]));
}

const sorted = (items: readonly string[]) => [...items].sort();

/** The steps entered, in order (the timeline's `step-entered` entries). */
export function pathOf(view: CaseView): string[] {
  return view.timeline.filter((e) => e.type === 'step-entered').map((e) => e.step ?? '');
}

export function statusOf(view: CaseView): 'open' | 'closed' | 'failed' {
  return view.workflowStatus === 'FAILED' ? 'failed' : view.status;
}

/** Every notification queued: the `notify` calls, of the flow and of SLA rungs alike. */
export function notificationsOf(calls: readonly ActivityCall[]) {
  return calls
    .filter((c) => c.activity === 'notify')
    .map((c) => {
      const input = c.input as { recipient?: { role?: string; person?: string; customer?: string }; subject?: string; channel?: string };
      return { to: input.recipient?.role ?? input.recipient?.person ?? input.recipient?.customer ?? '', subject: input.subject ?? '', channel: input.channel ?? '' };
    });
}

/** Escalations: SLA rungs that escalated, and failed actions handed to a role. */
export function escalationsOf(view: CaseView) {
  return view.timeline
    .filter((e) => e.type === 'escalated' || e.type === 'sla-escalated')
    .map((e) => (e.type === 'escalated' ? { step: e.step ?? '', to: /^to ([^:]+)/.exec(e.detail ?? '')?.[1] ?? '', detail: e.detail ?? '' } : { clock: e.clock ?? '', detail: e.detail ?? '' }));
}

/** A list expected element by element, each with the keys that matter (an order-free match for tasks). */
function matchEach<T extends object>(expected: readonly T[], actual: readonly Record<string, unknown>[], ordered: boolean, matches: (e: T, a: Record<string, unknown>) => boolean): boolean {
  if (expected.length !== actual.length) return false;
  if (ordered) return expected.every((e, i) => matches(e, actual[i] as Record<string, unknown>));
  const left = [...actual];
  for (const e of expected) {
    const i = left.findIndex((a) => matches(e, a));
    if (i < 0) return false;
    left.splice(i, 1);
  }
  return true;
}

/** Compares every key of an `expect:`; returns what did not hold (empty: it all held). */
export async function check(expect: Expectation, observed: Observed, base: string): Promise<Mismatch[]> {
  const { view, local } = observed;
  const out: Mismatch[] = [];
  const differ = (expectation: string, pointer: string, expected: unknown, actual: unknown) => out.push({ expectation, pointer: `${base}/${pointer}`, expected, actual });
  const when = (instant: string | undefined) => (instant === undefined ? undefined : local(Date.parse(instant)));

  if (expect.status !== undefined && statusOf(view) !== expect.status) differ('status', 'status', expect.status, statusOf(view) + (view.failure ? ` (${view.failure.message})` : ''));
  if (expect.outcome !== undefined && view.outcome !== expect.outcome)
    differ('outcome', 'outcome', expect.outcome, view.outcome ?? `none yet (the case is ${statusOf(view)} at ${currentSteps(view).join(', ') || 'no step'})`);
  if (expect.current !== undefined) {
    const now = currentSteps(view);
    if (sorted(now).join() !== sorted(expect.current).join()) differ('current', 'current', sorted(expect.current), sorted(now));
  }
  if (expect.tasks !== undefined) {
    const open = openTasks(view).map((t) => ({
      step: t.stepId,
      role: t.role,
      ...(t.assignee ? { assignee: t.assignee } : {}),
      ...(t.dueAt ? { due: when(t.dueAt) } : {}),
      title: t.title,
      outcomes: t.outcomes,
      dueAt: t.dueAt,
    }));
    const ok = matchEach(expect.tasks, open, false, (e, a) =>
      Object.entries(e).every(([key, value]) => (key === 'due' ? sameInstant(String(value), a.dueAt as string | undefined) : contains(value, a[key]))),
    );
    if (!ok)
      differ(
        'tasks',
        'tasks',
        expect.tasks,
        open.map(({ dueAt: _dueAt, title: _title, outcomes: _outcomes, ...shown }) => shown),
      );
  }
  const path = pathOf(view);
  if (expect.path !== undefined && path.join() !== expect.path.join()) differ('path', 'path', expect.path, path);
  if (expect.passes !== undefined) {
    let at = 0;
    for (const step of expect.passes) {
      const found = path.indexOf(step, at);
      if (found < 0) {
        differ('passes', 'passes', expect.passes, path);
        break;
      }
      at = found + 1;
    }
  }
  if (expect.avoids !== undefined) {
    const entered = expect.avoids.filter((step) => path.includes(step));
    if (entered.length > 0) differ('avoids', 'avoids', expect.avoids, `entered ${entered.join(', ')} (path: ${path.join(', ')})`);
  }
  if (expect.data !== undefined && !contains(expect.data, view.data)) differ('data', 'data', expect.data, Object.fromEntries(Object.keys(expect.data).map((k) => [k, view.data[k]])));
  if (expect.priority !== undefined && view.priority !== expect.priority) differ('priority', 'priority', expect.priority, view.priority);
  for (const [id, clock] of Object.entries(expect.sla ?? {})) {
    const actual = view.slas[id];
    const events = view.timeline.filter((e) => e.clock === id && e.type.startsWith('sla-')).map((e) => ({ type: e.type.slice(4), at: e.at }));
    const pointer = `sla/${id.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const shown = actual
      ? {
          status: actual.status,
          ...(actual.result ? { result: actual.result } : {}),
          warned: actual.warned,
          breached: actual.breached,
          ...(actual.deadline ? { deadline: when(actual.deadline) } : {}),
        }
      : { status: 'waiting' };
    for (const key of ['status', 'result', 'warned', 'breached'] as const) {
      if (clock[key] !== undefined && (shown as Record<string, unknown>)[key] !== clock[key])
        differ(`sla.${id}.${key}`, `${pointer}/${key}`, clock[key], (shown as Record<string, unknown>)[key] ?? 'none');
    }
    if (clock.deadline !== undefined && !sameInstant(clock.deadline, actual?.deadline)) differ(`sla.${id}.deadline`, `${pointer}/deadline`, clock.deadline, when(actual?.deadline) ?? 'none');
    if (clock.events !== undefined) {
      const expected = clock.events.map((e) => (typeof e === 'string' ? { type: e } : e));
      const ok = matchEach(expected, events, true, (e, a) => e.type === a.type && (e.at === undefined || sameInstant(e.at, a.at as string)));
      if (!ok)
        differ(
          `sla.${id}.events`,
          `${pointer}/events`,
          clock.events,
          events.map((e) => `${e.type} at ${when(e.at)}`),
        );
    }
  }
  if (expect.notifications !== undefined) {
    const queued = notificationsOf(observed.calls);
    const ok = matchEach(
      expect.notifications,
      queued,
      true,
      (e, a) => (e.to === undefined || e.to === a.to) && (e.channel === undefined || e.channel === a.channel) && (e.subject === undefined || String(a.subject).includes(e.subject)),
    );
    if (!ok) differ('notifications', 'notifications', expect.notifications, queued);
  }
  if (expect.escalations !== undefined) {
    const happened = escalationsOf(view);
    const ok = matchEach(
      expect.escalations,
      happened,
      true,
      (e, a) => (e.clock === undefined || e.clock === a.clock) && (e.step === undefined || e.step === a.step) && (e.to === undefined || String(a.detail).includes(e.to)),
    );
    if (!ok) differ('escalations', 'escalations', expect.escalations, happened);
  }
  if (expect.records !== undefined && observed.rows) {
    for (const [i, records] of expect.records.entries()) {
      const rows = await observed.rows(records.table);
      if (records.count !== undefined && rows.length !== records.count) differ(`records.${records.table}.count`, `records/${i}/count`, records.count, rows.length);
      for (const [j, row] of (records.rows ?? []).entries()) {
        if (!rows.some((r) => contains(row, r))) differ(`records.${records.table}.rows[${j + 1}]`, `records/${i}/rows/${j}`, row, rows);
      }
    }
  }
  return out;
}
