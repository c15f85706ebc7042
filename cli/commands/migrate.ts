import { createPool } from '../../activities/db.js';
import { readConfig } from '../../worker/config.js';
import { migrate } from '../../worker/migrate.js';
import { parse, UsageError, type Command } from '../io.js';

const help = `aftercare migrate

Applies pending database migrations (migrations/*.sql) to DATABASE_URL. Safe to run twice.`;

export const migrateCommand: Command = async (argv) => {
  parse(argv, {}, help);
  const url = readConfig().databaseUrl;
  if (!url) throw new UsageError('set DATABASE_URL (aftercare dev migrates its embedded PostgreSQL by itself)');
  const pool = createPool(url);
  try {
    const applied = await migrate(pool, (m) => console.log(m));
    if (applied.length === 0) console.log('the database is up to date');
    return 0;
  } finally {
    await pool.end();
  }
};
