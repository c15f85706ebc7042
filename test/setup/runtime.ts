// Each test process: keep the Temporal core SDK's logs to warnings, so test output shows
// what failed rather than every worker state change.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { inject } from 'vitest';

Runtime.install({ logger: new DefaultLogger((process.env.AFTERCARE_TEST_LOG as 'WARN' | undefined) ?? 'WARN') });

// The CLI a test spawns encrypts case data with the same keys as the test's workers.
process.env.AFTERCARE_CODEC_KEYS ??= inject('codecKeys');
