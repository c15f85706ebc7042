/**
 * The servers `aftercare dev` starts (the Temporal dev server, the embedded PostgreSQL) must not
 * outlive it, however it ends. Two guards:
 *
 * - a watchdog: a small Node process, in a session of its own (a Ctrl-C to the terminal does not
 *   reach it), that holds a pipe from `aftercare dev`. When that pipe closes without a goodbye
 *   (the process was killed, SIGKILL included) it stops the servers it was told about — the
 *   polite signal first, SIGKILL after a grace period — and removes the record below.
 * - a record, `<data dir>/children.json` (0600): who started which servers. The next start reads
 *   it and stops any server still running from a start that ended without stopping it (the
 *   watchdog was killed too, or the machine's process tree was cut), saying so, before it checks
 *   its ports. A pid is only signalled while its command line is still the one recorded, so a
 *   pid the system has since given to another program is left alone.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_FILE_MODE } from './private-files.js';
import { waitFor } from './ports.js';
import type { Log } from './temporal-binaries.js';

export interface RecordedChild {
  /** What it is, as a person reads it: "the Temporal dev server", "PostgreSQL". */
  name: string;
  pid: number;
  /** Its program (argv[0]), to recognise the pid later. */
  command: string;
  /** The signal that stops it politely. */
  signal: NodeJS.Signals;
}

interface ChildrenRecord {
  owner: { pid: number; startedAt: string };
  watchdog?: number;
  children: RecordedChild[];
}

export function childrenFile(dataDir: string): string {
  return path.join(dataDir, 'children.json');
}

/** The watchdog's program (run with `node -e`, so it needs no file and no compilation). */
const watchdogSource = `
const fs = require('node:fs');
const [file, owner] = [process.argv[1], Number(process.argv[2])];
const children = new Map();
let buffer = '';
let goodbye = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => undefined);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  let at;
  while ((at = buffer.indexOf('\\n')) >= 0) {
    const [verb, pid, signal] = buffer.slice(0, at).split(' ');
    buffer = buffer.slice(at + 1);
    if (verb === 'watch') children.set(Number(pid), signal);
    else if (verb === 'forget') children.delete(Number(pid));
    else if (verb === 'goodbye') goodbye = true;
  }
});
const alive = (pid) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\\d+ \\(.*\\) Z/.test(fs.readFileSync('/proc/' + pid + '/stat', 'utf8'));
  } catch {
    return true;
  }
};
process.stdin.on('end', async () => {
  if (goodbye) process.exit(0);
  for (const [pid, signal] of children) if (alive(pid)) try { process.kill(pid, signal); } catch {}
  const deadline = Date.now() + 15000;
  while ([...children.keys()].some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const pid of children.keys()) if (alive(pid)) try { process.kill(pid, 'SIGKILL'); } catch {}
  try {
    if (JSON.parse(fs.readFileSync(file, 'utf8')).owner.pid === owner) fs.rmSync(file);
  } catch {}
  process.exit(0);
});
`;

/** Whether `pid` is a running process (a zombie, exited but not yet reaped, is not). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** The program a running pid executes (argv[0]), or undefined if it cannot be told. */
function programOf(pid: number): string | undefined {
  try {
    if (existsSync('/proc')) return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
    return execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return undefined;
  }
}

async function readRecord(file: string): Promise<ChildrenRecord | undefined> {
  try {
    const record = JSON.parse(await fs.readFile(file, 'utf8')) as ChildrenRecord;
    return Array.isArray(record.children) && typeof record.owner?.pid === 'number' ? record : undefined;
  } catch {
    return undefined;
  }
}

function names(children: readonly RecordedChild[]): string {
  const each = children.map((child) => `${child.name} (pid ${child.pid})`);
  return each.length <= 1 ? each.join('') : `${each.slice(0, -1).join(', ')} and ${each.at(-1)}`;
}

/**
 * Stops the servers an earlier start left running, as its record says; refuses when that start
 * is still running. Called before anything listens, so the ports it held are free again.
 */
export async function reclaimLeftovers(dataDir: string, log: Log): Promise<void> {
  const file = childrenFile(dataDir);
  const record = await readRecord(file);
  if (!record) return;
  const { owner } = record;
  if (owner.pid !== process.pid && isRunning(owner.pid) && /node/.test(path.basename(programOf(owner.pid) ?? ''))) {
    throw new Error(`another \`aftercare dev\` (pid ${owner.pid}, started ${owner.startedAt}) runs on ${path.relative(process.cwd(), dataDir) || dataDir}: stop it (Ctrl-C in its terminal, or kill ${owner.pid}), or set AFTERCARE_DATA_DIR to another folder`);
  }
  const left = record.children.filter((child) => isRunning(child.pid) && programOf(child.pid) === child.command);
  if (left.length > 0) {
    log(`the start of ${owner.startedAt} (pid ${owner.pid}) ended without stopping its servers: stopping ${names(left)}`);
    for (const child of left) process.kill(child.pid, child.signal);
    const stopped = await waitFor(async () => left.every((child) => !isRunning(child.pid)), 15_000, 100);
    if (!stopped) for (const child of left) if (isRunning(child.pid)) process.kill(child.pid, 'SIGKILL');
    await waitFor(async () => left.every((child) => !isRunning(child.pid)), 5_000, 100);
  }
  await fs.rm(file, { force: true });
}

export interface Supervisor {
  /** Records a server we started and hands it to the watchdog. */
  watch(name: string, child: ChildProcess, command: string, signal: NodeJS.Signals): Promise<void>;
  /** After an orderly stop: the watchdog leaves, the record goes. */
  close(): Promise<void>;
}

/** Reclaims what an earlier start left, then starts the watchdog and a fresh record. */
export async function superviseChildren(dataDir: string, log: Log): Promise<Supervisor> {
  await reclaimLeftovers(dataDir, log);
  const file = childrenFile(dataDir);
  const record: ChildrenRecord = { owner: { pid: process.pid, startedAt: new Date().toISOString() }, children: [] };
  const watchdog = spawn(process.execPath, ['-e', watchdogSource, file, String(process.pid)], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  watchdog.unref();
  // An error writing to the pipe means the watchdog is gone; the record still guards the next start.
  watchdog.stdin?.on('error', () => undefined);
  if (watchdog.pid !== undefined) record.watchdog = watchdog.pid;
  const save = () => fs.writeFile(file, `${JSON.stringify(record, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
  await save();
  return {
    async watch(name, child, command, signal) {
      if (child.pid === undefined) return;
      const pid = child.pid;
      record.children.push({ name, pid, command, signal });
      watchdog.stdin?.write(`watch ${pid} ${signal}\n`);
      child.once('exit', () => {
        record.children = record.children.filter((c) => c.pid !== pid);
        watchdog.stdin?.write(`forget ${pid}\n`);
      });
      await save();
    },
    async close() {
      watchdog.stdin?.end('goodbye\n');
      await fs.rm(file, { force: true });
    },
  };
}
