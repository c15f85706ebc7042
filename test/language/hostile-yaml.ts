/**
 * Hostile definitions: files no one writes by hand but a generator, a bad merge or an attacker
 * can produce. Shared by test/language/hostile-yaml.test.ts and by the timing runs (write them
 * with `npx tsx test/language/hostile-yaml.ts <folder>` and time `npx aftercare validate` on
 * each, as a user would).
 */
import fs from 'node:fs/promises';
import path from 'node:path';

const head = (name: string) => `process: ${name}\nversion: 1\ntitle: Hostile\nroles:\n  agent: { title: Service agent }\n`;

/**
 * One mapping (the top level) with `keys` keys `k<base 36>`; every `every`-th key after the
 * first repeats key `k0`. The lines (1-based) of the repeats are returned too.
 */
export function manyKeys(keys: number, every = 10_000): { text: string; duplicateLines: number[] } {
  const lines = head('many-keys').trimEnd().split('\n');
  const duplicateLines: number[] = [];
  for (let i = 0; i < keys; i++) {
    const repeat = i > 0 && i % every === 0;
    lines.push(`${repeat ? 'k0' : `k${i.toString(36)}`}: 1`);
    if (repeat) duplicateLines.push(lines.length);
  }
  return { text: `${lines.join('\n')}\n`, duplicateLines };
}

/**
 * `count` steps `s<i>`, each going on to `t<i>`, which does not exist (a typo one letter away
 * from its own id); the last step ends. Every step gives a STEP_UNKNOWN_TARGET.
 */
export function brokenReferences(count: number): string {
  const lines = [head('broken-references').trimEnd(), 'steps:'];
  for (let i = 0; i < count - 1; i++) lines.push(`  s${i}: { title: Step, action: record-case, then: t${i} }`);
  lines.push(`  s${count - 1}: { title: Done, end: resolved }`);
  return `${lines.join('\n')}\n`;
}

/** A well-formed definition made `bytes` long by a description string. */
export function largeFile(bytes: number): string {
  const start = `${head('large-file')}description: "`;
  const end = '"\nsteps:\n  done: { title: Done, end: resolved }\n';
  return `${start}${'x'.repeat(Math.max(0, bytes - start.length - end.length))}${end}`;
}

/** Writes the hostile files into `folder` (for timing them by hand). */
export async function writeHostileFiles(folder: string): Promise<string[]> {
  await fs.mkdir(folder, { recursive: true });
  const files: [string, string][] = [
    ['keys-20000.yaml', manyKeys(20_000, 1_000).text],
    ['keys-100000.yaml', manyKeys(100_000).text],
    ['broken-refs-4000.yaml', brokenReferences(4_000)],
    ['broken-refs-10000.yaml', brokenReferences(10_000)],
    ['large-2mib.yaml', largeFile(2 * 1024 * 1024)],
    ['large-50mb.yaml', largeFile(50 * 1000 * 1000)],
  ];
  for (const [name, text] of files) await fs.writeFile(path.join(folder, name), text);
  return files.map(([name]) => path.join(folder, name));
}

if (process.argv[1] && path.resolve(process.argv[1]).endsWith(path.join('test', 'language', 'hostile-yaml.ts'))) {
  const folder = process.argv[2] ?? 'hostile';
  for (const file of await writeHostileFiles(folder)) console.log(file);
}
