// npm run cli -- create-merchant --email E --password P [--slug S] [--name N]
// npm run cli -- create-admin --email E --password P
// npm run cli -- reseal [--check]
// Prints the result as JSON on stdout; errors as JSON on stderr with exit code 1.
import { parseArgs } from 'node:util';
import { closeDb, getDb } from '@/db/client';
import { createAdmin, createMerchant } from '@/lib/accounts';
import { systemActor } from '@/lib/audit';
import { resetConfig } from '@/lib/config';
import { isAppError } from '@/lib/errors';
import { countStale, resealAll } from '@/lib/reseal';
import { migrateDatabase, resolveDatabase } from './database';

const usage = `usage:
  npm run cli -- create-merchant --email E --password P [--slug S] [--name N]
  npm run cli -- create-admin --email E --password P
  npm run cli -- reseal [--check]   re-seal every secret under the newest KEY_ENCRYPTION_KEY
                                    (--check: only count what is not; exit 1 if anything is)`;

const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({
  args: rest,
  options: { email: { type: 'string' }, password: { type: 'string' }, slug: { type: 'string' }, name: { type: 'string' }, check: { type: 'boolean' } },
  strict: true,
});
const accountCommand = command === 'create-merchant' || command === 'create-admin';
if (!(accountCommand && values.email && values.password) && command !== 'reseal') {
  console.error(usage);
  process.exit(2);
}

const database = await resolveDatabase({ log: (l) => console.error(l) });
let code = 0;
try {
  process.env.DATABASE_URL = database.url;
  resetConfig();
  await migrateDatabase(database.url);
  const db = getDb();
  if (command === 'reseal') {
    if (values.check) {
      const stale = await countStale(db);
      console.log(JSON.stringify({ stale }));
      if (Object.values(stale).some((n) => n > 0)) code = 1;
    } else {
      const resealed = await resealAll(db);
      console.log(JSON.stringify({ resealed, stale: await countStale(db) }));
    }
  } else {
    const account = { email: values.email!, password: values.password! };
    const result =
      command === 'create-merchant'
        ? await createMerchant(db, systemActor(), { ...account, slug: values.slug, name: values.name })
        : await createAdmin(db, systemActor(), account);
    console.log(JSON.stringify(result));
  }
} catch (err) {
  code = 1;
  if (isAppError(err)) console.error(JSON.stringify({ error: { code: err.code, message: err.message, fields: err.fields } }));
  else console.error(JSON.stringify({ error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } }));
} finally {
  await closeDb();
  await database.stop();
}
process.exit(code);
