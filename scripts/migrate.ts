// npm run db:migrate: applies db/migrations to DATABASE_URL (or the embedded database).
import { migrateDatabase, resolveDatabase } from './database';

const db = await resolveDatabase({ log: (l) => console.log(l) });
try {
  await migrateDatabase(db.url);
  console.log('Migrations applied.');
} finally {
  await db.stop();
}
