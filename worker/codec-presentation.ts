/**
 * What the codec server shows a browser (the Web UI) of a case's arguments: the case's input
 * first, and the pinned definitions and calendars by reference instead of whole.
 *
 * A case is started with everything it runs on pinned in its arguments (workflows/messages.ts,
 * CaseArgs): its compiled definition, its subprocesses' and its calendars, tens of kilobytes
 * of JSON that would fill the case page's Input card. The Web UI cannot be told which part of a
 * payload to show, so the codec server's answer to a browser gives, for a payload that is a
 * case's arguments, `pinned` as `{ process, version, hash }` (the same for each subprocess, and
 * `{ calendar, version, timeZone, hash }` for each calendar), with a `shown` line saying so.
 *
 * Display only: the workflow, the worker and the client never call the codec server (they have
 * the codec in their data converter); a request without an `Origin` (the `temporal` CLI's
 * `--codec-endpoint`, a script) gets the payloads exactly as the case has them. A payload of any
 * other shape passes unchanged.
 */
import type { Payload } from '@temporalio/common';

const JSON_ENCODING = 'json/plain';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A pinned definition, `{ definition: { process, version, … }, hash }`, as a reference; anything else as it is. */
function definitionReference(pinned: unknown): unknown {
  if (!isObject(pinned) || typeof pinned.hash !== 'string' || !isObject(pinned.definition)) return pinned;
  const { process, version } = pinned.definition;
  return { process, version, hash: pinned.hash };
}

function calendarReference(calendar: unknown): unknown {
  if (!isObject(calendar) || typeof calendar.hash !== 'string') return calendar;
  const { calendar: id, version, timeZone, hash } = calendar;
  return { calendar: id, version, timeZone, hash };
}

const mapValues = (record: unknown, f: (value: unknown) => unknown): unknown =>
  isObject(record) ? Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value)])) : record;

/** A case's arguments shortened for display, or undefined when `value` is not a case's arguments. */
export function presentCaseArguments(value: unknown): Json | undefined {
  if (!isObject(value) || typeof value.caseId !== 'string' || !('input' in value) || !isObject(value.pinned) || !isObject(value.pinned.definition)) return undefined;
  const { caseId, input, pinned, subprocesses, calendars, ...rest } = value;
  return {
    caseId,
    input,
    ...rest,
    pinned: definitionReference(pinned),
    ...(subprocesses !== undefined ? { subprocesses: mapValues(subprocesses, definitionReference) } : {}),
    ...(calendars !== undefined ? { calendars: mapValues(calendars, calendarReference) } : {}),
    shown: 'by the Aftercare codec server for the Web UI: the pinned definitions and calendars are shown by reference (process, version, hash); the case holds them whole',
  };
}

/** The decoded payloads with each case's arguments shortened for display (see above). */
export function presentForBrowser(payloads: Payload[]): Payload[] {
  return payloads.map((payload) => {
    const encoding = payload.metadata?.encoding;
    if (!encoding || Buffer.from(encoding).toString('utf8') !== JSON_ENCODING || !payload.data) return payload;
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(payload.data).toString('utf8'));
    } catch {
      return payload;
    }
    const presented = presentCaseArguments(value);
    return presented ? { ...payload, data: Buffer.from(JSON.stringify(presented), 'utf8') } : payload;
  });
}
