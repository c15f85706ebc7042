/**
 * Side effects a case performs beside its flow — SLA events for the records, notifications,
 * subprocess cases opened by an escalation — queued and run one at a time by a background
 * coroutine, so the flow never waits on them and none is lost if the case is cancelled.
 */
import {
  ActivityFailure,
  CancellationScope,
  condition,
  isCancellation,
  scheduleActivity,
  scheduleLocalActivity,
  ParentClosePolicy,
  startChild,
} from '@temporalio/workflow';
import type { SearchAttributePair } from '@temporalio/common';
import type { StepContext } from '../model/activity-catalog/index.js';
import type { CarriedRecords } from '../model/carried-records.js';
import type { CaseArgs } from './messages.js';

export type Effect =
  /** `local`: run as a local activity (the case's records from engine revision 2, workflows/engine.ts). */
  | { kind: 'activity'; activity: string; context: StepContext; input: unknown; summary: string; local?: true }
  | {
      kind: 'child';
      process: string;
      workflowId: string;
      args: CaseArgs;
      summary: string;
      searchAttributes: SearchAttributePair[];
      memo: Record<string, unknown>;
    };

/** A batch of the engine's own records (workflows/case-timeline.ts), which other activities may carry. */
function isRecords(effect: Effect): boolean {
  return effect.kind === 'activity' && effect.activity === 'record-case-history';
}

/** Microtask turns the runner yields before starting an effect: enough for a step to finish and the next to begin. */
const GATHER_TURNS = 50;

/** Records and notifications must not be lost to a database outage: keep trying (no maximumAttempts: unlimited; bad data fails at once, non-retryable). */
const EFFECT_RETRY = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' } as const;

/**
 * Resolves once the activation has run out of microtasks: the SDK checks a blocked condition
 * only then, and this one is false when first asked, true after. One promise instead of a
 * count of turns — each promise a workflow makes costs the SDK a stack trace.
 */
export function activationSettled(): Promise<void> {
  let asked = false;
  return condition(() => {
    const again = asked;
    asked = true;
    return again;
  });
}

export class CaseEffects {
  private readonly queue: Effect[] = [];
  /** The effect being performed (still in the queue until it is done). */
  private current: Effect | undefined;

  constructor(
    private readonly onFailure: (effect: Effect, error: string) => void,
    /**
     * Engine revision 2 (workflows/engine.ts): gather until the activation settles, not over
     * GATHER_TURNS microtask turns; perform other effects before records batches, and let an
     * activity carry the records queued with it.
     */
    private readonly revision2 = false,
  ) {}

  enqueue(effect: Effect): void {
    this.queue.push(effect);
  }

  /**
   * Queues `effect`, or lets `merge` add to the newest queued call of the same activity when
   * that one has not started: a burst of audit entries becomes one activity, not one each.
   */
  enqueueBatched(effect: Extract<Effect, { kind: 'activity' }>, merge: (queued: Extract<Effect, { kind: 'activity' }>) => void): void {
    const last = this.queue[this.queue.length - 1];
    if (last && last !== this.current && last.kind === 'activity' && last.activity === effect.activity) merge(last);
    else this.queue.push(effect);
  }

  /**
   * Takes every queued records batch that has not started, merged, for an activity of the case's
   * own to carry (engine revision 2: records travel with an action step's activity or a
   * notification, at no action of their own); undefined when there is none.
   */
  claimRecords(): CarriedRecords | undefined {
    const batches = this.queue.filter((effect): effect is Extract<Effect, { kind: 'activity' }> => effect !== this.current && isRecords(effect));
    const [first] = batches;
    if (!first) return undefined;
    for (const batch of batches) this.queue.splice(this.queue.indexOf(batch), 1);
    const inputs = batches.map((batch) => batch.input as CarriedRecords['input']);
    return { context: first.context, input: { entries: inputs.flatMap((i) => i.entries), slaEvents: inputs.flatMap((i) => i.slaEvents) } };
  }

  /** Nothing queued or running: safe to continue as new or to close. */
  get idle(): boolean {
    return this.queue.length === 0 && this.current === undefined;
  }

  /**
   * The effect to perform next: the oldest; in revision 2 the oldest that is not a records
   * batch, when there is one, so that it carries the records queued before it too.
   */
  private next(): Effect | undefined {
    if (!this.revision2) return this.queue[0];
    return this.queue.find((effect) => !isRecords(effect)) ?? this.queue[0];
  }

  /**
   * Runs queued effects until `stopped()` holds and the queue is empty. Not cancellable.
   * With `gather()`, the runner lets the rest of the workflow task run before it starts the
   * next effect, so what that task adds can still join a batched effect (deterministic:
   * microtask turns or the activation settling, no timer); without it, effects start as soon
   * as they are queued, as cases started before batching did.
   */
  run(stopped: () => boolean, gather: () => boolean = () => false): Promise<void> {
    return CancellationScope.nonCancellable(async () => {
      for (;;) {
        await condition(() => this.queue.length > 0 || stopped());
        if (this.queue.length > 0 && gather()) {
          if (this.revision2) await activationSettled();
          else for (let turn = 0; turn < GATHER_TURNS; turn++) await Promise.resolve();
        }
        const effect = this.next();
        // Emptied while gathering: an action step took the records along (claimRecords).
        if (!effect && !stopped()) continue;
        if (!effect) return;
        this.current = effect;
        try {
          await this.perform(effect);
        } catch (error) {
          if (isCancellation(error)) throw error;
          const cause = error instanceof ActivityFailure && error.cause ? error.cause.message : error instanceof Error ? error.message : String(error);
          this.onFailure(effect, cause);
        } finally {
          this.queue.splice(this.queue.indexOf(effect), 1);
          this.current = undefined;
        }
      }
    });
  }

  private async perform(effect: Effect): Promise<void> {
    if (effect.kind === 'activity' && effect.local) {
      // Past the threshold the SDK waits out a retry's backoff on a timer, so an outage does not
      // hold the workflow task open.
      await scheduleLocalActivity(effect.activity, [effect.context, effect.input], { startToCloseTimeout: '30s', retry: EFFECT_RETRY, localRetryThreshold: '10s', summary: effect.summary });
      return;
    }
    if (effect.kind === 'activity') {
      // Revision 2: a notification (or any activity of its own) takes the records queued behind it along.
      const carried = this.revision2 ? this.claimRecords() : undefined;
      const args = carried ? [effect.context, effect.input, carried] : [effect.context, effect.input];
      await scheduleActivity(effect.activity, args, { startToCloseTimeout: '30s', retry: EFFECT_RETRY, summary: effect.summary });
      return;
    }
    await startChild(effect.process, {
      workflowId: effect.workflowId,
      args: [effect.args],
      staticSummary: effect.summary,
      typedSearchAttributes: effect.searchAttributes,
      memo: effect.memo,
      // The escalation case lives on even when this case closes.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  }
}
