/**
 * Migrations create the records' tables and nothing in them; the demo data is a separate,
 * explicit seed that only ever goes into an empty database: the staff directory of
 * seeds/staff.yaml (imported as `aftercare staff import` would) and the parts shelf.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createPool } from '../../database/postgres.js';
import { parseStaffFile, StaffDirectory } from '../../directory/index.js';
import { createDatabaseIfMissing } from '../../worker/dev/embedded-postgres.js';
import { migrate, migrationsDir } from '../../worker/migrate.js';
import { demoSeedFile, seedDemoData } from '../../worker/seed.js';
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

  it('reclassifies the opening stock a database was seeded with before opening balances had their own kind, leaving the book as it was', async () => {
    const oldName = `t_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    await createDatabaseIfMissing(admin, oldName);
    const old = createPool(admin.replace(/\/[^/]*$/, `/${oldName}`));
    const before0005 = await fs.mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    try {
      for (const file of await fs.readdir(migrationsDir)) if (file < '0005') await fs.copyFile(path.join(migrationsDir, file), path.join(before0005, file));
      await migrate(old, () => undefined, before0005);
      // The seed as it was then: the stock-take entered as `adjustment` movements.
      const seed = await fs.readFile(demoSeedFile, 'utf8');
      const oldSeed = seed.replace("part_no, 'opening', quantity", "part_no, 'adjustment', quantity");
      expect(oldSeed).not.toBe(seed);
      await old.query(oldSeed);
      await old.query(`INSERT INTO stock_movements (movement_key, part_no, kind, quantity, delta, reason, reference) VALUES ('count:WM-80', 'WM-80', 'adjustment', 1, -1, 'stock-take', 'stock-take 2026-12')`);
      const book = async () => (await old.query('SELECT part_no, on_hand FROM parts_stock ORDER BY part_no')).rows;
      const booked = await book();

      expect(await migrate(old)).toEqual(['0005_opening_balance', '0006_staff', '0007_verified_actors']);
      const kinds = await old.query('SELECT kind, count(*)::int AS n, sum(quantity)::int AS units FROM stock_movements GROUP BY kind ORDER BY kind');
      expect(kinds.rows).toEqual([{ kind: 'adjustment', n: 1, units: 1 }, { kind: 'opening', n: 12, units: 153 }]);
      expect(await book()).toEqual(booked);
      const agrees = await old.query('SELECT bool_and(s.on_hand = m.total) AS ok FROM parts_stock s JOIN (SELECT part_no, sum(delta) AS total FROM stock_movements GROUP BY part_no) m USING (part_no)');
      expect(agrees.rows[0]?.ok).toBe(true);
      // The ledger is append-only again after the migration.
      await expect(old.query("UPDATE stock_movements SET kind = 'adjustment' WHERE movement_key = 'opening:WM-80'")).rejects.toThrow('stock_movements is append-only');
    } finally {
      await old.end();
      await fs.rm(before0005, { recursive: true, force: true });
    }
  });
});
