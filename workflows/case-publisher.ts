/**
 * Publishes what operators see of a case — its search attributes and live details — once per
 * activation however many things changed in it, and only the attributes whose values changed
 * (each upsert is a command, billed on Temporal Cloud). From engine revision 2, the case's
 * steps moving on alone is not worth an upsert while an automatic step runs: it goes with the
 * next one (a person's wait begins or ends, an SLA changes, the close); live details, which
 * cost no command, still show every step.
 */
import { inWorkflowContext, isCancellation, setCurrentDetails, TemporalFailure, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { CompiledProcess } from '../model/compiled-process.js';
import type { CaseState } from './case-state.js';
import { revision2, takes, type EngineRevision } from './engine.js';
import { caseDetails, searchAttributeValues } from './presentation.js';
import { CaseStatusKey, CurrentStepsKey, caseSearchAttributes } from './search-attributes.js';

export class CasePublisher {
  /** What was last upserted per search attribute (JSON), so only changes are sent. */
  private readonly published = new Map<string, string>();
  private pending = false;
  private failed = false;
  private keepsMissedDeadline: boolean | undefined;

  constructor(
    private readonly state: CaseState,
    private readonly process: CompiledProcess,
    private readonly engine: EngineRevision,
    /** The zone people read the case's times in: its calendar's (pinned with it; follows a calendar update). */
    private readonly timeZone: () => string | undefined = () => undefined,
  ) {
    for (const key of caseSearchAttributes) {
      const value = workflowInfo().typedSearchAttributes.get(key as never);
      this.published.set(key.name, JSON.stringify(value instanceof Date ? value : value ?? null));
    }
  }

  /** Publishes at the end of this activation (a microtask later), once. */
  schedule(): void {
    if (this.pending) return;
    this.pending = true;
    void Promise.resolve().then(() => {
      this.pending = false;
      // An activation the worker abandoned (its deadline passed) leaves this microtask behind:
      // touching a workflow API outside the workflow's context would kill the worker thread.
      if (inWorkflowContext()) this.publish();
    });
  }

  /** The case failed: from now on its status reads `failed`. */
  markFailed(): void {
    this.failed = true;
    this.publish();
  }

  /**
   * Whether `SlaDeadline` keeps a missed deadline (patch `sla-deadline-after-breach`), asked
   * only once a clock has breached, so that cases without a breach carry no marker.
   */
  private deadlineAfterBreach(): boolean {
    if (this.keepsMissedDeadline === undefined && Object.values(this.state.slas ?? {}).some((c) => c.breached)) this.keepsMissedDeadline = takes(this.engine, 'sla-deadline-after-breach');
    return this.keepsMissedDeadline ?? false;
  }

  publish(): void {
    const changed: SearchAttributeUpdatePair[] = [];
    const values = searchAttributeValues(this.state, this.deadlineAfterBreach());
    if (this.failed) values.set(CaseStatusKey.name, { pair: { key: CaseStatusKey, value: 'failed' }, value: 'failed' });
    for (const [name, { pair, value }] of values) {
      const json = JSON.stringify(value);
      if (this.published.get(name) !== json) {
        changed.push(pair);
        this.published.set(name, json);
      }
    }
    if (changed.length > 0 && !this.onlyStepsMoved(changed)) upsertSearchAttributes(changed);
    // Held back: forgotten as published, so the next upsert carries it.
    else for (const { key } of changed) this.published.delete(key.name);
    // Details are user metadata, not a command: a change of their text is not replay-sensitive.
    setCurrentDetails(caseDetails(this.state, this.process, Date.now(), this.timeZone()));
  }

  /** Revision 2: only `CurrentSteps` changed, while an automatic step (an activity) runs. */
  private onlyStepsMoved(changed: SearchAttributeUpdatePair[]): boolean {
    if (!revision2(this.engine) || this.failed || this.state.status !== 'open') return false;
    if (!changed.every(({ key }) => key.name === CurrentStepsKey.name)) return false;
    return Object.values(this.state.tokens).some((token) => !token.done && token.wait?.kind === 'activity');
  }
}

/** Whether `error` ends the workflow execution as failed (other errors fail the workflow task, which Temporal retries). */
export function failsTheCase(error: unknown): boolean {
  return error instanceof TemporalFailure && !isCancellation(error);
}

/**
 * A case that fails shows `CaseStatus = "failed"`, so that `case list --status open` and the
 * operators' queries do not count it as running. Cases recorded before this replay without it
 * (patch `failed-case-status`). `publisher` is missing when the case failed before it began
 * (its definition was refused).
 */
export function publishFailure(error: unknown, publisher: CasePublisher | undefined, engine: EngineRevision | undefined): void {
  if (!failsTheCase(error) || !takes(engine, 'failed-case-status')) return;
  if (publisher) publisher.markFailed();
  else upsertSearchAttributes([{ key: CaseStatusKey, value: 'failed' }]);
}
