/** The `aftercare` command as a person types it: `node bin/aftercare.js ...` in a child process. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../worker/config.js';

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with the test's environment variables over the inherited ones (DATABASE_URL only when given); killed after 3 minutes (a loaded machine takes 20 s or more for one). */
export function runAftercare(args: readonly string[], vars: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const { DATABASE_URL: _inheritedDatabase, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(projectRoot, 'bin', 'aftercare.js'), ...args], { cwd: projectRoot, env: { ...inherited, ...vars }, timeout: 180_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
