/**
 * `npm run bench -- --short` as a person types it, so that the benchmark cannot rot: it starts
 * its own dev server, PostgreSQL and worker, runs one pair of every path in both variants, and
 * reports. Asserted: the harness works — the input check passed, both variants ended every path
 * with its outcome, every figure of every row was measured and is positive, the scale run
 * opened its cases without a failure. Never a timing or a ratio: those depend on the machine.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { paths } from '../../bench/paths.js';
import { projectRoot } from '../../worker/config.js';

interface Spread {
  median: number;
  n: number;
}

interface Report {
  settings: { pairs: number; ns: number[]; scale: number; sequential: number };
  inputCheck: { path: string; activities: number; equal: boolean }[];
  rows: {
    path: string;
    outcomes: { expected: string; interpreted: string[]; handWritten: string[] };
    events: { interpreted: Spread; handWritten: Spread };
    actions: { interpreted: Spread; handWritten: Spread; byKind: { interpreted: Record<string, number>; handWritten: Record<string, number> } };
    bytes: { interpreted: Spread; handWritten: Spread };
    throughput: Record<string, { ratio: Spread; raw: Record<'interpreted' | 'hand-written', { casesPerSecond: number[]; cpuMsPerCase: number[] }> }>;
    workerCpu: Record<string, Spread>;
    replayCpu: { ratio: Spread; msPerCase: Record<'interpreted' | 'hand-written', number[]> };
    update: { interpreted: { p50: number; p99: number; n: number }; handWritten: { p50: number; p99: number; n: number } };
  }[];
  scale: { variant: string; cases: number; waiting: number; failed: number; secondsToOpen: number; workerRssBytes: number; serverRssBytes: number; dbBytes: number; probeFirstMs: number; probeLastMs: number }[];
  ingest: string;
}

function runBench(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'bench', 'main.ts'), '--short', '--json'], { cwd: projectRoot, timeout: 900_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const positive = (value: number) => Number.isFinite(value) && value > 0;

describe('npm run bench -- --short', () => {
  it('runs every path in both variants, proves their inputs equal and measures every figure', { timeout: 900_000 }, async () => {
    const ran = await runBench();
    expect(ran.code, ran.stderr.slice(-4000)).toBe(0);
    const report = JSON.parse(ran.stdout) as Report;

    expect(report.inputCheck.map((c) => c.path)).toEqual(paths.map((p) => p.name));
    for (const check of report.inputCheck) {
      expect(check.equal).toBe(true);
      expect(check.activities).toBeGreaterThan(0);
    }

    expect(report.rows.map((r) => r.path)).toEqual(paths.map((p) => p.name));
    const cases = report.settings.pairs * report.settings.sequential;
    for (const row of report.rows) {
      const p = paths.find((candidate) => candidate.name === row.path)!;
      expect(row.outcomes.interpreted).toEqual(Array(cases).fill(p.outcome));
      expect(row.outcomes.handWritten).toEqual(Array(cases).fill(p.outcome));
      for (const figure of [row.events, row.actions, row.bytes]) {
        expect(positive(figure.interpreted.median), row.path).toBe(true);
        expect(positive(figure.handWritten.median), row.path).toBe(true);
      }
      // What only the interpreter does is counted as its cost: the audit trail's writes
      // (a record-case-history activity before engine revision 2; since, a local activity where no
      // activity of the case's own carries the records).
      const audit = (byKind: Record<string, number>) => (byKind['activity record-case-history'] ?? 0) + (byKind['local activities (per workflow task)'] ?? 0);
      expect(audit(row.actions.byKind.interpreted)).toBeGreaterThan(0);
      expect(audit(row.actions.byKind.handWritten)).toBe(0);
      for (const n of report.settings.ns) {
        const load = row.throughput[String(n)]!;
        for (const variant of ['interpreted', 'hand-written'] as const) {
          expect(load.raw[variant].casesPerSecond.every(positive), `${row.path} N=${n} ${variant}`).toBe(true);
          expect(load.raw[variant].cpuMsPerCase.every(positive), `${row.path} N=${n} ${variant}`).toBe(true);
        }
        expect(positive(row.workerCpu[String(n)]!.median)).toBe(true);
      }
      expect(row.replayCpu.msPerCase.interpreted.every(positive)).toBe(true);
      expect(row.replayCpu.msPerCase['hand-written'].every(positive)).toBe(true);
      expect(row.update.interpreted.n).toBe(cases * p.moves.length);
      expect(row.update.handWritten.n).toBe(cases * p.moves.length);
      expect(positive(row.update.interpreted.p99) && positive(row.update.handWritten.p99)).toBe(true);
    }

    expect(report.scale.map((s) => s.variant)).toEqual(['interpreted', 'hand-written']);
    for (const scale of report.scale) {
      expect(scale).toMatchObject({ cases: report.settings.scale, waiting: report.settings.scale, failed: 0 });
      for (const figure of [scale.secondsToOpen, scale.workerRssBytes, scale.serverRssBytes, scale.dbBytes, scale.probeFirstMs, scale.probeLastMs]) expect(positive(figure)).toBe(true);
    }
    expect(report.ingest).toContain('full pipeline');
  });
});
