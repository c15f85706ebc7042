/**
 * The README's TypeScript snippet ("From a service"), run exactly as printed against a
 * dev-server worker: the ```ts block is written beside client/ (so its `./client/index.js`
 * import resolves) and imported. Only the connection is substituted — the test's dev server
 * and task queue for the printed `localhost:7233` and the default queue — and the printed
 * connect options are checked; what the snippet logs must be what its comments say.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { afterEach, expect, inject, it, vi } from 'vitest';
import { ActorIssuer, AftercareClient, type ConnectOptions } from '../../client/index.js';
import { projectRoot } from '../../worker/config.js';
import { devServerSuite } from '../helpers/suites.js';

const suite = devServerSuite();

afterEach(() => {
  vi.restoreAllMocks();
});

/** The one ```ts block of the README, as printed. */
async function readmeSnippet(): Promise<string> {
  const readme = await fs.readFile(path.join(projectRoot, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
  expect(blocks).toHaveLength(1);
  return blocks[0] ?? '';
}

it("runs the README's TypeScript snippet as printed: opens, completes without polling, cancels as the manager", async () => {
  const snippet = await readmeSnippet();
  const connections: ConnectOptions[] = [];
  const connect = AftercareClient.connect.bind(AftercareClient);
  vi.spyOn(AftercareClient, 'connect').mockImplementation((options) => {
    connections.push(options);
    return connect({ ...options, address: inject('temporalAddress'), taskQueue: suite.taskQueue });
  });
  const logged: unknown[][] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    logged.push(args);
  });

  const file = path.join(projectRoot, `.readme-snippet-${randomUUID().slice(0, 8)}.ts`);
  await fs.writeFile(file, snippet);
  // The staff directory is the test's database, with the demo people (the snippet reads DATABASE_URL).
  vi.stubEnv('DATABASE_URL', suite.db.url);
  try {
    await import(pathToFileURL(file).href);
  } finally {
    vi.unstubAllEnvs();
    await fs.rm(file, { force: true });
  }

  // The snippet connected as printed (the test run sets AFTERCARE_CODEC_KEYS and the key files, as a service would).
  expect(connections).toMatchObject([{ address: 'localhost:7233', definitionsDir: 'definitions', codecKeys: process.env.AFTERCARE_CODEC_KEYS }]);
  expect(connections[0]?.acting).toBeInstanceOf(ActorIssuer);
  // Each console.log line's trailing comment is what it printed.
  const promised = snippet
    .split('\n')
    .filter((line) => line.startsWith('console.log('))
    .map((line) => line.slice(line.lastIndexOf('// ') + 3));
  expect(promised).toEqual(["[ 'eligibility#1' ]", "[ 'manager-approval#1 for manager' ]"]);
  expect(logged.map((args) => args.map((arg) => inspect(arg)).join(' '))).toEqual(promised);
  // And the case went where the snippet says: cancelled by the manager.
  const result = await suite.client.result('RT-2026-0042');
  expect(result.outcome).toBe('cancelled');
  const view = await suite.client.getCase('RT-2026-0042');
  expect(view.timeline.find((entry) => entry.type === 'case-cancelled')).toMatchObject({ actor: 'wang.fang', detail: 'customer withdrew' });
});
