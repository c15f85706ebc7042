import { createPool } from '../../database/postgres.js';
import { readConfig } from '../../worker/config.js';
import { migrate } from '../../worker/migrate.js';
import { seedDemoData } from '../../worker/seed.js';
import { parse, UsageError, type Command } from '../io.js';

const help = `aftercare migrate [--demo-data]

Applies pending database migrations (migrations/*.sql) to DATABASE_URL. Safe to run twice.
--demo-data also loads the demo staff directory (seeds/staff.yaml: agents, managers, six
technicians...) and a parts shelf (seeds/demo.sql) when the database has no staff and no parts
yet: for trying the processes, never for a company's records.`;

export const migrateCommand: Command = async (argv) => {
  const { values } = parse(argv, { 'demo-data': { type: 'boolean' } }, help);
  const url = readConfig().databaseUrl;
  if (!url) throw new UsageError('set DATABASE_URL (aftercare dev migrates its embedded PostgreSQL by itself)');
  const pool = createPool(url);
  try {
    const applied = await migrate(pool, (m) => console.log(m));
    if (applied.length === 0) console.log('the database is up to date');
    if (values['demo-data'] && !(await seedDemoData(pool, (m) => console.log(m)))) console.log('demo data not loaded: the database already has staff or parts');
    return 0;
  } finally {
    await pool.end();
  }
};
