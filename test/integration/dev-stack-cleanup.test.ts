/**
 * `npm start` killed hard leaves no server behind: `node bin/aftercare.js dev`, as `npm start`
 * runs it, on free ports and a data folder of its own, is killed with SIGKILL and the next start
 * comes up on the same ports and data.
 *
 * Twice: first the start and its watchdog are both killed (nothing of ours is left to clean up),
 * so the next start finds the Temporal dev server and PostgreSQL still running, stops them with a
 * message and comes up; then only the start is killed, and its watchdog stops the servers by
 * itself, before any next start. The third start is stopped with Ctrl-C (SIGINT): exit 0, no
 * server and no record left.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { childrenFile, isRunning } from '../../worker/dev/children.js';
import { isListening, waitFor } from '../../worker/dev/ports.js';
import { stackEnvironment, stackReady as ready, startStack as start } from '../helpers/dev-stack.js';
import { uniqueName } from '../helpers/env.js';

interface Record {
  owner: { pid: number };
  watchdog: number;
  children: { name: string; pid: number }[];
}

describe('npm start killed with SIGKILL', () => {
  it('leaves no server behind: the next start stops what was left and comes up, and a lone kill is cleaned up by the watchdog', { timeout: 900_000 }, async () => {
    const dataDir = path.join(inject('scratchDir'), uniqueName('stack'), '.data');
    const { env, ports } = await stackEnvironment(dataDir, uniqueName('stack'));
    const record = async () => JSON.parse(await fs.readFile(childrenFile(dataDir), 'utf8')) as Record;

    // 1. The start and its watchdog killed: the servers outlive them.
    const first = start(env);
    await ready(first);
    expect(first.output()).toContain(`postgres://postgres:aftercare@127.0.0.1:${ports.postgres}/aftercare`);
    const firstRecord = await record();
    expect(firstRecord.owner.pid).toBe(first.child.pid);
    expect(firstRecord.children.map((c) => c.name).sort()).toEqual(['PostgreSQL', 'the Temporal dev server']);
    process.kill(firstRecord.watchdog, 'SIGKILL');
    first.child.kill('SIGKILL');
    await first.exit;
    await waitFor(async () => !isRunning(firstRecord.watchdog), 10_000);
    expect(firstRecord.children.filter((c) => isRunning(c.pid)).map((c) => c.name).sort()).toEqual(['PostgreSQL', 'the Temporal dev server']);
    expect(await isListening(ports.temporal)).toBe(true);

    // 2. The next start stops them, says so, and comes up on the same ports. (A server may also
    // end by itself once the start that piped its output is gone; on a loaded machine that can
    // happen before the next start looks, and then there is nothing of it to stop.)
    const second = start(env);
    await ready(second);
    expect(second.output()).toContain(`(pid ${firstRecord.owner.pid}) ended without stopping its servers: stopping`);
    const named = firstRecord.children.filter((c) => second.output().includes(`${c.name} (pid ${c.pid})`));
    expect(named.length).toBeGreaterThan(0);
    expect(firstRecord.children.filter((c) => isRunning(c.pid))).toEqual([]);
    const secondRecord = await record();
    expect(secondRecord.owner.pid).toBe(second.child.pid);

    // 3. Only the start killed: its watchdog stops the servers and removes the record by itself.
    second.child.kill('SIGKILL');
    await second.exit;
    const cleaned = await waitFor(async () => secondRecord.children.every((c) => !isRunning(c.pid)) && !isRunning(secondRecord.watchdog), 60_000, 200);
    expect(cleaned).toBe(true);
    await expect(fs.access(childrenFile(dataDir))).rejects.toThrow();
    expect(await isListening(ports.temporal)).toBe(false);
    expect(await isListening(ports.postgres)).toBe(false);

    // 4. The next start comes up with nothing to reclaim; Ctrl-C stops it cleanly.
    const third = start(env);
    await ready(third);
    expect(third.output()).not.toContain('ended without stopping');
    const thirdRecord = await record();
    third.child.kill('SIGINT');
    expect(await third.exit).toBe(0);
    expect(thirdRecord.children.filter((c) => isRunning(c.pid))).toEqual([]);
    await waitFor(async () => !isRunning(thirdRecord.watchdog), 10_000);
    expect(isRunning(thirdRecord.watchdog)).toBe(false);
    await expect(fs.access(childrenFile(dataDir))).rejects.toThrow();
  });
});
