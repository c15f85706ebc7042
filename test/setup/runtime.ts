// Each test process: keep the Temporal core SDK's logs to warnings, so test output shows
// what failed rather than every worker state change.
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger((process.env.AFTERCARE_TEST_LOG as 'WARN' | undefined) ?? 'WARN') });
