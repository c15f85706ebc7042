/**
 * Publishes what operators see of a case — its search attributes and live details — once per
 * activation however many things changed in it, and only the attributes whose values changed
 * (each upsert is a command, billed on Temporal Cloud).
 */
import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { CompiledProcess } from '../model/compiled-process.js';
import type { CaseState } from './case-state.js';
import { caseDetails, searchAttributeValues } from './presentation.js';
import { caseSearchAttributes } from './search-attributes.js';

export class CasePublisher {
  /** What was last upserted per search attribute (JSON), so only changes are sent. */
  private readonly published = new Map<string, string>();
  private pending = false;

  constructor(
    private readonly state: CaseState,
    private readonly process: CompiledProcess,
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
      this.publish();
    });
  }

  publish(): void {
    const changed: SearchAttributeUpdatePair[] = [];
    for (const [name, { pair, value }] of searchAttributeValues(this.state)) {
      const json = JSON.stringify(value);
      if (this.published.get(name) !== json) {
        changed.push(pair);
        this.published.set(name, json);
      }
    }
    if (changed.length > 0) upsertSearchAttributes(changed);
    setCurrentDetails(caseDetails(this.state, this.process));
  }
}
