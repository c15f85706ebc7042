import type { ChildProcess } from 'node:child_process';

/** Resolves when the child has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Stops a server process the way an operator would: a polite signal first, so it can flush
 * its database, then SIGKILL if it has not gone after `graceMs`. Never leaves it running.
 */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = exited(child);
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await gone;
  } finally {
    clearTimeout(timer);
  }
}

/** Keeps the last `limit` characters a child wrote, to quote when it fails to start. */
export function tail(child: ChildProcess, limit = 4000): () => string {
  let buffer = '';
  const keep = (chunk: Buffer) => {
    buffer = (buffer + chunk.toString('utf8')).slice(-limit);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => buffer.trim();
}
