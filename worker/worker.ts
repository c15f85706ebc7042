/**
 * The Aftercare worker: the interpreter workflow and the activities on one task queue.
 */
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes.js';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import type pg from 'pg';
import { createActivities, type Activity } from '../activities/index.js';
import { withCarriedRecords } from '../activities/carried-records.js';
import { caseSearchAttributes } from '../workflows/search-attributes.js';
import { projectRoot } from './config.js';

export const workflowsPath = path.join(projectRoot, 'workflows', 'index.ts');
export const workflowInterceptorsPath = path.join(projectRoot, 'workflows', 'interceptors.ts');
/** Failure messages encoded, so that the codec encrypts them (workflows/failure-converter.ts). */
export const failureConverterPath = path.join(projectRoot, 'workflows', 'failure-converter.ts');

/**
 * Pure modules the worker loads once and shares between all the workflows it runs, instead of
 * once per workflow (the SDK's reused V8 context loads a bundle's modules per workflow
 * otherwise): the compiler with its per-worker cache of compiled definitions, the expression
 * language, data validation, the calendars and the signature checks. None keeps per-case state
 * (their module-level maps are caches of pure functions) and none uses a workflow API when it
 * loads; the SDK freezes what they export.
 */
export const sharedWorkflowModules = [
  path.join(projectRoot, 'workflows', 'definition-cache.ts'),
  path.join(projectRoot, 'dsl', 'expressions.ts'),
  path.join(projectRoot, 'dsl', 'verify.ts'),
  path.join(projectRoot, 'dsl', 'runtime-validation.ts'),
  path.join(projectRoot, 'dsl', 'deadlines.ts'),
  '@noble/curves/ed25519.js',
  '@noble/hashes/sha2.js',
];

/** Bundles the workflow code once (about two seconds); workers and tests reuse the bundle. */
export async function bundleWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules: [workflowInterceptorsPath],
    failureConverterPath,
    preloadModules: sharedWorkflowModules,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never,
  });
}

export interface AftercareWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** The database the real activities work against; optional when `activities` gives every one the workflow calls. */
  pool?: pg.Pool;
  /**
   * Activities by the name definitions use, over the real ones (with a `pool`) or instead of
   * them (without): stubs for tests of the interpreter that need no database.
   */
  activities?: Readonly<Record<string, Activity>>;
  workflowBundle: WorkflowBundle;
  identity?: string;
  /** Encrypts every payload the worker sends to Temporal (client/payload-codec.ts); tests of the interpreter run without. */
  payloadCodec?: PayloadCodec;
  /** How many workflows the worker keeps in memory between tasks (the SDK's default otherwise; `npm run bench` raises it to hold every open case). */
  maxCachedWorkflows?: number;
}

export async function createWorker(options: AftercareWorkerOptions): Promise<Worker> {
  if (!options.pool && !options.activities) throw new Error('createWorker needs a `pool` for the real activities, or `activities` to run instead of them');
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle,
    activities: withCarriedRecords({ ...(options.pool ? createActivities(options.pool) : {}), ...options.activities }),
    // Sized for a small machine; raise them on bigger ones.
    maxConcurrentActivityTaskExecutions: 20,
    maxConcurrentWorkflowTaskExecutions: 20,
    ...(options.identity ? { identity: options.identity } : {}),
    ...(options.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
    dataConverter: { failureConverterPath, ...(options.payloadCodec ? { payloadCodecs: [options.payloadCodec] } : {}) },
  });
}

/**
 * Registers the case search attributes on a server that lacks them (the dev server gets them
 * at start; docker-compose's server and others get them here). Idempotent.
 */
export async function ensureSearchAttributes(address: string, namespace: string, log: (message: string) => void): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const known = new Set(Object.keys(existing.customAttributes ?? {}));
    const missing = caseSearchAttributes.filter((key) => !known.has(key.name));
    if (missing.length === 0) return;
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type) ?? 0])),
    });
    log(`registered search attributes ${missing.map((k) => k.name).join(', ')}`);
  } finally {
    await connection.close();
  }
}

export { NativeConnection };
