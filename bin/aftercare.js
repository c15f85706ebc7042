#!/usr/bin/env node
// The `aftercare` command. `npm install` compiles the TypeScript ahead into dist/ (bin/compile.js);
// while that is newer than every source file it runs as plain JavaScript. After an edit (or
// without a compiled copy) it runs the sources through tsx, compiling on the fly: slower to
// start (about a second of CPU more), never stale. `npm run build` compiles again.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sources = ['activities', 'cli', 'client', 'database', 'directory', 'dsl', 'model', 'reports', 'scenarios', 'schema', 'worker', 'workflows'];

/** Whether dist/ was compiled cleanly after the last change to any source file. */
function compiledIsFresh() {
  let compiledAt;
  try {
    compiledAt = statSync(path.join(root, 'dist', '.compiled')).mtimeMs;
  } catch {
    return false;
  }
  for (const folder of sources) {
    for (const entry of readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !/\.(ts|json)$/.test(entry.name)) continue;
      if (statSync(path.join(entry.parentPath ?? entry.path, entry.name)).mtimeMs > compiledAt) return false;
    }
  }
  return true;
}

if (process.env.AFTERCARE_FROM_SOURCE !== '1' && compiledIsFresh()) {
  await import(pathToFileURL(path.join(root, 'dist', 'cli', 'main.js')).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
}
