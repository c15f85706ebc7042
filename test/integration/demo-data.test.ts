/**
 * Migrations create the records' tables and nothing in them; the demo data is a separate,
 * explicit seed that only ever goes into an empty database.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createPool } from '../../activities/db.js';
import { createDatabaseIfMissing } from '../../worker/dev/embedded-postgres.js';
import { migrate } from '../../worker/migrate.js';
import { seedDemoData } from '../../worker/seed.js';

const admin = inject('databaseAdminUrl');
const name = `t_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const pool = createPool(admin.replace(/\/[^/]*$/, `/${name}`));
afterAll(() => pool.end());

const count = async (table: string) => Number((await pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);

describe('demo data', () => {
  it('is not part of the migrations, loads once into an empty database, and never over records', async () => {
    await createDatabaseIfMissing(admin, name);
    await migrate(pool);
    expect([await count('technicians'), await count('parts'), await count('stock_movements')]).toEqual([0, 0, 0]);

    const [first, second] = await Promise.all([seedDemoData(pool), seedDemoData(pool)]);
    expect([first, second].sort()).toEqual([false, true]);
    expect(await count('technicians')).toBe(6);
    expect(await count('parts')).toBe(12);
    const book = await pool.query('SELECT bool_and(s.on_hand = m.total) AS ok FROM parts_stock s JOIN (SELECT part_no, sum(delta) AS total FROM stock_movements GROUP BY part_no) m USING (part_no)');
    expect(book.rows[0]?.ok).toBe(true);

    // A company's own list: the seed leaves it alone.
    await pool.query('DELETE FROM technicians');
    await pool.query("INSERT INTO technicians (technician_id, name, skills) VALUES ('X-1', 'Own technician', ARRAY['television'])");
    expect(await seedDemoData(pool)).toBe(false);
    expect(await count('technicians')).toBe(1);
  });
});
