import type { TimelineEntry } from '../case-state.js';

/** A timeline entry to record: the interpreter stamps it with the case's time. */
export type Entry = Omit<TimelineEntry, 'at'>;

/** The case's time as the timeline and tasks show it. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
