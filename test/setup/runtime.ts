// Each test process: keep the Temporal core SDK's logs to warnings, so test output shows
// what failed rather than every worker state change.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { inject } from 'vitest';

Runtime.install({ logger: new DefaultLogger((process.env.AFTERCARE_TEST_LOG as 'WARN' | undefined) ?? 'WARN') });

// The CLI a test spawns encrypts case data with the same keys as the test's workers.
process.env.AFTERCARE_CODEC_KEYS ??= inject('codecKeys');

// The CLI a test spawns acts with the same keys as the test's clients: the actor keys (cases
// opened by either trust them) and the dev identity key its `--as` tokens are signed with.
const { testActorKeys, testIdentityKey } = await import('../helpers/acting.js');
const keysDir = mkdtempSync(path.join(os.tmpdir(), 'aftercare-acting-'));
writeFileSync(path.join(keysDir, 'actor-keys.json'), testActorKeys.toJson(), { mode: 0o600 });
writeFileSync(path.join(keysDir, 'dev-identity-key.json'), JSON.stringify(testIdentityKey), { mode: 0o600 });
process.env.AFTERCARE_ACTOR_KEYS_FILE = path.join(keysDir, 'actor-keys.json');
process.env.AFTERCARE_DEV_IDENTITY_KEY_FILE = path.join(keysDir, 'dev-identity-key.json');
