import { defineConfig } from 'vitest/config';

// One run, every layer: unit tests (pure), workflow tests (time-skipping server), integration
// tests (Temporal dev server + PostgreSQL), replay tests (committed histories) and CLI tests.
// The global setup installs the pinned Temporal binaries, bundles the workflow code once, and
// starts one dev server and one PostgreSQL shared by all files (each file gets its own task
// queue and database).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global.ts'],
    setupFiles: ['test/setup/runtime.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    reporters: ['default'],
  },
});
