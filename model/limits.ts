/**
 * How much a caller may put into a case, checked before anything reaches Temporal: when a case
 * is opened (the client, and the case itself) and in the task-completion validator. Derived
 * from Temporal's limits: a payload warns at 256 KB and fails at 2 MB, a history stops at 50 MB.
 * A case carries its input in its start event, in the state it continues as new with and in
 * activity inputs, and every completion's form in an Update event and in its state, so the
 * limits leave room for the pinned definition (~25 KB) and hundreds of completions.
 */

/** The case input as JSON, in UTF-8 bytes. */
export const MAX_CASE_INPUT_BYTES = 64 * 1024;
/** One task completion's form data as JSON, in UTF-8 bytes. */
export const MAX_FORM_BYTES = 32 * 1024;
/** Any one text in the input or a form, in characters (a long complaint letter fits). */
export const MAX_TEXT_LENGTH = 16 * 1024;

/** The UTF-8 size of `value` as JSON (pure: no TextEncoder, so it runs the same everywhere). */
export function jsonBytes(value: unknown): number {
  const json = JSON.stringify(value ?? null);
  let bytes = 0;
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4; // a surrogate pair is one 4-byte character
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export interface SizeIssue {
  /** JSON pointer of the value (`''` for the whole). */
  path: string;
  message: string;
}

function pointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The texts longer than MAX_TEXT_LENGTH in `value`, and `value` itself when larger than `maxBytes`. */
export function sizeIssues(value: unknown, maxBytes: number, what: string): SizeIssue[] {
  const issues: SizeIssue[] = [];
  const bytes = jsonBytes(value);
  if (bytes > maxBytes) issues.push({ path: '', message: `${what} is ${bytes.toLocaleString('en')} bytes as JSON; at most ${maxBytes.toLocaleString('en')} are accepted (keep documents and photos in your own store and pass their links)` });
  const walk = (node: unknown, at: (string | number)[]) => {
    if (issues.length > 20) return;
    if (typeof node === 'string') {
      if (node.length > MAX_TEXT_LENGTH) issues.push({ path: pointer(at), message: `the text at \`${pointer(at) || '/'}\` is ${node.length.toLocaleString('en')} characters long; at most ${MAX_TEXT_LENGTH.toLocaleString('en')} are accepted` });
    } else if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...at, i]));
    else if (node !== null && typeof node === 'object') for (const [key, item] of Object.entries(node)) walk(item, [...at, key]);
  };
  // A value far over the limit is not walked: the size alone says it all, and walking it costs.
  if (bytes <= maxBytes * 4) walk(value, []);
  return issues;
}
