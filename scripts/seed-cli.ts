// npm run db:seed: demo merchant, products and keys (skipped when a merchant exists), into
// the embedded development database only: demo accounts do not belong in a database named
// by DATABASE_URL, which may be a real shop's.
import { closeDb, getDb } from '@/db/client';
import { resetConfig } from '@/lib/config';
import { migrateDatabase, resolveDatabase } from './database';
import { seedDemo } from './seed';

if (process.env.DATABASE_URL) {
  console.error('npm run db:seed only seeds the embedded development database. Unset DATABASE_URL (the demo shop has demo accounts).');
  process.exit(1);
}
const database = await resolveDatabase({ log: (l) => console.log(l) });
try {
  process.env.DATABASE_URL = database.url;
  resetConfig();
  await migrateDatabase(database.url);
  const r = await seedDemo(getDb());
  console.log(
    r.seeded
      ? `Seeded the demo shop. Logins (random passwords) are in ${r.loginsFile}; the API key in ${r.apiKeyFile}`
      : 'The database has a merchant already; nothing seeded.',
  );
} finally {
  await closeDb();
  await database.stop();
}
