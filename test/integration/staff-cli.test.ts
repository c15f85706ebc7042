/**
 * `aftercare staff` as a person types it (`node bin/aftercare.js staff ...` in a child process)
 * against a database of the test's own with the demo directory: list, show, grant, revoke,
 * history, import from a file, and the refusals people get back — with the database unchanged.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runAftercare } from '../helpers/cli.js';
import { testDatabase, type TestDatabase } from '../helpers/env.js';

// Each `node bin/aftercare.js` costs seconds of CPU (tsx); a loaded machine takes 20 s or more.
vi.setConfig({ testTimeout: 300_000 });

let db: TestDatabase;
let scratch: string;
beforeAll(async () => {
  db = await testDatabase();
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'aftercare-staff-'));
});
afterAll(async () => {
  await db?.close();
  await fs.rm(scratch, { recursive: true, force: true });
});

const staff = (...args: string[]) => runAftercare(['staff', ...args], { DATABASE_URL: db.url });
const version = async () => Number((await db.pool.query('SELECT coalesce(max(version), 0) AS v FROM staff_directory_versions')).rows[0]?.v);

describe('aftercare staff', () => {
  it('lists the demo directory, by process and role, as a table and as JSON', async () => {
    const table = await staff('list', '--process', 'repair', '--role', 'technician');
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toBe('staff directory version 1: 6 people');
    expect(lines[2]).toMatch(/^id\s+name\s+active\s+team\s+roles\s+skills\s+attributes$/);
    expect(lines.slice(3).map((l) => l.split(/\s{2,}/)[0])).toEqual(['T-001', 'T-002', 'T-003', 'T-004', 'T-005', 'T-006']);
    expect(lines[3]).toMatch(/^T-001\s+Zhang Wei\s+yes\s+repair\s+technician\s+refrigerator, washing-machine\s+-$/);

    const json = await staff('list', '--json');
    expect(json.code).toBe(0);
    const listed = JSON.parse(json.stdout) as { directoryVersion: number; people: { id: string; roles: { role: string; process: string }[] }[] };
    expect(listed.directoryVersion).toBe(1);
    expect(listed.people.find((p) => p.id === 'ma.jun')?.roles).toEqual([{ role: 'team-lead', process: 'repair', attributes: {} }]);
  });

  it('grants and revokes with a reason, each a new version the history shows with who and why', async () => {
    const before = await version();
    const granted = await staff('grant', 'zhao.lei', 'supervisor', '--process', 'complaint', '--approval-limit', '500', '--reason', 'covers the duty lead in December', '--by', 'wang.fang');
    expect([granted.code, granted.stdout.trim(), granted.stderr]).toEqual([0, `granted supervisor@complaint (approval limit 500) to zhao.lei: directory version ${before + 1}`, '']);

    const shown = await staff('show', 'zhao.lei');
    expect(shown.stdout).toContain('  roles       agent, supervisor@complaint (approvalLimit=500)');
    expect(shown.stdout).toContain(`  as of staff directory version ${before + 1}`);

    const revoked = await staff('revoke', 'zhao.lei', 'supervisor', '--process', 'complaint', '--reason', 'Chen Jie is back', '--by', 'wang.fang');
    expect([revoked.code, revoked.stdout.trim()]).toEqual([0, `revoked supervisor@complaint from zhao.lei: directory version ${before + 2}`]);

    const history = await staff('history', '--person', 'zhao.lei');
    expect(history.code).toBe(0);
    const lines = history.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^version ${before + 2}  \\S+  revoke  by wang\\.fang: Chen Jie is back$`));
    expect(lines[1]).toBe('  zhao.lei  role-revoked supervisor@complaint');
    expect(lines[2]).toMatch(new RegExp(`^version ${before + 1}  \\S+  grant  by wang\\.fang: covers the duty lead in December$`));
    expect(lines[4]).toMatch(/^version 1  \S+  import staff\.yaml  by aftercare demo seed: /);
  });

  it('refuses an unknown person, a role not held and a change without a reason, changing nothing', async () => {
    const before = await version();
    const unknown = await staff('grant', 'li.nna', 'supervisor', '--reason', 'promotion');
    expect([unknown.code, unknown.stderr.trim()]).toEqual([1, 'aftercare staff grant: PERSON_UNKNOWN no person `li.nna` in the staff directory (did you mean `li.na`?): add them with `aftercare staff import`']);
    const notHeld = await staff('revoke', 'li.na', 'manager', '--reason', 'left the team');
    expect([notHeld.code, notHeld.stderr.trim()]).toEqual([1, 'aftercare staff revoke: ROLE_NOT_HELD li.na does not hold manager (holds agent)']);
    const noReason = await staff('grant', 'li.na', 'supervisor');
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('aftercare staff: staff grant needs --reason "why" (it is kept with the change)');
    expect(await version()).toBe(before);
  });

  it('imports a CSV file, and refuses a bad one with its line numbers and nothing written', async () => {
    const good = path.join(scratch, 'north.csv');
    await fs.writeFile(good, 'id,name,team,skills,roles\ngao.yan,Gao Yan,branch-north,,agent\nT-101,Xu Bo,branch-north,air-conditioner,technician\n');
    const before = await version();
    const imported = await staff('import', good, '--by', 'hr.admin');
    expect([imported.code, imported.stdout.trim(), imported.stderr]).toEqual([0, `imported north.csv: directory version ${before + 1} (2 people added, 2 roles granted)`, '']);
    const again = await staff('import', good);
    expect(again.stdout.trim()).toBe(`north.csv: the directory already says all of it (version ${before + 1}); nothing changed`);
    expect((await db.pool.query("SELECT reason, changed_by FROM staff_directory_versions WHERE version = $1", [before + 1])).rows).toEqual([{ reason: 'imported north.csv', changed_by: 'hr.admin' }]);

    const bad = path.join(scratch, 'south.csv');
    await fs.writeFile(bad, 'id,name,roles\nqin.lan,Qin Lan,agent\nfang tao,Fang Tao,technician\nmo.li,,agent\n');
    const refused = await staff('import', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toEqual([
      'aftercare staff import: STAFF_FILE_INVALID south.csv has 2 problems; nothing was imported:',
      '  south.csv:3: person id `fang tao` is not an id: 1 to 128 letters, digits, `.`, `_`, `@`, `+` or `-`, starting with a letter or digit',
      '  south.csv:4: `mo.li` needs a `name`',
    ]);
    expect(await version()).toBe(before + 1);
    expect((await db.pool.query("SELECT count(*)::int AS n FROM staff WHERE person_id = 'qin.lan'")).rows).toEqual([{ n: 0 }]);
  });
});
