/** The request ids a case remembers, so that one id always means one request (task-rules.ts checks them). */
import { REQUESTS_REMEMBERED, type CaseState } from '../case-state.js';
import type { RequestIdentity } from '../messages.js';

/** The case's remembered requests with `request` added; the oldest are forgotten past the limit. Undefined: nothing to remember. */
export function rememberRequest(state: CaseState, request: RequestIdentity): Record<string, string> | undefined {
  if (typeof request.requestId !== 'string' || typeof request.digest !== 'string') return undefined;
  const requests = { ...(state.requests ?? {}), [request.requestId]: request.digest };
  const ids = Object.keys(requests);
  for (const id of ids.slice(0, Math.max(0, ids.length - REQUESTS_REMEMBERED))) delete requests[id];
  return requests;
}
