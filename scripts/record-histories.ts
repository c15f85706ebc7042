/**
 * Records the histories the replay test replays: runs every scenario of
 * test/histories/scenarios.ts on a fresh Temporal dev server and PostgreSQL (in a scratch
 * folder), and writes each case's history (and its subprocess cases') as JSON, with an index.
 *
 *   npm run record:histories            # all scenarios
 *   npm run record:histories -- NAME    # one scenario (its files are replaced)
 *
 * Keep old files: a history recorded by an older interpreter that still replays is the proof
 * that running cases survive the change.
 */
import { anyoneDirectory, testActing } from '../test/helpers/acting.js';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createPool } from '../database/postgres.js';
import { AftercareClient } from '../client/index.js';
import { DefinitionRegistry } from '../dsl/load/registry.js';
import { projectRoot, readConfig } from '../worker/config.js';
import { startEmbeddedPostgres } from '../worker/dev/embedded-postgres.js';
import { freePort } from '../worker/dev/ports.js';
import { ensureTemporalCli } from '../worker/dev/temporal-binaries.js';
import { startDevServer } from '../worker/dev/temporal-dev-server.js';
import { migrate } from '../worker/migrate.js';
import { seedDemoData } from '../worker/seed.js';
import { waitForTemporal } from '../worker/services.js';
import { bundleWorkflows, createWorker } from '../worker/worker.js';
import { caseSearchAttributes } from '../workflows/search-attributes.js';
import { scenarios } from '../test/histories/scenarios.js';

export const historiesDir = path.join(projectRoot, 'test', 'histories');

export interface HistoryEntry {
  file: string;
  workflowId: string;
  process: string;
  scenario: string;
  description: string;
  recordedAt: string;
  commit: string;
}

const log = (message: string) => console.log(`[record] ${message}`);

/** The parts of a history JSON file this script reads. */
interface RecordedHistory {
  events?: {
    workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } };
    childWorkflowExecutionStartedEventAttributes?: { workflowExecution?: { workflowId?: string } };
  }[];
}

async function main(only: string[]): Promise<void> {
  const chosen = only.length > 0 ? scenarios.filter((s) => only.includes(s.name)) : scenarios;
  if (chosen.length === 0) throw new Error(`no scenario named ${only.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`);
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'aftercare-record-'));
  const cli = await ensureTemporalCli(readConfig().toolsDir, log);
  const server = await startDevServer({ cli: cli.path, port: await freePort(), namespace: 'default', dbFile: path.join(scratch, 'temporal.sqlite'), searchAttributes: caseSearchAttributes, log });
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(scratch, 'postgres'), port: await freePort(), database: 'aftercare', log });
  const pool = createPool(postgres.url);
  try {
    await waitForTemporal(server.address, 'default');
    await migrate(pool);
    await seedDemoData(pool);
    const registry = await DefinitionRegistry.load([path.join(projectRoot, 'definitions'), path.join(projectRoot, 'test', 'fixtures', 'processes')]);
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    const connection = await Connection.connect({ address: server.address });
    const temporal = new Client({ connection, namespace: 'default' });
    // People act as in production (tokens, signed assertions the case checks), as whoever a scenario names.
    const client = new AftercareClient(temporal, registry, { taskQueue: 'record-histories', acting: await testActing({ directory: anyoneDirectory(registry) }) });
    const worker = await createWorker({ connection: nativeConnection, namespace: 'default', taskQueue: 'record-histories', pool, workflowBundle: await bundleWorkflows() });
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: projectRoot }).toString().trim();
    const indexFile = path.join(historiesDir, 'index.json');
    const index: HistoryEntry[] = JSON.parse(await fs.readFile(indexFile, 'utf8').catch(() => '[]'));
    await worker.runUntil(async () => {
      for (const scenario of chosen) {
        log(`${scenario.name}: ${scenario.description}`);
        await scenario.run(client, scenario.name);
        // The case and every subprocess case it opened (found in the histories themselves).
        const pending = [scenario.name];
        while (pending.length > 0) {
          const workflowId = pending.shift() as string;
          try {
            await temporal.workflow.getHandle(workflowId).describe();
          } catch (error) {
            if (error instanceof WorkflowNotFoundError) continue;
            throw error;
          }
          // The CLI writes the proto JSON that historyFromJSON reads back, the same file an
          // operator gets from `temporal workflow show --output json` or the Web UI's download.
          const json = execFileSync(cli.path, ['workflow', 'show', '--address', server.address, '--namespace', 'default', '--workflow-id', workflowId, '--output', 'json'], { maxBuffer: 64 * 1024 * 1024 }).toString();
          const history = JSON.parse(json) as RecordedHistory;
          for (const event of history.events ?? []) {
            const child = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId;
            if (child) pending.push(child);
          }
          const file = `${workflowId}.json`;
          await fs.writeFile(path.join(historiesDir, file), `${JSON.stringify(history, null, 1)}\n`);
          const type = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? scenario.process;
          const entry: HistoryEntry = { file, workflowId, process: type, scenario: scenario.name, description: scenario.description, recordedAt: new Date().toISOString(), commit };
          const at = index.findIndex((e) => e.file === file);
          if (at >= 0) index[at] = entry;
          else index.push(entry);
          log(`  wrote test/histories/${file} (${history.events?.length ?? 0} events)`);
        }
      }
    });
    index.sort((a, b) => a.file.localeCompare(b.file));
    await fs.writeFile(indexFile, `${JSON.stringify(index, null, 2)}\n`);
    await connection.close();
    await nativeConnection.close();
  } finally {
    await pool.end();
    await postgres.stop();
    await server.stop();
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
