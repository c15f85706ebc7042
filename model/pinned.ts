/**
 * What a case carries for its whole life, pinned when it is opened: its definition as written,
 * with the content hash, and the business calendars it counts working time with. Plain JSON,
 * shared by the loader that pins them, the client that sends them and the workflow that runs them.
 */
import type { CompiledCalendar } from './compiled-calendar.js';
import type { ProcessDefinition } from './generated/process-definition.js';

/** A definition pinned to a case: the document as written and its content hash. */
export interface PinnedDefinition {
  definition: ProcessDefinition;
  hash: string;
}

/** A compiled calendar (model/compiled-calendar.ts) as pinned in CaseArgs.calendars. */
export type CalendarData = CompiledCalendar;
