/**
 * What the dev setup keeps on disk (the Temporal dev server's SQLite file, the embedded
 * PostgreSQL's data) holds customers' names, phone numbers and complaints: it is private to its
 * owner — folders 0700, files 0600 — whatever the umask, and what an earlier setup wrote with
 * wider modes is tightened on the next start.
 *
 * One exception, for folders only: group x (0710) is left alone. Under root the embedded
 * PostgreSQL runs as the `postgres` user, which must pass through the folder holding its data
 * directory; that folder gets the postgres group and 0710 (pass through, not list or read).
 * Any other wider mode becomes 0700 / 0600.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** `mode`'s permission bits with everything the group and others may do taken off. */
export function privateMode(mode: number): number {
  return mode & 0o7700;
}

/** Whether `mode` lets the group or others do anything (a folder: more than pass through for the group). */
export function isWiderThanPrivate(mode: number, isDirectory: boolean): boolean {
  const shared = mode & 0o077;
  return isDirectory ? shared !== 0 && shared !== 0o010 : shared !== 0;
}

/** Creates `dir` (and missing parents) 0700, or takes group and others off it if it exists. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const { mode } = await fs.stat(dir);
  if (isWiderThanPrivate(mode, true)) await fs.chmod(dir, privateMode(mode) | PRIVATE_DIR_MODE);
}

/**
 * Takes group and others off `file` if it exists. (It does not create it: the Temporal dev
 * server takes an existing SQLite file, even an empty one, for a database it set up already.)
 */
export async function tightenFile(file: string): Promise<boolean> {
  const stat = await fs.stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!stat || !isWiderThanPrivate(stat.mode, false)) return false;
  return chmodIfThere(file, privateMode(stat.mode));
}

/** chmod, unless the file went away since it was seen (a server's journal comes and goes). */
async function chmodIfThere(p: string, mode: number): Promise<boolean> {
  try {
    await fs.chmod(p, mode);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Takes group and others off every file and folder under `root` (itself included), leaving the
 * owner's bits. Symbolic links are not followed. Returns the paths it changed, for the log.
 */
export async function tightenTree(root: string): Promise<string[]> {
  const changed: string[] = [];
  const visit = async (p: string): Promise<void> => {
    const stat = await fs.lstat(p).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined; // gone meanwhile (a server's temporary file)
      throw error;
    });
    if (!stat || stat.isSymbolicLink()) return;
    if (isWiderThanPrivate(stat.mode, stat.isDirectory()) && (await chmodIfThere(p, privateMode(stat.mode)))) changed.push(p);
    if (stat.isDirectory()) for (const entry of await fs.readdir(p).catch(() => [] as string[])) await visit(path.join(p, entry));
  };
  await visit(root);
  return changed;
}
