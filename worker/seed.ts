/**
 * Demo data: a staff directory (seeds/staff.yaml: the agents, managers, departments, the repair
 * team...) and a parts shelf (seeds/demo.sql), so a fresh dev environment can run every shipped
 * process at once. Only ever applied to a database with no staff and no parts, in one
 * transaction: a company's records are never mixed with invented ones, and running it twice
 * changes nothing. The staff file goes in the way `aftercare staff import` puts one in: one
 * directory version, audited.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { inTransaction } from '../database/postgres.js';
import { importStaffWithin, lockDirectory, readStaffFile } from '../directory/index.js';
import { projectRoot } from './config.js';

export const demoSeedFile = path.join(projectRoot, 'seeds', 'demo.sql');
export const demoStaffFile = path.join(projectRoot, 'seeds', 'staff.yaml');

/** Applies the demo data when the records are empty; returns whether it did. */
export async function seedDemoData(pool: pg.Pool, log: (message: string) => void = () => {}): Promise<boolean> {
  const sql = await fs.readFile(demoSeedFile, 'utf8');
  const staff = await readStaffFile(demoStaffFile);
  return inTransaction(pool, async (client) => {
    // Two processes seeding at once: the second waits, then finds the data there.
    await lockDirectory(client);
    await client.query('LOCK TABLE staff, parts IN SHARE ROW EXCLUSIVE MODE');
    const { rows } = await client.query<{ has: boolean }>('SELECT EXISTS (SELECT 1 FROM staff) OR EXISTS (SELECT 1 FROM parts) AS has');
    if (rows[0]?.has) return false;
    const imported = await importStaffWithin(client, staff, { by: 'aftercare demo seed', reason: 'the demo staff directory (seeds/staff.yaml)' });
    await client.query(sql);
    const technicians = staff.people.filter((p) => p.roles.some((r) => r.role === 'technician')).length;
    log(`demo data loaded: ${staff.people.length} people (${technicians} technicians) as staff directory version ${imported.directoryVersion}, 12 parts and products with their opening stock (seeds/staff.yaml, seeds/demo.sql)`);
    return true;
  });
}
