/**
 * The README's commands of "A first case, by hand", run as printed — its ```sh blocks, then the
 * `npx aftercare …` commands its text names, in order — against `npm start` as a new user runs it
 * (`node bin/aftercare.js dev` on free ports and a data folder of its own, with its demo data).
 * `npx aftercare` is `node bin/aftercare.js`; each command's words are split as a POSIX shell
 * splits them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../../worker/config.js';
import { runAftercare, type Ran } from '../helpers/cli.js';
import { stackEnvironment, stackReady, startStack, type StartedStack } from '../helpers/dev-stack.js';
import { uniqueName } from '../helpers/env.js';

/** A command line's words as `sh` gives them: single quotes literal, double quotes with `\` escapes, words joined across quotes. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unclosed ' in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let text = '';
      for (i++; i < line.length && line[i] !== '"'; i++) text += line[i] === '\\' && /["\\$`]/.test(line[i + 1] ?? '') ? (line[++i] as string) : line[i];
      if (i >= line.length) throw new Error(`unclosed " in: ${line}`);
      word = (word ?? '') + text;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '#' && word === undefined) break;
    else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The section's commands, as printed: each ```sh block's lines (a trailing `\` continues one), then the `npx aftercare …` spans of its text without a placeholder. */
async function readmeCommands(): Promise<string[]> {
  const readme = await fs.readFile(path.join(projectRoot, 'README.md'), 'utf8');
  const start = readme.indexOf('### A first case, by hand');
  const end = readme.indexOf('\n### ', start + 1);
  const section = readme.slice(start, end);
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => (m[1] as string).replace(/\\\n\s*/g, ' '));
  const fromBlocks = blocks.flatMap((block) => block.split('\n').map((l) => l.trim()).filter(Boolean));
  const prose = section.replace(/```sh\n[\s\S]*?```/g, '');
  const fromText = [...prose.matchAll(/`(npx aftercare [^`]*)`/g)].map((m) => m[1] as string).filter((command) => !command.includes('<'));
  return [...fromBlocks, ...fromText];
}

describe("the README's first cases, by hand", () => {
  let stack: StartedStack;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const dataDir = path.join(inject('scratchDir'), uniqueName('readme'), '.data');
    ({ env } = await stackEnvironment(dataDir, uniqueName('readme')));
    stack = startStack(env);
    await stackReady(stack);
  }, 300_000);

  afterAll(async () => {
    if (!stack) return;
    stack.child.kill('SIGINT');
    await stack.exit;
  }, 60_000);

  it('splits words as sh does', () => {
    expect(shellWords(`npx aftercare case open c --param followUpWithin="5 working days" --input '{"a":"b c"}' # note`)).toEqual(['npx', 'aftercare', 'case', 'open', 'c', '--param', 'followUpWithin=5 working days', '--input', '{"a":"b c"}']);
  });

  it('runs every command as printed, each answering without an error', { timeout: 600_000 }, async () => {
    const commands = await readmeCommands();
    // The two blocks (six commands) and the three the text names.
    expect(commands.length).toBeGreaterThanOrEqual(9);
    const ran = new Map<string, Ran>();
    for (const command of commands) {
      const words = shellWords(command);
      expect(words.slice(0, 2), command).toEqual(['npx', 'aftercare']);
      const result = await runAftercare(words.slice(2), env);
      expect({ command, code: result.code, stderr: result.stderr }).toEqual({ command, code: 0, stderr: '' });
      ran.set(words.slice(2, 4).join(' ') + ' ' + (words[4] ?? ''), result);
    }
    const output = (prefix: string) => [...ran.entries()].filter(([key]) => key.startsWith(prefix)).map(([, r]) => r.stdout).join('\n');
    expect(output('case open passed-on-question')).toMatch(/answer/);
    expect(output('case status P-1001')).toMatch(/P-1001/);
    expect(output('task complete P-1001')).toMatch(/answered/);
    expect(output('case list --status')).toMatch(/P-1001\s+passed-on-question\s+open/);
    expect(output('task wait CP-1001')).toMatch(/investigate/);
    expect(output('case history CP-1001')).toMatch(/li\.na/);
    expect(output('case graph P-1001')).toMatch(/^(flowchart|graph) /m);
  });
});
