/**
 * `npm run bench:definitions`: how long the whole definition pipeline takes — read, parse with
 * positions, validate against the schema, check meaning, compile — compared with a bare
 * `yaml.parse` of the same files, measured in the same run.
 *
 * Rounds interleave the two measurements (alternating which goes first), after warm-up
 * rounds, so that both see the same machine load; each round times a batch of passes. The
 * report gives the median time per pass with its spread (10th–90th percentile), the ratio of
 * the medians, and definitions per second, in wall-clock time and in this process's CPU time.
 * Nothing here asserts a timing: it is a measurement to read, not a test.
 *
 *   npm run bench:definitions [-- --rounds 30 --warmup 5 --batch 10]
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { activityCatalog } from '../model/activity-catalog/index.js';
import { findDefinitionFiles, loadDefinitions } from '../dsl/load/load.js';
import { formatProblem } from '../dsl/problems.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '30' }, warmup: { type: 'string', default: '5' }, batch: { type: 'string', default: '10' } },
});
const rounds = Number(values.rounds);
const warmup = Number(values.warmup);
const batch = Number(values.batch);

/** The sets measured: the shipped definitions, and the valid corpus (every construct). */
const sets = [
  { name: 'shipped definitions (definitions/)', folder: path.join(root, 'definitions') },
  { name: 'valid corpus (test/fixtures/valid/)', folder: path.join(root, 'test', 'fixtures', 'valid') },
];

interface Stats {
  median: number;
  p10: number;
  p90: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))] ?? NaN;
  return { median: at(0.5), p10: at(0.1), p90: at(0.9) };
}

/**
 * Milliseconds per pass of `pass`, over a batch: wall-clock time, and the CPU time of this
 * process (user + system), which a machine busy with other work disturbs much less.
 */
async function timeBatch(pass: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < batch; i++) await pass();
  const wall = Number(process.hrtime.bigint() - start) / 1e6 / batch;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 / batch };
}

const ms = (value: number) => `${value.toFixed(2)} ms`;
const options = { activities: activityCatalog };

console.log(`Node ${process.version}; ${rounds} rounds (after ${warmup} warm-up rounds) of ${batch} passes each, interleaved.\n`);
for (const set of sets) {
  const files = await findDefinitionFiles([set.folder]);
  const checked = await loadDefinitions(files, options);
  if (checked.problems.length > 0) {
    console.error(`${set.name} has problems; the benchmark measures definitions that load:\n${checked.problems.map(formatProblem).join('\n')}`);
    process.exitCode = 1;
    continue;
  }
  const bytes = (await Promise.all(files.map((f) => fs.stat(f)))).reduce((sum, s) => sum + s.size, 0);

  // Both read the files from disk (the page cache, after the first round), so the ratio
  // compares the work done on the text, not the disk.
  const bareParse = async () => {
    for (const file of files) parse(await fs.readFile(file, 'utf8'));
  };
  const pipeline = async () => {
    const result = await loadDefinitions(files, options);
    if (result.definitions.length !== files.length) throw new Error('a definition failed to load during the benchmark');
  };

  const parseTimes: { wall: number; cpu: number }[] = [];
  const pipelineTimes: { wall: number; cpu: number }[] = [];
  for (let round = 0; round < warmup + rounds; round++) {
    // Alternate which goes first, so neither always runs on a warmer (or busier) machine.
    const parseFirst = round % 2 === 0;
    const before = parseFirst ? await timeBatch(bareParse) : undefined;
    const measured = await timeBatch(pipeline);
    const after = parseFirst ? undefined : await timeBatch(bareParse);
    if (round < warmup) continue;
    parseTimes.push((before ?? after) as { wall: number; cpu: number });
    pipelineTimes.push(measured);
  }
  console.log(`${set.name}: ${files.length} files, ${(bytes / 1024).toFixed(1)} KiB`);
  for (const clock of ['wall', 'cpu'] as const) {
    const p = stats(parseTimes.map((t) => t[clock]));
    const q = stats(pipelineTimes.map((t) => t[clock]));
    const ratios = stats(parseTimes.map((t, i) => (pipelineTimes[i]?.[clock] ?? NaN) / t[clock]));
    console.log(`  ${clock === 'wall' ? 'wall-clock time' : 'CPU time of this process'}`);
    console.log(`    bare yaml.parse     median ${ms(p.median)} per pass (p10–p90 ${ms(p.p10)} – ${ms(p.p90)})`);
    console.log(`    full pipeline       median ${ms(q.median)} per pass (p10–p90 ${ms(q.p10)} – ${ms(q.p90)})`);
    console.log(`    pipeline / parse    ${(q.median / p.median).toFixed(1)}× (ratio per round: median ${ratios.median.toFixed(1)}×, p10–p90 ${ratios.p10.toFixed(1)}× – ${ratios.p90.toFixed(1)}×)`);
    console.log(`    definitions/second  ${Math.round((files.length * 1000) / q.median)} through the full pipeline (${ms(q.median / files.length)} each)`);
  }
  console.log('');
}
