/**
 * `npm run bench`: the interpreter beside hand-written workflows of the same paths (issue 11).
 *
 * It starts its own Temporal dev server and embedded PostgreSQL on free ports (in a scratch
 * folder, removed at the end), one worker in a child process hosting both variants
 * (bench/worker-child.ts), and drives each path of bench/paths.ts through the same client
 * calls in both variants: the same start, the same `progress` query to see a task open, the
 * same signed `completeTask` Updates. Variants run interleaved in pairs (A B, then B A, ...),
 * and every ratio (interpreted ÷ hand-written) is taken pair by pair; the report gives their
 * median and 10th–90th percentile.
 *
 * Measured:
 * - events, billable actions (bench/history.ts says how they are counted) and history bytes
 *   per case, from the histories; and a check that both variants called the same activities
 *   with the same inputs (the audit trail's `record-case-history` left out): the bench fails
 *   when they differ, or when a variant ends a path with another outcome;
 * - throughput with N cases at once (cases per second, wall clock) and the worker's CPU time
 *   per case (process.cpuUsage of the worker process, before and after the batch);
 * - replay CPU per case over the recorded histories (Worker.runReplayHistories, in this process);
 * - Update round trip (completeTask, client to result) p50 and p99, in the one-at-a-time runs;
 * - ingest: `npm run bench:definitions`, run and quoted;
 * - scale: N cases waiting on a task with an SLA timer pending, on one fresh worker per variant:
 *   time to open them all, the worker's RSS per cached case (after a full GC), the server's RSS
 *   and database size, and a probe Update on the first and the last case opened.
 *
 *   npm run bench                      # 4 pairs, N = 50 and 200, scale 10,000
 *   npm run bench -- --short           # 1 pair, N = 4 and 8, scale 20 (the test suite runs it)
 *   npm run bench -- --pairs 6 --n 50,200 --scale 2000 --sequential 5 --json   # the raw figures (or --json-file FILE beside the table)
 *
 * Nothing here asserts a timing; the goals are printed beside the figures.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { Client, Connection, WorkflowUpdateRPCTimeoutOrCancelledError, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import { createPool } from '../database/postgres.js';
import { DefinitionRegistry } from '../dsl/load/registry.js';
import { scenarioActing, scenarioPerson } from '../scenarios/acting.js';
import { projectRoot, readConfig } from '../worker/config.js';
import { stopChild } from '../worker/dev/child-process.js';
import { startEmbeddedPostgres } from '../worker/dev/embedded-postgres.js';
import { freePort } from '../worker/dev/ports.js';
import { ensureTemporalCli } from '../worker/dev/temporal-binaries.js';
import { startDevServer } from '../worker/dev/temporal-dev-server.js';
import { migrate } from '../worker/migrate.js';
import { seedDemoData } from '../worker/seed.js';
import { waitForTemporal } from '../worker/services.js';
import { pinnedCaseStart } from '../client/aftercare-client.js';
import { EncryptionCodec, newCodecKey, parseCodecKeys } from '../client/payload-codec.js';
import { failureConverterPath, sharedWorkflowModules } from '../worker/worker.js';
import { requestDigest } from '../workflows/actor-assertion.js';
import { completeTaskUpdate, progressQuery, type CaseProgress } from '../workflows/messages.js';
import { caseSearchAttributes } from '../workflows/search-attributes.js';
import { callsDiffer, comparableCalls, historyFigures, type HistoryFigures } from './history.js';
import { paths, scalePath, type BenchPath, type Variant } from './paths.js';
import { quantile, ratio, spread, type Spread } from './stats.js';
import type { Usage } from './worker-child.js';
import type { HandArgs } from './workflows/hand.js';

const { values: flags } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'json-file': { type: 'string' },
    pairs: { type: 'string' },
    n: { type: 'string' },
    scale: { type: 'string' },
    sequential: { type: 'string' },
    'replay-rounds': { type: 'string' },
  },
});
const short = flags.short ?? false;
const settings = {
  pairs: Number(flags.pairs ?? (short ? 1 : 4)),
  ns: (flags.n ?? (short ? '4,8' : '50,200')).split(',').map(Number),
  scale: Number(flags.scale ?? (short ? 20 : 10_000)),
  /** Cases per variant per pair run one at a time (the histories and the Update latencies). */
  sequential: Number(flags.sequential ?? (short ? 1 : 5)),
  /** How many times replay goes over the recorded histories per measurement. */
  replayRounds: Number(flags['replay-rounds'] ?? (short ? 3 : 5)),
};
const VARIANTS: Variant[] = ['interpreted', 'hand-written'];
/** Pair p runs A B when p is even, B A when odd. */
const order = (pair: number): Variant[] => (pair % 2 === 0 ? VARIANTS : [...VARIANTS].reverse());
const progress = (message: string) => {
  if (!flags.json) process.stderr.write(`[bench] ${message}\n`);
};

// ---------------------------------------------------------------------------------------------
// The stack

Runtime.install({ logger: new DefaultLogger('WARN') });
const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'aftercare-bench-'));
const children: ChildProcess[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
let exitCode = 0;

/** Stops what the bench started and removes its scratch folder; also on Ctrl-C. */
async function cleanUp(): Promise<void> {
  for (const child of children) if (child.exitCode === null) await stopChild(child, 'SIGTERM', 10_000).catch(() => undefined);
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  cleanups.length = 0;
  await fs.rm(scratch, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`[bench] ${signal}: stopping the servers and the worker\n`);
    void cleanUp().finally(() => process.exit(130));
  });
}

try {
  const log = (message: string) => progress(message);
  const cli = await ensureTemporalCli(readConfig().toolsDir, log);
  const dbFile = path.join(scratch, 'temporal', 'temporal.sqlite');
  const server = await startDevServer({ cli: cli.path, port: await freePort(), namespace: 'default', dbFile, searchAttributes: caseSearchAttributes, log });
  cleanups.push(() => server.stop());
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(scratch, 'postgres'), port: await freePort(), database: 'aftercare', log });
  cleanups.push(() => postgres.stop());
  const pool = createPool(postgres.url);
  cleanups.push(() => pool.end());
  await waitForTemporal(server.address, 'default');
  await migrate(pool);
  await seedDemoData(pool);
  const registry = await DefinitionRegistry.load([path.join(projectRoot, 'definitions')]);
  const bundle = await bundleWorkflowCode({
    workflowsPath: path.join(projectRoot, 'bench', 'workflows', 'index.ts'),
    workflowInterceptorModules: [path.join(projectRoot, 'bench', 'workflows', 'interceptors.ts')],
    failureConverterPath,
    // As the product's worker bundles it (worker/worker.ts): the pure modules loaded once per worker.
    preloadModules: sharedWorkflowModules,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never,
  });
  const bundleFile = path.join(scratch, 'bundle.js');
  await fs.writeFile(bundleFile, bundle.code);
  const connection = await Connection.connect({ address: server.address });
  cleanups.push(() => connection.close());
  // Both variants' payloads encrypted, as the product always runs (npm start, the worker, the client).
  const codecKeys = newCodecKey('bench');
  const codec = new EncryptionCodec(parseCodecKeys(codecKeys));
  const dataConverter = { payloadCodecs: [codec], failureConverterPath };
  const temporalClient = new Client({ connection, namespace: 'default', dataConverter });
  const acting = await scenarioActing(registry, async () => Date.now());
  const actorKeys = acting.trustedKeys();

  /** A worker in a child process on `taskQueue`, with its CPU and memory on request. */
  async function startWorker(taskQueue: string, maxCached: number) {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(projectRoot, 'bench', 'worker-child.ts')], {
      cwd: projectRoot,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, BENCH_TEMPORAL_ADDRESS: server.address, BENCH_TASK_QUEUE: taskQueue, BENCH_DATABASE_URL: postgres.url, BENCH_CODEC_KEYS: codecKeys, BENCH_BUNDLE: bundleFile, BENCH_MAX_CACHED: String(maxCached) },
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the bench worker exited (${code}) before it was ready`)));
      child.on('message', (message: { type: string }) => {
        if (message.type === 'ready') resolve();
      });
    });
    const usage = (gc = false) =>
      new Promise<Usage>((resolve) => {
        const listener = (message: Usage) => {
          if (message.type !== 'usage') return;
          child.off('message', listener);
          resolve(message);
        };
        child.on('message', listener);
        child.send({ type: 'usage', gc });
      });
    const stop = async () => {
      child.send({ type: 'stop' });
      await stopChild(child, 'SIGTERM', 30_000).catch(() => undefined);
    };
    return { child, usage, stop };
  }

  // -------------------------------------------------------------------------------------------
  // Driving a case, the same way in both variants

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const OPEN_TASK_PATIENCE_MS = 10 * 60_000;
  let serial = 0;
  /** Update calls sent again after a time-out (reported: a busy server's sign). */
  let updateRetries = 0;
  const workflowType = (variant: Variant, p: BenchPath) => (variant === 'interpreted' ? p.process : p.handType);

  async function open(variant: Variant, p: BenchPath, caseId: string, taskQueue: string): Promise<WorkflowHandle> {
    // What the client's openCase sends, to the interpreter.
    const pin = registry.pin(p.process);
    const { calendars, loaded } = pin;
    const input = p.input();
    const start = pinnedCaseStart(pin, caseId, input, { ...(p.parameters ? { parameters: p.parameters } : {}), ...(p.owner ? { owner: p.owner } : {}) }, actorKeys);
    const calendar = loaded.compiled.calendar ? calendars[loaded.compiled.calendar] : undefined;
    const hand: HandArgs = { caseId, input, ...(p.parameters ? { parameters: p.parameters } : {}), ...(p.owner ? { owner: p.owner } : {}), actorKeys, ...(calendar ? { calendar } : {}) };
    return temporalClient.workflow.start(workflowType(variant, p), {
      workflowId: caseId,
      taskQueue,
      args: [variant === 'interpreted' ? start.args : hand],
      typedSearchAttributes: start.searchAttributes,
      memo: variant === 'interpreted' ? { ...start.memo, process: p.process } : { process: p.process },
      staticSummary: start.staticSummary,
      staticDetails: start.details,
      workflowIdConflictPolicy: 'FAIL',
    });
  }

  /** Reads the `progress` query until a task of `step` is open (backing off: queries cost the worker too). */
  async function openTask(handle: WorkflowHandle, step: string): Promise<CaseProgress['openTasks'][number]> {
    // Generous: N = 200 cases on a loaded 2-core machine queue for minutes; the batch's time is the measurement.
    const deadline = Date.now() + OPEN_TASK_PATIENCE_MS;
    for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
      const now = await handle.query(progressQuery, { stepId: step }).catch(async (error: unknown) => {
        const status = (await handle.describe()).status.name;
        if (status !== 'RUNNING') throw new Error(`case ${handle.workflowId} is ${status} (waiting for step ${step}): ${String(error)}`);
        return undefined;
      });
      const task = now?.openTasks.find((t) => t.stepId === step);
      if (task) return task;
      if (now?.status === 'closed') throw new Error(`case ${handle.workflowId} closed (${now.outcome}) before step ${step} opened a task`);
      if (Date.now() > deadline) throw new Error(`case ${handle.workflowId} opened no task of step ${step} in ${OPEN_TASK_PATIENCE_MS / 60_000} minutes`);
      await sleep(pause);
    }
  }

  async function completeTask(handle: WorkflowHandle, p: BenchPath, move: BenchPath['moves'][number], task: { id: string; assignee?: string }): Promise<number> {
    const person = 'assignee' in move.as ? (task.assignee ?? '') : move.as.id;
    const request = { taskId: task.id, outcome: move.outcome, ...(move.data ? { data: move.data } : {}) };
    const identity = { requestId: randomUUID(), digest: requestDigest(request) };
    const actor = await acting.issue(scenarioPerson(person, move.as.role), { process: p.process, processRoles: Object.keys(registry.get(p.process).compiled.roles), caseId: handle.workflowId, update: 'completeTask', ...identity });
    const started = performance.now();
    // As a service would: the same Update id again when the call timed out on a busy server (answered once).
    for (let attempt = 1; ; attempt++) {
      try {
        await handle.executeUpdate(completeTaskUpdate, { args: [{ ...request, actor, ...identity }], updateId: identity.requestId });
        break;
      } catch (error) {
        if (!(error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) || attempt >= 10) throw error;
        updateRetries++;
      }
    }
    return performance.now() - started;
  }

  /** One case of `p` from opening to its end; the Updates' round trips go to `latencies`. */
  async function runCase(variant: Variant, p: BenchPath, tag: string, taskQueue: string, latencies?: number[], outcomes?: string[]): Promise<string> {
    const caseId = `${tag}-${variant === 'interpreted' ? 'i' : 'h'}-${p.process}-${++serial}`;
    const handle = await open(variant, p, caseId, taskQueue);
    for (const move of p.moves) {
      const task = await openTask(handle, move.step);
      const ms = await completeTask(handle, p, move, task);
      latencies?.push(ms);
    }
    const result = (await handle.result()) as { outcome: string };
    outcomes?.push(result.outcome);
    if (result.outcome !== p.outcome) throw new Error(`${variant} ${p.name}: case ${caseId} ended ${result.outcome}, not ${p.outcome}`);
    return caseId;
  }

  async function history(caseId: string): Promise<temporal.api.history.v1.IHistory> {
    return temporalClient.workflow.getHandle(caseId).fetchHistory();
  }

  // -------------------------------------------------------------------------------------------
  // 1. One case at a time: histories, the input check, Update round trips

  const taskQueue = 'bench';
  const worker = await startWorker(taskQueue, 2000);
  type PerVariant<T> = Record<Variant, T>;
  const sequential = new Map<string, { cases: PerVariant<string[]>; latencies: PerVariant<number[]>; figures: PerVariant<HistoryFigures[]>; outcomes: PerVariant<string[]> }>();
  for (const p of paths) {
    sequential.set(p.name, { cases: { interpreted: [], 'hand-written': [] }, latencies: { interpreted: [], 'hand-written': [] }, figures: { interpreted: [], 'hand-written': [] }, outcomes: { interpreted: [], 'hand-written': [] } });
  }
  progress(`one case at a time: ${settings.pairs} pair(s) × ${settings.sequential} case(s) per variant per path`);
  // A warm-up case of each, not measured: the first workflow task of a type loads its code.
  for (const p of paths) for (const variant of VARIANTS) await runCase(variant, p, 'warm', taskQueue);
  for (let pair = 0; pair < settings.pairs; pair++) {
    for (const p of paths) {
      const run = sequential.get(p.name)!;
      for (const variant of order(pair)) {
        for (let k = 0; k < settings.sequential; k++) run.cases[variant].push(await runCase(variant, p, `s${pair}`, taskQueue, run.latencies[variant], run.outcomes[variant]));
      }
    }
  }
  const histories = new Map<string, PerVariant<{ workflowId: string; history: temporal.api.history.v1.IHistory }[]>>();
  const inputCheck: { path: string; activities: number; equal: boolean }[] = [];
  for (const p of paths) {
    const run = sequential.get(p.name)!;
    const recorded: PerVariant<{ workflowId: string; history: temporal.api.history.v1.IHistory }[]> = { interpreted: [], 'hand-written': [] };
    for (const variant of VARIANTS) {
      for (const caseId of run.cases[variant]) {
        const h = await history(caseId);
        recorded[variant].push({ workflowId: caseId, history: h });
        run.figures[variant].push(await historyFigures(h, codec));
      }
    }
    histories.set(p.name, recorded);
    // The same input, the same activities with the same inputs, in every pair.
    for (let i = 0; i < run.cases.interpreted.length; i++) {
      const a = comparableCalls(run.figures.interpreted[i]!, run.cases.interpreted[i]!);
      const b = comparableCalls(run.figures['hand-written'][i]!, run.cases['hand-written'][i]!);
      const difference = callsDiffer(a, b);
      if (difference) throw new Error(`INPUT CHECK FAILED on ${p.name}: the variants called different activities or gave different inputs\n  ${difference}`);
      if (i === 0) inputCheck.push({ path: p.name, activities: a.length, equal: true });
    }
  }
  progress(`input check passed: ${inputCheck.map((c) => `${c.path} (${c.activities} activities)`).join(', ')}`);

  // -------------------------------------------------------------------------------------------
  // 2. N cases at once: throughput and worker CPU per case

  const load = new Map<string, Map<number, { throughput: number[]; cpu: number[]; raw: PerVariant<{ casesPerSecond: number[]; cpuMsPerCase: number[] }> }>>();
  for (const n of settings.ns) {
    for (const p of paths) {
      const byN = load.get(p.name) ?? new Map();
      load.set(p.name, byN);
      const entry = { throughput: [] as number[], cpu: [] as number[], raw: { interpreted: { casesPerSecond: [] as number[], cpuMsPerCase: [] as number[] }, 'hand-written': { casesPerSecond: [] as number[], cpuMsPerCase: [] as number[] } } };
      byN.set(n, entry);
      for (let pair = 0; pair < settings.pairs; pair++) {
        progress(`N = ${n}, ${p.name}, pair ${pair + 1} of ${settings.pairs}`);
        const measured: Partial<PerVariant<{ casesPerSecond: number; cpuMsPerCase: number }>> = {};
        for (const variant of order(pair)) {
          const before = await worker.usage();
          const started = performance.now();
          await Promise.all(Array.from({ length: n }, () => runCase(variant, p, `n${n}p${pair}`, taskQueue)));
          const seconds = (performance.now() - started) / 1000;
          const after = await worker.usage();
          measured[variant] = { casesPerSecond: n / seconds, cpuMsPerCase: (after.cpuMicros - before.cpuMicros) / 1000 / n };
          entry.raw[variant].casesPerSecond.push(measured[variant].casesPerSecond);
          entry.raw[variant].cpuMsPerCase.push(measured[variant].cpuMsPerCase);
        }
        entry.throughput.push(measured.interpreted!.casesPerSecond / measured['hand-written']!.casesPerSecond);
        entry.cpu.push(measured.interpreted!.cpuMsPerCase / measured['hand-written']!.cpuMsPerCase);
      }
    }
  }
  await worker.stop();

  // -------------------------------------------------------------------------------------------
  // 3. Replay CPU per case over the recorded histories (this process)

  const replay = new Map<string, { ratios: number[]; raw: PerVariant<number[]> }>();
  for (const p of paths) {
    const entry = { ratios: [] as number[], raw: { interpreted: [] as number[], 'hand-written': [] as number[] } };
    replay.set(p.name, entry);
    const recorded = histories.get(p.name)!;
    for (let pair = 0; pair < settings.pairs; pair++) {
      progress(`replay, ${p.name}, pair ${pair + 1} of ${settings.pairs}`);
      const measured: Partial<PerVariant<number>> = {};
      for (const variant of order(pair)) {
        // Timed from the first history replayed to the last: the replay worker's start is left out.
        const items = Array.from({ length: settings.replayRounds }, () => recorded[variant]).flat();
        let first: NodeJS.CpuUsage | undefined;
        let replayed = 0;
        for await (const result of Worker.runReplayHistories({ workflowBundle: { code: bundle.code }, replayName: `bench-${variant}`, dataConverter }, items)) {
          if (result.error) throw new Error(`replay of ${result.workflowId} failed: ${String(result.error)}`);
          if (first === undefined) first = process.cpuUsage();
          else replayed++;
        }
        if (replayed === 0) throw new Error('replay needs two histories at least (--replay-rounds 2)');
        const used = process.cpuUsage(first);
        measured[variant] = (used.user + used.system) / 1000 / replayed;
        entry.raw[variant].push(measured[variant]);
      }
      entry.ratios.push(measured.interpreted! / measured['hand-written']!);
    }
  }

  // -------------------------------------------------------------------------------------------
  // 4. Scale: N cases waiting on a task with an SLA timer pending, one fresh worker per variant

  const fileSize = async (file: string) => (await fs.stat(file).catch(() => undefined))?.size ?? 0;
  const serverState = async () => {
    const status = await fs.readFile(`/proc/${server.child.pid}/status`, 'utf8').catch(() => '');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
    return { serverRssBytes: rssKb * 1024, dbBytes: (await fileSize(dbFile)) + (await fileSize(`${dbFile}-wal`)) };
  };
  const scale: Record<string, unknown>[] = [];
  for (const variant of VARIANTS) {
    const type = workflowType(variant, scalePath);
    const queue = `bench-scale-${variant}`;
    const scaleWorker = await startWorker(queue, settings.scale + 1000);
    // One case first, not counted: the worker has loaded the workflow code and its connections before the baseline.
    const warm = await open(variant, scalePath, `scale-${variant === 'interpreted' ? 'i' : 'h'}-warm`, queue);
    await openTask(warm, 'classify');
    const base = await scaleWorker.usage(true);
    const serverBefore = await serverState();
    progress(`scale: opening ${settings.scale} ${variant} cases`);
    const started = performance.now();
    const ids: string[] = [];
    let next = 0;
    const opener = async () => {
      for (let i = next++; i < settings.scale; i = next++) {
        const caseId = `scale-${variant === 'interpreted' ? 'i' : 'h'}-${i}`;
        ids[i] = caseId;
        await open(variant, scalePath, caseId, queue);
      }
    };
    await Promise.all(Array.from({ length: 50 }, opener));
    const waitingQuery = `WorkflowType = '${type}' AND ExecutionStatus = 'Running' AND CurrentSteps = 'classify' AND WaitingOnRoles = 'agent'`;
    let waiting = 0;
    const giveUp = Date.now() + 60 * 60_000;
    for (;;) {
      waiting = (await temporalClient.workflow.count(waitingQuery)).count;
      if (waiting >= settings.scale + 1 || Date.now() > giveUp) break;
      await sleep(500);
    }
    const secondsToOpen = (performance.now() - started) / 1000;
    progress(`scale: ${waiting - 1} ${variant} cases waiting after ${secondsToOpen.toFixed(0)} s`);
    const loaded = await scaleWorker.usage(true);
    const failed = (await temporalClient.workflow.count(`WorkflowType = '${type}' AND ExecutionStatus = 'Failed'`)).count;
    const server = await serverState();
    // The probe: a real completion on the first and the last case opened.
    const probe = async (caseId: string) => {
      const handle = temporalClient.workflow.getHandle(caseId);
      const task = await openTask(handle, 'classify');
      return completeTask(handle, scalePath, scalePath.moves[0]!, task);
    };
    const probeFirstMs = await probe(ids[0]!);
    const probeLastMs = await probe(ids[ids.length - 1]!);
    scale.push({
      variant,
      cases: settings.scale,
      waiting: waiting - 1,
      failed,
      secondsToOpen,
      casesOpenedPerSecond: settings.scale / secondsToOpen,
      workerRssBytes: loaded.rss,
      workerRssPerCaseBytes: (loaded.rss - base.rss) / settings.scale,
      workerHeapPerCaseBytes: (loaded.heapUsed - base.heapUsed) / settings.scale,
      workerCpuMsPerCaseOpened: (loaded.cpuMicros - base.cpuMicros) / 1000 / settings.scale,
      serverRssBytes: server.serverRssBytes,
      serverRssGrowthBytes: server.serverRssBytes - serverBefore.serverRssBytes,
      dbBytes: server.dbBytes,
      dbGrowthPerCaseBytes: (server.dbBytes - serverBefore.dbBytes) / settings.scale,
      probeFirstMs,
      probeLastMs,
    });
    await scaleWorker.stop();
  }

  // -------------------------------------------------------------------------------------------
  // 5. Ingest: the existing definitions bench, run and quoted

  progress('ingest: npm run bench:definitions');
  const ingestArgs = short ? ['--rounds', '3', '--warmup', '1', '--batch', '2'] : [];
  const ingest = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'scripts', 'bench-definitions.ts'), ...ingestArgs], { cwd: projectRoot, maxBuffer: 4 * 1024 * 1024 });

  // -------------------------------------------------------------------------------------------
  // The report

  const rows = paths.map((p) => {
    const run = sequential.get(p.name)!;
    const figure = (variant: Variant, key: 'events' | 'actions' | 'bytes') => spread(run.figures[variant].map((f) => f[key]));
    const pairRatios = (key: 'events' | 'actions' | 'bytes') => spread(run.figures.interpreted.map((f, i) => f[key] / run.figures['hand-written'][i]![key]));
    const latency = (variant: Variant) => ({ p50: quantile(run.latencies[variant], 0.5), p99: quantile(run.latencies[variant], 0.99), n: run.latencies[variant].length });
    const byKind = (variant: Variant) => run.figures[variant][0]?.byKind ?? {};
    const perPairLatency = (q: number) => {
      const per = run.latencies.interpreted.length / settings.pairs;
      const hand = run.latencies['hand-written'].length / settings.pairs;
      return spread(
        Array.from({ length: settings.pairs }, (_, pair) => quantile(run.latencies.interpreted.slice(pair * per, (pair + 1) * per), q) / quantile(run.latencies['hand-written'].slice(pair * hand, (pair + 1) * hand), q)),
      );
    };
    return {
      path: p.name,
      decisions: p.decisions,
      outcomes: { expected: p.outcome, interpreted: run.outcomes.interpreted, handWritten: run.outcomes['hand-written'] },
      events: { interpreted: figure('interpreted', 'events'), handWritten: figure('hand-written', 'events'), ratio: pairRatios('events') },
      actions: { interpreted: figure('interpreted', 'actions'), handWritten: figure('hand-written', 'actions'), ratio: pairRatios('actions'), byKind: { interpreted: byKind('interpreted'), handWritten: byKind('hand-written') } },
      bytes: { interpreted: figure('interpreted', 'bytes'), handWritten: figure('hand-written', 'bytes'), ratio: pairRatios('bytes') },
      throughput: Object.fromEntries(settings.ns.map((n) => [n, { ratio: spread(load.get(p.name)!.get(n)!.throughput), raw: load.get(p.name)!.get(n)!.raw }])),
      workerCpu: Object.fromEntries(settings.ns.map((n) => [n, spread(load.get(p.name)!.get(n)!.cpu)])),
      replayCpu: { ratio: spread(replay.get(p.name)!.ratios), msPerCase: replay.get(p.name)!.raw },
      update: {
        interpreted: latency('interpreted'),
        handWritten: latency('hand-written'),
        p50Ratio: latency('interpreted').p50 / latency('hand-written').p50,
        p99Ratio: latency('interpreted').p99 / latency('hand-written').p99,
        p50PerPair: perPairLatency(0.5),
      },
    };
  });
  const report = { settings, machine: machine(), inputCheck, updateRetries, rows, scale, ingest: ingest.stdout };
  if (flags['json-file']) await fs.writeFile(flags['json-file'], `${JSON.stringify(report, null, 2)}\n`);
  if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(table(report));
} catch (error) {
  process.stderr.write(`[bench] FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  exitCode = 1;
} finally {
  await cleanUp();
}
process.exit(exitCode);

// ---------------------------------------------------------------------------------------------

function machine() {
  return { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '?', loadAverage: os.loadavg(), memoryBytes: os.totalmem(), node: process.version };
}

type Report = { settings: typeof settings; machine: ReturnType<typeof machine>; inputCheck: { path: string; activities: number }[]; updateRetries: number; rows: Row[]; scale: Record<string, unknown>[]; ingest: string };
type Row = {
  path: string;
  decisions: number;
  events: { interpreted: Spread; handWritten: Spread; ratio: Spread };
  actions: { interpreted: Spread; handWritten: Spread; ratio: Spread; byKind: { interpreted: Record<string, number>; handWritten: Record<string, number> } };
  bytes: { interpreted: Spread; handWritten: Spread; ratio: Spread };
  throughput: Record<string, { ratio: Spread }>;
  workerCpu: Record<string, Spread>;
  replayCpu: { ratio: Spread };
  update: { p50Ratio: number; p99Ratio: number; p50PerPair: Spread; interpreted: { n: number }; handWritten: { n: number } };
};

function mark(met: boolean): string {
  return met ? 'met' : 'NOT met';
}

function table(report: Report): string {
  const { settings: s } = report;
  const lines: string[] = [];
  lines.push(`Aftercare benchmark: interpreted ÷ hand-written, ${s.pairs} interleaved pair(s); median (p10–p90 of the pair-by-pair ratios)`);
  lines.push(`machine: ${report.machine.cpus} × ${report.machine.model}, load average ${report.machine.loadAverage.map((l) => l.toFixed(2)).join(' ')} at the end, Node ${report.machine.node}`);
  lines.push(`input check: the same activities with the same inputs in both variants (record-case-history left out): ${report.inputCheck.map((c) => `${c.path} ${c.activities} activities`).join('; ')} — passed`);
  lines.push('');
  const [n1, n2] = [s.ns[0], s.ns[1] ?? s.ns[0]];
  lines.push(`| path | events | actions | history bytes | throughput N=${n1} | N=${n2} | worker CPU (N=${n1}) | replay CPU | Update p50 / p99 |`);
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const goals: string[] = [];
  for (const row of report.rows) {
    const events = `${row.events.interpreted.median} ÷ ${row.events.handWritten.median}`;
    const actions = `${row.actions.interpreted.median} ÷ ${row.actions.handWritten.median} = ${row.actions.ratio.median.toFixed(2)}×`;
    const bytes = `${row.bytes.interpreted.median} ÷ ${row.bytes.handWritten.median} = ${row.bytes.ratio.median.toFixed(2)}×`;
    const t1 = row.throughput[String(n1)]!.ratio;
    const t2 = row.throughput[String(n2)]!.ratio;
    const cpu = row.workerCpu[String(n1)]!;
    const update = `${row.update.p50Ratio.toFixed(2)}× / ${row.update.p99Ratio.toFixed(2)}×`;
    lines.push(`| ${row.path} | ${events} | ${actions} | ${bytes} | ${ratio(t1)} | ${ratio(t2)} | ${ratio(cpu)} | ${ratio(row.replayCpu.ratio)} | ${update} |`);
    const eventsGoal = row.events.handWritten.median + 2 * row.decisions;
    goals.push(
      `${row.path}: events ≤ ${eventsGoal} (hand-written + 2 × ${row.decisions} decision branch${row.decisions === 1 ? '' : 'es'}) ${mark(row.events.interpreted.median <= eventsGoal)}; ` +
        `actions ≤ 1.05× ${mark(row.actions.ratio.median <= 1.05)}; bytes ≤ 1.2× ${mark(row.bytes.ratio.median <= 1.2)}; ` +
        `throughput ≥ 0.95× ${mark(t1.median >= 0.95 && t2.median >= 0.95)}; worker CPU ≤ 1.10× ${mark(s.ns.every((n) => row.workerCpu[String(n)]!.median <= 1.1))}; ` +
        `replay CPU ≤ 1.10× ${mark(row.replayCpu.ratio.median <= 1.1)}; Update p50 ≤ 1.10× ${mark(row.update.p50Ratio <= 1.1)}, p99 ≤ 1.25× ${mark(row.update.p99Ratio <= 1.25)}`,
    );
  }
  lines.push('');
  lines.push('Goals (issue 11), on the medians:');
  for (const goal of goals) lines.push(`  ${goal}`);
  if (s.ns.length > 1) {
    lines.push('');
    lines.push(`worker CPU per case at N=${n2}: ${report.rows.map((r) => `${r.path} ${ratio(r.workerCpu[String(n2)]!)}`).join('; ')}`);
  }
  lines.push(`Update calls sent again after a time-out on a busy server: ${report.updateRetries}`);
  lines.push(`Update round trips: ${report.rows.map((r) => `${r.path} ${r.update.interpreted.n} + ${r.update.handWritten.n} (p50 per pair ${ratio(r.update.p50PerPair)})`).join('; ')}`);
  lines.push('');
  lines.push('Where the actions go (one case; interpreted | hand-written):');
  for (const row of report.rows) {
    const kinds = [...new Set([...Object.keys(row.actions.byKind.interpreted), ...Object.keys(row.actions.byKind.handWritten)])].sort();
    lines.push(`  ${row.path}: ${kinds.map((k) => `${k} ${row.actions.byKind.interpreted[k] ?? 0} | ${row.actions.byKind.handWritten[k] ?? 0}`).join(', ')}`);
  }
  lines.push('');
  lines.push(`Scale: ${s.scale} cases waiting on their first task (complaint, classify) with the first-reply SLA timer pending, one fresh worker each:`);
  for (const entry of report.scale) {
    const e = entry as Record<string, number | string>;
    const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
    lines.push(
      `  ${e.variant}: ${e.waiting} of ${e.cases} waiting, ${e.failed} failed; opened in ${Number(e.secondsToOpen).toFixed(1)} s (${Number(e.casesOpenedPerSecond).toFixed(1)}/s, worker CPU ${Number(e.workerCpuMsPerCaseOpened).toFixed(2)} ms per case); ` +
        `worker RSS ${mb(Number(e.workerRssBytes))} MB, ${(Number(e.workerRssPerCaseBytes) / 1024).toFixed(1)} KB per cached case (heap ${(Number(e.workerHeapPerCaseBytes) / 1024).toFixed(1)} KB)${e.variant === 'interpreted' ? ` — goal ≤ 512 KB ${mark(Number(e.workerRssPerCaseBytes) <= 512 * 1024 && e.failed === 0 && e.waiting === e.cases)}` : ''}; ` +
        `server RSS ${mb(Number(e.serverRssBytes))} MB (+${mb(Number(e.serverRssGrowthBytes))}), database ${mb(Number(e.dbBytes))} MB (+${(Number(e.dbGrowthPerCaseBytes) / 1024).toFixed(1)} KB per case); ` +
        `probe Update first ${Number(e.probeFirstMs).toFixed(0)} ms, last ${Number(e.probeLastMs).toFixed(0)} ms`,
    );
  }
  lines.push('');
  lines.push('Ingest (npm run bench:definitions):');
  for (const line of report.ingest.trimEnd().split('\n')) lines.push(`  ${line}`);
  return `${lines.join('\n')}\n`;
}
