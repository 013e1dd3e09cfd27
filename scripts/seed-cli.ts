// npm run db:seed: demo merchant, products and keys (skipped when a merchant exists).
import { closeDb, getDb } from '@/db/client';
import { resetConfig } from '@/lib/config';
import { migrateDatabase, resolveDatabase } from './database';
import { DEMO_LOGIN, seedDemo } from './seed';

const database = await resolveDatabase({ log: (l) => console.log(l) });
try {
  process.env.DATABASE_URL = database.url;
  resetConfig();
  await migrateDatabase(database.url);
  const r = await seedDemo(getDb());
  console.log(
    r.seeded
      ? `Seeded the demo shop. Login: ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}; API key in ${r.apiKeyFile}`
      : 'The database has a merchant already; nothing seeded.',
  );
} finally {
  await closeDb();
  await database.stop();
}
