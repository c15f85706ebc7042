/** Finding the YAML files a command or the worker is given: files as named, folders searched. */
import fs from 'node:fs/promises';
import path from 'node:path';

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
