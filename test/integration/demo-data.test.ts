/**
 * Migrations create the records' tables and nothing in them; the demo data is a separate,
 * explicit seed that only ever goes into an empty database: the staff directory of
 * seeds/staff.yaml (imported as `aftercare staff import` would) and the parts shelf.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createPool } from '../../activities/db.js';
import { parseStaffFile, StaffDirectory } from '../../directory/index.js';
import { createDatabaseIfMissing } from '../../worker/dev/embedded-postgres.js';
import { migrate } from '../../worker/migrate.js';
import { seedDemoData } from '../../worker/seed.js';
import { DefinitionRegistry } from '../../dsl/load/registry.js';
import { actors, definitionsDir } from '../helpers/env.js';

const admin = inject('databaseAdminUrl');
const pools: ReturnType<typeof createPool>[] = [];
afterAll(() => Promise.all(pools.map((p) => p.end())));

async function emptyDatabase() {
  const name = `t_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await createDatabaseIfMissing(admin, name);
  const pool = createPool(admin.replace(/\/[^/]*$/, `/${name}`));
  pools.push(pool);
  await migrate(pool);
  return pool;
}

const counter = (pool: ReturnType<typeof createPool>) => async (table: string) => Number((await pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);

describe('demo data', () => {
  it('is not part of the migrations, loads once into an empty database, as one directory version', async () => {
    const pool = await emptyDatabase();
    const count = counter(pool);
    expect([await count('staff'), await count('technicians'), await count('parts'), await count('stock_movements'), await count('staff_directory_versions')]).toEqual([0, 0, 0, 0, 0]);

    const [first, second] = await Promise.all([seedDemoData(pool), seedDemoData(pool)]);
    expect([first, second].sort()).toEqual([false, true]);
    expect(await count('technicians')).toBe(6);
    expect(await count('parts')).toBe(12);
    const book = await pool.query('SELECT bool_and(s.on_hand = m.total) AS ok FROM parts_stock s JOIN (SELECT part_no, sum(delta) AS total FROM stock_movements GROUP BY part_no) m USING (part_no)');
    expect(book.rows[0]?.ok).toBe(true);

    const versions = await pool.query('SELECT version, kind, changed_by, source FROM staff_directory_versions');
    expect(versions.rows).toEqual([{ version: '1', kind: 'import', changed_by: 'aftercare demo seed', source: 'staff.yaml' }]);
    // The people the tests and the README act as are in the directory with the role they act in.
    const directory = new StaffDirectory(pool);
    for (const actor of Object.values(actors)) {
      const person = await directory.resolve(actor.id);
      expect(person, actor.id).toMatchObject({ id: actor.id, name: actor.name, active: true, directoryVersion: 1 });
      expect(person?.roles.map((r) => r.role), actor.id).toContain(actor.role);
    }
  });

  it('every role the shipped processes declare is held by someone in the demo directory', async () => {
    const pool = await emptyDatabase();
    await seedDemoData(pool);
    const registry = await DefinitionRegistry.load([definitionsDir]);
    const { people } = await new StaffDirectory(pool).list();
    for (const name of registry.processes()) {
      for (const role of Object.keys(registry.get(name).definition.roles ?? {})) {
        const holders = people.filter((p) => p.roles.some((g) => g.role === role && (g.process === '*' || g.process === name)));
        expect(holders.length, `${name}: ${role}`).toBeGreaterThan(0);
      }
    }
  });

  it("never goes over a company's own directory", async () => {
    const pool = await emptyDatabase();
    const count = counter(pool);
    const own = parseStaffFile('people:\n  - { id: X-1, name: Own technician, skills: [television], roles: [technician] }\n', 'yaml', 'own.yaml');
    await new StaffDirectory(pool).importStaff(own, { by: 'hr', reason: 'our team' });
    expect(await seedDemoData(pool)).toBe(false);
    expect([await count('staff'), await count('technicians'), await count('parts'), await count('staff_directory_versions')]).toEqual([1, 1, 0, 1]);
  });
});
