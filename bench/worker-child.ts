/**
 * The benchmark's worker, in a process of its own so that its CPU time and memory are its
 * own: one worker hosting both variants (the interpreter as the default workflow, the
 * hand-written workflows under their own types) and the real activities on PostgreSQL.
 * Started by bench/main.ts with IPC; it answers `{ type: 'usage' }` with its CPU time
 * (process.cpuUsage, every thread of the process) and memory, after a full GC when asked.
 *
 *   env: BENCH_TEMPORAL_ADDRESS, BENCH_TASK_QUEUE, BENCH_DATABASE_URL, BENCH_BUNDLE (file), BENCH_MAX_CACHED, BENCH_CODEC_KEYS
 */
import fs from 'node:fs/promises';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createPool } from '../database/postgres.js';
import { EncryptionCodec, parseCodecKeys } from '../client/payload-codec.js';
import { createWorker } from '../worker/worker.js';

export interface Usage {
  type: 'usage';
  /** Microseconds of CPU (user + system) since the process started. */
  cpuMicros: number;
  rss: number;
  heapUsed: number;
}

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

Runtime.install({ logger: new DefaultLogger('WARN') });
const pool = createPool(env('BENCH_DATABASE_URL'));
const connection = await NativeConnection.connect({ address: env('BENCH_TEMPORAL_ADDRESS') });
const worker = await createWorker({
  connection,
  namespace: 'default',
  taskQueue: env('BENCH_TASK_QUEUE'),
  pool,
  workflowBundle: { code: await fs.readFile(env('BENCH_BUNDLE'), 'utf8') },
  maxCachedWorkflows: Number(env('BENCH_MAX_CACHED')),
  payloadCodec: new EncryptionCodec(parseCodecKeys(env('BENCH_CODEC_KEYS'))),
});

process.on('message', (message: { type: string; gc?: boolean }) => {
  if (message.type === 'usage') {
    if (message.gc) (globalThis as { gc?: () => void }).gc?.();
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    process.send?.({ type: 'usage', cpuMicros: cpu.user + cpu.system, rss: memory.rss, heapUsed: memory.heapUsed } satisfies Usage);
  } else if (message.type === 'stop') {
    worker.shutdown();
  }
});

const running = worker.run();
process.send?.({ type: 'ready' });
await running;
await connection.close();
await pool.end();
process.exit(0);
