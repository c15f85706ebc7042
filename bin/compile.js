#!/usr/bin/env node
// `npm install` (the `prepare` script) compiles the code ahead into dist/ (git-ignored), so the
// `aftercare` command starts without compiling TypeScript on the fly; bin/aftercare.js runs
// dist/ while it is newer than every source file and the sources through tsx otherwise.
// Where there is nothing to compile (a Docker layer with only package.json and bin/) or no
// TypeScript compiler (`npm ci --omit=dev`), it says so and leaves the sources to tsx.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const project = path.join(root, 'tsconfig.build.json');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.compiled');

if (!existsSync(project)) process.exit(0);
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  console.log('aftercare: no TypeScript compiler (dev dependencies omitted): the command runs the sources through tsx');
  process.exit(0);
}
rmSync(stamp, { force: true });
const started = Date.now();
const result = spawnSync(process.execPath, [tsc, '-p', project], { cwd: root, stdio: 'inherit' });
// tsc writes the JavaScript even when it reports type errors; those are `npm run typecheck`'s to
// report, and the stamp is written only when it compiled cleanly.
if (result.status !== 0) {
  console.error('aftercare: compiling ahead failed (see above): the command runs the sources through tsx');
  process.exit(0);
}
mkdirSync(dist, { recursive: true });
writeFileSync(stamp, `compiled ${new Date().toISOString()}\n`);
console.log(`aftercare: compiled into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
