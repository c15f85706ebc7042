/**
 * The dev setup's data files are private to their owner (worker/dev/private-files.ts): created
 * 0700/0600 whatever the umask, and tightened when an earlier setup left them wider. Files
 * are made wide on purpose here (chmod), so the tests do not depend on the umask they run under.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePrivateDir, isWiderThanPrivate, privateMode, tightenFile, tightenTree } from '../../../worker/dev/private-files.js';

let scratch: string;
const mode = async (p: string) => (await fs.stat(p)).mode & 0o7777;

beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'aftercare-private-'));
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

describe('private modes', () => {
  it('keep the owner and take everything off the group and others; a folder the group may only pass through is not wider', () => {
    expect(privateMode(0o644)).toBe(0o600);
    expect(privateMode(0o777)).toBe(0o700);
    expect(privateMode(0o755)).toBe(0o700);
    expect(isWiderThanPrivate(0o600, false)).toBe(false);
    expect(isWiderThanPrivate(0o640, false)).toBe(true);
    expect(isWiderThanPrivate(0o710, true)).toBe(false);
    expect(isWiderThanPrivate(0o710, false)).toBe(true);
    expect(isWiderThanPrivate(0o701, true)).toBe(true);
  });
});

describe('ensurePrivateDir and tightenFile', () => {
  it('create a missing folder (and its parents) 0700, and leave a missing file missing', async () => {
    const dir = path.join(scratch, 'new', 'data');
    await ensurePrivateDir(dir);
    expect(await mode(path.join(scratch, 'new'))).toBe(0o700);
    expect(await mode(dir)).toBe(0o700);
    // The dev server takes an existing SQLite file, even an empty one, for a set-up database.
    expect(await tightenFile(path.join(dir, 'temporal.sqlite'))).toBe(false);
    await expect(fs.stat(path.join(dir, 'temporal.sqlite'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('tighten a folder and a file that exist with wider modes, keeping the file content', async () => {
    const dir = path.join(scratch, 'old');
    await fs.mkdir(dir);
    await fs.chmod(dir, 0o777);
    const file = path.join(dir, 'temporal.sqlite');
    await fs.writeFile(file, 'cases');
    await fs.chmod(file, 0o666);
    await ensurePrivateDir(dir);
    expect(await tightenFile(file)).toBe(true);
    expect(await tightenFile(file)).toBe(false);
    expect(await mode(dir)).toBe(0o700);
    expect(await mode(file)).toBe(0o600);
    expect(await fs.readFile(file, 'utf8')).toBe('cases');
  });
});

describe('tightenTree', () => {
  it('takes group and others off every file and folder below a root, and says which it changed', async () => {
    const root = path.join(scratch, 'tree');
    await fs.mkdir(path.join(root, 'postgres', 'base'), { recursive: true });
    await fs.mkdir(path.join(root, 'passage'));
    await fs.chmod(path.join(root, 'passage'), 0o710);
    await fs.writeFile(path.join(root, 'temporal.sqlite'), '');
    await fs.writeFile(path.join(root, 'postgres', 'PG_VERSION'), '18\n');
    await fs.writeFile(path.join(root, 'postgres', 'base', 'kept.dat'), '');
    await fs.chmod(root, 0o755);
    await fs.chmod(path.join(root, 'postgres'), 0o750);
    await fs.chmod(path.join(root, 'postgres', 'base'), 0o700);
    await fs.chmod(path.join(root, 'temporal.sqlite'), 0o644);
    await fs.chmod(path.join(root, 'postgres', 'PG_VERSION'), 0o640);
    await fs.chmod(path.join(root, 'postgres', 'base', 'kept.dat'), 0o600);
    const outside = path.join(scratch, 'outside.txt');
    await fs.writeFile(outside, 'not ours');
    await fs.chmod(outside, 0o644);
    await fs.symlink(outside, path.join(root, 'link'));

    const changed = await tightenTree(root);
    expect(changed.map((p) => path.relative(root, p)).sort()).toEqual(['', 'postgres', 'postgres/PG_VERSION', 'temporal.sqlite']);
    expect(await mode(root)).toBe(0o700);
    expect(await mode(path.join(root, 'postgres'))).toBe(0o700);
    expect(await mode(path.join(root, 'temporal.sqlite'))).toBe(0o600);
    expect(await mode(path.join(root, 'postgres', 'PG_VERSION'))).toBe(0o600);
    expect(await mode(path.join(root, 'postgres', 'base', 'kept.dat'))).toBe(0o600);
    // A folder the group may only pass through (PostgreSQL's, under root) is left so.
    expect(await mode(path.join(root, 'passage'))).toBe(0o710);
    // A symbolic link is not followed: what it points at keeps its mode.
    expect((await fs.lstat(path.join(root, 'link'))).isSymbolicLink()).toBe(true);
    expect(await mode(outside)).toBe(0o644);
    expect(await tightenTree(root)).toEqual([]);
  });
});
