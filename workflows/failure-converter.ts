/**
 * Failure messages and stack traces travel encoded, like every other payload: a failure's
 * message names the step and what went wrong, and may quote case data (a refused value, a
 * customer's order), so the worker puts it in the failure's encoded attributes, which the
 * payload codec encrypts (client/payload-codec.ts). Temporal keeps "Encoded failure" in clear;
 * the client, the CLI and the Web UI (through the codec server) decode it. Loaded by path in
 * the workflow bundle and by the worker (worker/worker.ts), so both sides encode alike.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
