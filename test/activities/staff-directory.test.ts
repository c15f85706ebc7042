/**
 * The staff directory against a real PostgreSQL (a fresh migrated database with the demo
 * directory, seeds/staff.yaml, as version 1): import from YAML and CSV, a bad file refused whole
 * with its lines, grant and revoke each a new audited version, resolve, the refusals, and the
 * technicians of a database migrated before the directory moved into it.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createPool } from '../../database/postgres.js';
import { approvalLimit, DirectoryError, parseStaffFile, readStaffFile, StaffDirectory, type StaffPerson } from '../../directory/index.js';
import { createDatabaseIfMissing } from '../../worker/dev/embedded-postgres.js';
import { migrate, migrationsDir } from '../../worker/migrate.js';
import { testDatabase, type TestDatabase } from '../helpers/env.js';

let db: TestDatabase;
let directory: StaffDirectory;
beforeAll(async () => {
  db = await testDatabase();
  directory = new StaffDirectory(db.pool);
});
afterAll(async () => {
  await db?.close();
});

const author = { by: 'hr.admin', reason: 'test' };
const rows = async (sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows;

/** The refusal `work` throws: a DirectoryError, or the test fails. */
async function refusal(work: () => Promise<unknown>): Promise<DirectoryError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof DirectoryError) return error;
    throw error;
  }
  throw new Error('expected a refusal, got none');
}

/** The directory's tables as they are: to show a refusal changed nothing. */
const snapshot = async () => ({
  version: await directory.version(),
  staff: await rows('SELECT * FROM staff ORDER BY person_id'),
  roles: await rows('SELECT * FROM staff_roles ORDER BY person_id, role, process'),
  changes: await rows('SELECT count(*)::int AS n FROM staff_changes'),
});

describe('resolve', () => {
  it('gives a person with their roles, team, skills and attributes, as of the directory version', async () => {
    const version = await directory.version();
    expect(await directory.resolve('wang.fang')).toEqual({
      id: 'wang.fang',
      name: 'Wang Fang',
      active: true,
      team: 'after-sales',
      phone: null,
      skills: [],
      roles: [{ role: 'manager', process: '*', attributes: { approvalLimit: 20000 } }],
      attributes: {},
      directoryVersion: version,
    } satisfies StaffPerson);
    expect(await directory.resolve('T-001')).toMatchObject({ name: 'Zhang Wei', team: 'repair', skills: ['refrigerator', 'washing-machine'], roles: [{ role: 'technician', process: '*' }] });
    expect(await directory.resolve('ma.jun')).toMatchObject({ roles: [{ role: 'team-lead', process: 'repair', attributes: {} }] });
  });

  it('answers undefined for someone the directory does not know', async () => {
    expect(await directory.resolve('nobody')).toBeUndefined();
  });

  it("reads an approval limit from the role's grant before the person's own", async () => {
    const chen = await directory.resolve('chen.jie');
    const wang = await directory.resolve('wang.fang');
    expect(chen && approvalLimit(chen, 'supervisor', 'complaint')).toBe(1000);
    expect(wang && approvalLimit(wang, 'manager', 'return')).toBe(20000);
    const tech = await directory.resolve('T-002');
    expect(tech && approvalLimit(tech, 'technician', 'repair')).toBeUndefined();
  });
});

describe('import', () => {
  const yaml = `# the new branch office
people:
  - id: gao.yan
    name: Gao Yan
    team: branch-north
    roles: [agent, { role: manager, process: exchange, attributes: { approvalLimit: 3000 } }]
  - id: T-101
    name: Xu Bo
    team: branch-north
    phone: 139-0202-1101
    skills: [air-conditioner]
    roles: [technician]
`;

  it('adds the people of a YAML file as one new version, audited person by person and role by role', async () => {
    const before = await directory.version();
    const result = await directory.importStaff(parseStaffFile(yaml, 'yaml', 'branch.yaml'), { by: 'hr.admin', reason: 'north branch opens' });
    expect(result).toMatchObject({ directoryVersion: before + 1, changed: true });
    expect(result.changes.map((c) => `${c.personId} ${c.change}${c.role ? ` ${c.role}@${c.process}` : ''}`)).toEqual([
      'gao.yan person-added', 'gao.yan role-granted agent@*', 'gao.yan role-granted manager@exchange', 'T-101 person-added', 'T-101 role-granted technician@*',
    ]);
    expect(await rows('SELECT kind, changed_by, reason, source FROM staff_directory_versions WHERE version = $1', [before + 1])).toEqual([{ kind: 'import', changed_by: 'hr.admin', reason: 'north branch opens', source: 'branch.yaml' }]);
    expect(await rows('SELECT seq, person_id, change, role, process, after FROM staff_changes WHERE version = $1 AND person_id = $2 ORDER BY seq', [before + 1, 'gao.yan'])).toEqual([
      { seq: 1, person_id: 'gao.yan', change: 'person-added', role: null, process: null, after: { name: 'Gao Yan', active: true, team: 'branch-north', phone: null, skills: [], attributes: {} } },
      { seq: 2, person_id: 'gao.yan', change: 'role-granted', role: 'agent', process: '*', after: { attributes: {} } },
      { seq: 3, person_id: 'gao.yan', change: 'role-granted', role: 'manager', process: 'exchange', after: { attributes: { approvalLimit: 3000 } } },
    ]);
    expect(await directory.resolve('gao.yan')).toMatchObject({ directoryVersion: before + 1, roles: [{ role: 'agent', process: '*' }, { role: 'manager', process: 'exchange', attributes: { approvalLimit: 3000 } }] });
    // A technician by import is one the dispatch can choose.
    expect(await rows("SELECT technician_id, skills, active FROM technicians WHERE technician_id = 'T-101'")).toEqual([{ technician_id: 'T-101', skills: ['air-conditioner'], active: true }]);

    // The same file again: the directory already says it; no version.
    const again = await directory.importStaff(parseStaffFile(yaml, 'yaml', 'branch.yaml'), author);
    expect(again).toEqual({ directoryVersion: before + 1, changed: false, changes: [] });
    expect(await directory.version()).toBe(before + 1);
  });

  it('makes the file the truth for each person it lists: changed fields updated, roles it omits revoked, others left alone', async () => {
    await directory.importStaff(parseStaffFile(yaml, 'yaml', 'branch.yaml'), author);
    const before = await directory.version();
    const othersBefore = await rows("SELECT * FROM staff WHERE person_id NOT IN ('gao.yan') ORDER BY person_id");
    const changed = yaml.replace('roles: [agent, { role: manager, process: exchange, attributes: { approvalLimit: 3000 } }]', 'roles: [{ role: manager, process: exchange, attributes: { approvalLimit: 5000 } }]\n    active: false').replace(/  - id: T-101[\s\S]*$/, '');
    const result = await directory.importStaff(parseStaffFile(changed, 'yaml', 'branch-2.yaml'), author);
    expect(result.changes).toEqual([
      {
        personId: 'gao.yan', change: 'person-updated',
        before: { name: 'Gao Yan', active: true, team: 'branch-north', phone: null, skills: [], attributes: {} },
        after: { name: 'Gao Yan', active: false, team: 'branch-north', phone: null, skills: [], attributes: {} },
      },
      { personId: 'gao.yan', change: 'role-revoked', role: 'agent', process: '*', before: { attributes: {} } },
      { personId: 'gao.yan', change: 'role-updated', role: 'manager', process: 'exchange', before: { attributes: { approvalLimit: 3000 } }, after: { attributes: { approvalLimit: 5000 } } },
    ]);
    expect(result.directoryVersion).toBe(before + 1);
    expect(await directory.resolve('gao.yan')).toMatchObject({ active: false, roles: [{ role: 'manager', process: 'exchange', attributes: { approvalLimit: 5000 } }] });
    // T-101 is not in this file: unchanged, and so is everyone else.
    expect(await rows("SELECT * FROM staff WHERE person_id NOT IN ('gao.yan') ORDER BY person_id")).toEqual(othersBefore);
  });

  it('reads a CSV file into the same directory a YAML file gives', async () => {
    const csv = `id,name,active,team,phone,skills,roles,approval_limit
csv.one,"Qin, Lan",yes,branch-south,,,agent;manager@return,800
T-201,Fang Tao,,branch-south,139-0303-2201,washing-machine;television,technician,
`;
    const asYaml = `people:
  - { id: csv.one, name: "Qin, Lan", active: true, team: branch-south, roles: [agent, manager@return], attributes: { approvalLimit: 800 } }
  - { id: T-201, name: Fang Tao, team: branch-south, phone: 139-0303-2201, skills: [television, washing-machine], roles: [technician] }
`;
    expect(parseStaffFile(csv, 'csv', 'south.csv').people.map(({ line: _line, ...p }) => p)).toEqual(parseStaffFile(asYaml, 'yaml', 'south.yaml').people.map(({ line: _line, ...p }) => p));
    const result = await directory.importStaff(parseStaffFile(csv, 'csv', 'south.csv'), author);
    expect(result.changed).toBe(true);
    expect(await directory.resolve('csv.one')).toMatchObject({ name: 'Qin, Lan', attributes: { approvalLimit: 800 }, roles: [{ role: 'agent', process: '*' }, { role: 'manager', process: 'return' }] });
    // The YAML of the same people changes nothing.
    expect((await directory.importStaff(parseStaffFile(asYaml, 'yaml', 'south.yaml'), author)).changed).toBe(false);
  });

  it('refuses a YAML file with a bad entry, naming each problem with its line, and writes nothing', async () => {
    const before = await snapshot();
    const bad = `people:
  - id: good.one
    name: Good One
    roles: [agent]
  - id: bad.one
    name: Bad One
    roles: [agent, Manager]
  - id: good.one
    name: Twice
  - name: No Id
    rôles: [agent]
`;
    const error = await refusal(() => directory.importStaff(parseStaffFile(bad, 'yaml', 'bad.yaml'), author));
    expect(error.code).toBe('STAFF_FILE_INVALID');
    expect(error.problems).toEqual([
      { line: 7, message: 'role `Manager` of `bad.one` is not a role name: lower-case letters, digits and `-`, as the definitions declare it (`team-lead`)' },
      { line: 8, message: 'person `good.one` is already listed on line 2: give each person once' },
      { line: 10, message: 'a person needs an `id` (the id they sign in with, e.g. `li.na`)' },
      { line: 11, message: 'unknown key `rôles` (did you mean `roles`?): a person has id, name, active, team, phone, skills, roles, attributes' },
    ]);
    expect(error.message.split('\n')[0]).toBe('bad.yaml has 4 problems; nothing was imported:');
    expect(error.message).toContain('  bad.yaml:7: role `Manager` of `bad.one`');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a CSV file with a bad line, naming its line number, and writes none of the good lines', async () => {
    const before = await snapshot();
    const bad = 'id,name,roles,approval_limit\nok.person,Ok Person,agent,\nbad.person,Bad Person,agent@Repair Shop,lots\n\nshort.line,Short\n';
    const error = await refusal(() => directory.importStaff(parseStaffFile(bad, 'csv', 'bad.csv'), author));
    expect(error.code).toBe('STAFF_FILE_INVALID');
    expect(error.problems).toEqual([
      { line: 3, message: '`bad.person`\'s attributes: `approvalLimit` is `lots`: give an amount, a number of 0 or more' },
      { line: 3, message: 'role `agent` of `bad.person` names process `Repair Shop`: give a process name (`repair`) or `*` for every process' },
      { line: 5, message: '2 values for 4 columns (id, name, roles, approval_limit): quote a value that holds a comma' },
    ]);
    expect(await snapshot()).toEqual(before);
    expect(await directory.resolve('ok.person')).toBeUndefined();
  });

  it('refuses a CSV header with an unknown column, and a file that is not a staff file', async () => {
    expect((await refusal(async () => parseStaffFile('id,name,role\nx,X,agent\n', 'csv', 'h.csv'))).problems).toEqual([
      { line: 1, message: 'unknown column `role` (did you mean `roles`?): the columns are id, name, active, team, phone, skills, roles, approval_limit' },
    ]);
    expect((await refusal(async () => parseStaffFile('- id: x\n', 'yaml', 'list.yaml'))).problems).toEqual([{ line: 1, message: 'a staff file is a mapping with `people:`, a list of people' }]);
    expect((await refusal(() => readStaffFile(path.join(os.tmpdir(), 'staff.txt')))).code).toBe('STAFF_FILE_UNREADABLE');
  });
});

describe('grant and revoke', () => {
  it('each make one version with who, why and what, and resolve follows', async () => {
    const before = await directory.version();
    const granted = await directory.grant('zhao.lei', 'supervisor', { process: 'complaint' }, { by: 'wang.fang', reason: 'covers the duty lead in December' });
    expect(granted).toEqual({ directoryVersion: before + 1, changed: true, changes: [{ personId: 'zhao.lei', change: 'role-granted', role: 'supervisor', process: 'complaint', after: { attributes: {} } }] });
    expect(await directory.resolve('zhao.lei')).toMatchObject({ directoryVersion: before + 1, roles: [{ role: 'agent', process: '*' }, { role: 'supervisor', process: 'complaint' }] });

    const limited = await directory.grant('zhao.lei', 'supervisor', { process: 'complaint', attributes: { approvalLimit: 500 } }, { by: 'wang.fang', reason: 'may approve small goodwill' });
    expect(limited.changes).toEqual([{ personId: 'zhao.lei', change: 'role-updated', role: 'supervisor', process: 'complaint', before: { attributes: {} }, after: { attributes: { approvalLimit: 500 } } }]);

    const revoked = await directory.revoke('zhao.lei', 'supervisor', { process: 'complaint' }, { by: 'wang.fang', reason: 'Chen Jie is back' });
    expect(revoked.directoryVersion).toBe(before + 3);
    expect((await directory.resolve('zhao.lei'))?.roles).toEqual([{ role: 'agent', process: '*', attributes: {} }]);

    expect(await rows('SELECT version::int, kind, changed_by, reason FROM staff_directory_versions WHERE version > $1 ORDER BY version', [before])).toEqual([
      { version: before + 1, kind: 'grant', changed_by: 'wang.fang', reason: 'covers the duty lead in December' },
      { version: before + 2, kind: 'grant', changed_by: 'wang.fang', reason: 'may approve small goodwill' },
      { version: before + 3, kind: 'revoke', changed_by: 'wang.fang', reason: 'Chen Jie is back' },
    ]);
    const history = await directory.history({ personId: 'zhao.lei', limit: 3 });
    expect(history.map((v) => [v.version, v.kind, v.changes.map((c) => c.change)])).toEqual([
      [before + 3, 'revoke', ['role-revoked']],
      [before + 2, 'grant', ['role-updated']],
      [before + 1, 'grant', ['role-granted']],
    ]);
    expect(await rows("SELECT version::int FROM staff WHERE person_id = 'zhao.lei'")).toEqual([{ version: before + 3 }]);
  });

  it('refuses an unknown person, a role not held, a role held already and a change without a reason, changing nothing', async () => {
    const before = await snapshot();
    const unknown = await refusal(() => directory.grant('wang.fnag', 'manager', {}, author));
    expect([unknown.code, unknown.message]).toEqual(['PERSON_UNKNOWN', 'no person `wang.fnag` in the staff directory (did you mean `wang.fang`?): add them with `aftercare staff import`']);
    const notHeld = await refusal(() => directory.revoke('li.na', 'manager', {}, author));
    expect([notHeld.code, notHeld.message]).toEqual(['ROLE_NOT_HELD', 'li.na does not hold manager (holds agent)']);
    const otherProcess = await refusal(() => directory.revoke('ma.jun', 'team-lead', {}, author));
    expect(otherProcess.message).toBe('ma.jun does not hold team-lead (holds team-lead@repair): give --process repair');
    const everywhere = await refusal(() => directory.revoke('wang.fang', 'manager', { process: 'return' }, author));
    expect(everywhere.message).toBe('wang.fang does not hold manager@return (holds manager): manager is held in every process; revoke it without --process');
    const held = await refusal(() => directory.grant('li.na', 'agent', {}, author));
    expect([held.code, held.message]).toEqual(['ROLE_ALREADY_HELD', 'li.na already holds agent: nothing to grant']);
    const heldEverywhere = await refusal(() => directory.grant('li.na', 'agent', { process: 'complaint' }, author));
    expect(heldEverywhere.message).toBe('li.na already holds agent in every process, so in complaint too: nothing to grant');
    const noReason = await refusal(() => directory.grant('li.na', 'supervisor', {}, { by: 'x', reason: '  ' }));
    expect([noReason.code, noReason.message]).toEqual(['CHANGE_INVALID', 'a change of the staff directory needs a reason (--reason "...")']);
    const badRole = await refusal(() => directory.grant('li.na', 'Team Lead', {}, author));
    expect(badRole.code).toBe('CHANGE_INVALID');
    expect(await snapshot()).toEqual(before);
  });

  it('gives versions one after another, with no gaps, to changes made at once', async () => {
    const before = await directory.version();
    const results = await Promise.all(['T-001', 'T-002', 'T-003', 'T-004'].map((id) => directory.grant(id, 'team-lead', { process: 'repair' }, { by: 'wang.fang', reason: `stand-in ${id}` })));
    expect(results.map((r) => r.directoryVersion).sort((a, b) => a - b)).toEqual([before + 1, before + 2, before + 3, before + 4]);
    expect(await rows('SELECT count(*)::int AS n FROM staff_directory_versions WHERE version > $1', [before])).toEqual([{ n: 4 }]);
    await Promise.all(['T-001', 'T-002', 'T-003', 'T-004'].map((id) => directory.revoke(id, 'team-lead', { process: 'repair' }, { by: 'wang.fang', reason: 'back to normal' })));
  });

  it('takes a technician whose role is revoked off the dispatch list, and refuses writes through the technicians view', async () => {
    const onTheList = async () => (await rows("SELECT technician_id FROM technicians WHERE technician_id = 'T-006'")).length === 1;
    await directory.revoke('T-006', 'technician', {}, author);
    expect(await onTheList()).toBe(false);
    // Holding the role for one process (repair is where technicians act) is holding it.
    await directory.grant('T-006', 'technician', { process: 'repair' }, author);
    expect(await onTheList()).toBe(true);
    await directory.revoke('T-006', 'technician', { process: 'repair' }, author);
    expect(await onTheList()).toBe(false);
    await directory.grant('T-006', 'technician', {}, author);
    await expect(db.pool.query("UPDATE technicians SET active = false WHERE technician_id = 'T-001'")).rejects.toThrow('technicians is a view of the staff directory');
  });
});

describe('a database migrated before the directory', () => {
  it('moves its technicians into the directory as version 1, with the records still pointing at them', async () => {
    const admin = inject('databaseAdminUrl');
    const name = `t_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    await createDatabaseIfMissing(admin, name);
    const pool = createPool(admin.replace(/\/[^/]*$/, `/${name}`));
    const older = await fs.mkdtemp(path.join(os.tmpdir(), 'aftercare-migrations-'));
    try {
      for (const file of (await fs.readdir(migrationsDir)).filter((f) => f < '0005')) await fs.copyFile(path.join(migrationsDir, file), path.join(older, file));
      await migrate(pool, () => {}, older);
      await pool.query("INSERT INTO technicians (technician_id, name, phone, skills, active) VALUES ('T-9', 'Old Hand', '139', ARRAY['television'], true), ('T-8', 'Retired', NULL, ARRAY['refrigerator'], false)");
      await pool.query("INSERT INTO product_models (model) VALUES ('TV-55U')");
      await pool.query("INSERT INTO work_orders (case_id, customer_id, customer_name, product_model, fault, in_warranty, skill, technician_id) VALUES ('C-1', 'M-1', 'x', 'TV-55U', 'no picture', true, 'television', 'T-9')");

      expect(await migrate(pool)).toEqual(['0005_opening_balance', '0006_staff', '0007_verified_actors']);
      const moved = new StaffDirectory(pool);
      expect(await moved.resolve('T-9')).toEqual({ id: 'T-9', name: 'Old Hand', active: true, team: 'repair', phone: '139', skills: ['television'], roles: [{ role: 'technician', process: '*', attributes: {} }], attributes: {}, directoryVersion: 1 });
      expect(await moved.resolve('T-8')).toMatchObject({ active: false, directoryVersion: 1 });
      expect((await pool.query('SELECT kind, changed_by FROM staff_directory_versions')).rows).toEqual([{ kind: 'migration', changed_by: 'migration 0006_staff' }]);
      expect((await pool.query('SELECT count(*)::int AS n FROM staff_changes WHERE version = 1')).rows).toEqual([{ n: 4 }]);
      expect((await pool.query('SELECT technician_id FROM technicians ORDER BY 1')).rows).toEqual([{ technician_id: 'T-8' }, { technician_id: 'T-9' }]);
      // The work order's technician is a person of the directory now: the foreign key holds.
      await expect(pool.query("UPDATE work_orders SET technician_id = 'nobody' WHERE case_id = 'C-1'")).rejects.toThrow('work_orders_technician_id_fkey');
    } finally {
      await pool.end();
      await fs.rm(older, { recursive: true, force: true });
    }
  });
});
