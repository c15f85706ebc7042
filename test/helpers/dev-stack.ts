/**
 * `npm start` as a person runs it — `node bin/aftercare.js dev` in a child process — on free
 * ports and a data folder of its own, for the tests and scripts that need the whole stack.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../worker/config.js';
import { freePort, waitFor } from '../../worker/dev/ports.js';

export interface StartedStack {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  exit: Promise<number | null>;
}

export interface StackPorts {
  temporal: number;
  ui: number;
  postgres: number;
  codec: number;
}

/** The environment of a stack of its own: free ports, `dataDir` (its keys made there), a task queue; the caller's Temporal, database and codec keys unset. */
export async function stackEnvironment(dataDir: string, taskQueue: string): Promise<{ env: NodeJS.ProcessEnv; ports: StackPorts }> {
  const ports = { temporal: await freePort(), ui: await freePort(), postgres: await freePort(), codec: await freePort() };
  const { TEMPORAL_ADDRESS: _t, DATABASE_URL: _d, AFTERCARE_CODEC_KEYS: _k, ...inherited } = process.env;
  const env = {
    ...inherited,
    // Unset, not only left out: so they stay unset when merged over the caller's (helpers/cli.ts).
    TEMPORAL_ADDRESS: undefined,
    DATABASE_URL: undefined,
    AFTERCARE_CODEC_KEYS: undefined,
    AFTERCARE_DATA_DIR: dataDir,
    AFTERCARE_TEMPORAL_PORT: String(ports.temporal),
    AFTERCARE_UI_PORT: String(ports.ui),
    AFTERCARE_POSTGRES_PORT: String(ports.postgres),
    AFTERCARE_CODEC_PORT: String(ports.codec),
    AFTERCARE_TASK_QUEUE: taskQueue,
  };
  return { env, ports };
}

export function startStack(env: NodeJS.ProcessEnv): StartedStack {
  const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'aftercare.js'), 'dev'], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

/** Resolves once the start banner is printed; rejects with the output when it exits or takes 4 minutes. */
export async function stackReady(started: StartedStack): Promise<void> {
  const up = await waitFor(async () => started.output().includes('Aftercare is running') || started.child.exitCode !== null, 240_000, 200);
  if (!up || !started.output().includes('Aftercare is running')) throw new Error(`aftercare dev did not come up:\n${started.output()}`);
}
