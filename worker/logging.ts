/**
 * The worker's log, without case data. The Temporal SDK logs a failed activity or workflow task
 * with its error, and an error's message may quote what a case holds (a refused value, an
 * order, a customer's name in a message an activity wrote); the history keeps those messages
 * encrypted (workflows/failure-converter.ts), so the log must not print them in clear either.
 * Each entry keeps its message (the SDK's own words: "Activity failed"), the ids that say
 * which case, step and activity, and of an error its name and failure type only: the full
 * message is in the case, decrypted by `aftercare case status`, the client and the Web UI.
 */
import { DefaultLogger, Runtime, type LogEntry, type LogLevel } from '@temporalio/worker';

/** Meta fields that name where, never what: ids, types, counts. */
const KEPT = new Set(['sdkComponent', 'namespace', 'taskQueue', 'workflowId', 'runId', 'workflowType', 'activityId', 'activityType', 'attempt', 'taskToken', 'state', 'durationMs', 'isLocal', 'workerId']);

/** What of an error may be logged: what kind of failure it is, not what it says. */
function errorShape(error: unknown): Record<string, unknown> {
  const e = error as { name?: unknown; type?: unknown; nonRetryable?: unknown; cause?: unknown } | null;
  if (e === null || typeof e !== 'object') return { name: typeof error };
  return {
    ...(typeof e.name === 'string' ? { name: e.name } : {}),
    ...(typeof e.type === 'string' ? { type: e.type } : {}),
    ...(typeof e.nonRetryable === 'boolean' ? { nonRetryable: e.nonRetryable } : {}),
    ...(e.cause ? { cause: errorShape(e.cause) } : {}),
  };
}

/** An entry as printed: its level, message and the meta that names no case data. */
export function scrubbedLine(entry: LogEntry): string {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry.meta ?? {})) {
    if (KEPT.has(key) && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) kept[key] = value;
    else if (key === 'error' || key === 'failure') kept[key] = errorShape(value);
    else kept[key] = '[not logged]';
  }
  const at = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  return `${at} [${entry.level}] ${entry.message}${Object.keys(kept).length > 0 ? ` ${JSON.stringify(kept)}` : ''}`;
}

/** Installs the scrubbing logger for the SDK (before any worker or connection is made). */
export function installScrubbedLogging(level: LogLevel = 'INFO'): void {
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      const line = scrubbedLine(entry);
      if (entry.level === 'ERROR' || entry.level === 'WARN') console.error(line);
      else console.log(line);
    }),
  });
}
