/** Finding the YAML files a command or the worker is given: files as named, folders searched. */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Problem } from '../problems.js';

/**
 * The largest file the loaders read: 1 MiB. A definition is a few tens of KB (the largest in
 * definitions/ is 15 KB), so this is generous; a larger file is generated, a data dump or a
 * mistake, and parsing it with positions costs many times its size in memory and time (a 50 MB
 * file took a minute and 2 GB). Checked on the file's size before it is read.
 */
export const maxYamlFileBytes = 1024 * 1024;

/** Bytes in words: `1.5 MiB`, `900 KiB`, `12 bytes`. */
function bytesInWords(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}

/**
 * The text of a YAML file, or the problem (at 1:1) that keeps it from being read: missing,
 * unreadable, or larger than `maxYamlFileBytes` (then it is not read at all).
 */
export async function readYamlFile(file: string, what = 'a definition'): Promise<{ text: string } | { problem: Problem }> {
  const unreadable = (error: unknown): { problem: Problem } => {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    return { problem: { file, line: 1, column: 1, path: '', code: 'FILE_UNREADABLE', message: `cannot read ${file}: ${reason}` } };
  };
  let size: number;
  try {
    size = (await fs.stat(file)).size;
  } catch (error) {
    return unreadable(error);
  }
  if (size > maxYamlFileBytes) {
    return {
      problem: {
        file,
        line: 1,
        column: 1,
        path: '',
        code: 'FILE_TOO_LARGE',
        message: `the file is ${bytesInWords(size)} (${size} bytes), over the limit of \`${bytesInWords(maxYamlFileBytes)}\` for ${what}; it was not read. Split the process into subprocesses, or move data (lists, texts) out of it`,
      },
    };
  }
  try {
    return { text: await fs.readFile(file, 'utf8') };
  } catch (error) {
    return unreadable(error);
  }
}

/**
 * The .yaml/.yml files under `paths`, sorted per folder and without repeats: a path naming a
 * file is kept as given (even if missing, so the loader reports it as unreadable); folders are
 * searched recursively, skipping hidden entries and the subfolders `skipFolder` names.
 */
export async function findYamlFiles(paths: readonly string[], skipFolder: (name: string) => boolean = () => false): Promise<string[]> {
  const files: string[] = [];
  const visit = async (p: string, explicit: boolean): Promise<void> => {
    let stat;
    try {
      stat = await fs.stat(p);
    } catch {
      if (explicit) files.push(p);
      return;
    }
    if (!stat.isDirectory()) {
      files.push(p);
      return;
    }
    if (!explicit && skipFolder(path.basename(p))) return;
    for (const entry of (await fs.readdir(p)).sort()) {
      if (entry.startsWith('.')) continue;
      const child = path.join(p, entry);
      if ((await fs.stat(child)).isDirectory()) await visit(child, false);
      else if (/\.ya?ml$/i.test(entry)) files.push(child);
    }
  };
  for (const p of paths) await visit(p, true);
  return [...new Set(files)];
}
