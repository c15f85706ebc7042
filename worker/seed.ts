/**
 * Demo data (seeds/demo.sql): a repair team and a parts shelf, so a fresh dev environment can
 * run the repair, exchange, return and disposal processes at once. Only ever applied to a
 * database with no technicians and no parts, in one transaction: a company's records are
 * never mixed with invented ones, and running it twice changes nothing.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { inTransaction } from '../activities/db.js';
import { projectRoot } from './config.js';

export const demoSeedFile = path.join(projectRoot, 'seeds', 'demo.sql');

/** Applies the demo data when the records are empty; returns whether it did. */
export async function seedDemoData(pool: pg.Pool, log: (message: string) => void = () => {}): Promise<boolean> {
  const sql = await fs.readFile(demoSeedFile, 'utf8');
  return inTransaction(pool, async (client) => {
    // Two processes seeding at once: the second waits, then finds the data there.
    await client.query('LOCK TABLE technicians, parts IN SHARE ROW EXCLUSIVE MODE');
    const { rows } = await client.query<{ has: boolean }>('SELECT EXISTS (SELECT 1 FROM technicians) OR EXISTS (SELECT 1 FROM parts) AS has');
    if (rows[0]?.has) return false;
    await client.query(sql);
    log('demo data loaded: 6 technicians, 12 parts and products with their opening stock (seeds/demo.sql)');
    return true;
  });
}
