// npm run dev: the whole shop with nothing configured. Starts the embedded PostgreSQL
// (unless DATABASE_URL is set), applies migrations, seeds the demo shop on first run,
// runs the background worker in this process, and starts Next.js.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { closeDb, getDb } from '@/db/client';
import { getConfig, resetConfig } from '@/lib/config';
import { startWorker } from '@/lib/worker';
import { migrateDatabase, resolveDatabase } from './database';
import { demoLogins, seedDemo } from './seed';

const mode = process.argv[2] === 'start' ? 'start' : 'dev';
const port = process.env.PORT || '3000';
// A development shop listens on this machine only; HOST=0.0.0.0 opens it to the network.
const host = process.env.HOST || '127.0.0.1';
process.env.APP_URL ||= `http://localhost:${port}`;

const config = getConfig(); // creates DATA_DIR/secrets.json on the first run
const database = await resolveDatabase({ log: (l) => console.log(l) });
process.env.DATABASE_URL = database.url;
resetConfig();
await migrateDatabase(database.url);
// Demo data only in the embedded development database, never in one named by DATABASE_URL.
const seeded = database.embedded ? await seedDemo(getDb()) : { seeded: false as const };
const logins = demoLogins();
const worker = startWorker(getDb());

// Next.js reads the same secrets from the environment as every other process.
const env = {
  ...process.env,
  DATABASE_URL: database.url,
  AUTH_SECRET: config.authSecret,
  KEY_ENCRYPTION_KEY: config.keyEncryptionKeys.join(','),
  CRON_SECRET: config.cronSecret,
  NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? '1',
};
// `start` serves the production build the way `npm start` does on a Node host: the
// standalone server (scripts/start.mjs); `next start` does not serve a standalone build.
const next =
  mode === 'start'
    ? spawn(process.execPath, ['scripts/start.mjs'], {
        env: { ...env, PORT: port, HOSTNAME: host, DATA_DIR: config.dataDir },
        stdio: 'inherit',
      })
    : spawn(process.execPath, ['node_modules/next/dist/bin/next', mode, '-p', port, '-H', host], {
        // The socket's address on every request, as `npm start` records it (scripts/peer-address.mjs).
        env: { ...env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(path.resolve('scripts/peer-address.mjs')).href}`.trim() },
        stdio: 'inherit',
      });

console.log(`
  OpenFaka is starting at ${process.env.APP_URL}
  Database:   ${database.embedded ? 'embedded PostgreSQL under ' + config.dataDir : 'DATABASE_URL'}
  Console:    ${process.env.APP_URL}/console
${
  logins && database.embedded
    ? `  Demo login: ${logins.merchant.email} / ${logins.merchant.password} (merchant)
              ${logins.agent.email} / ${logins.agent.password} (agent)
              ${logins.admin.email} / ${logins.admin.password} (platform admin)
              (random passwords, kept in ${config.dataDir}/demo-logins.json)`
    : '  Demo login: none (not the embedded development database)'
}${'apiKeyFile' in seeded && seeded.apiKeyFile ? `\n  API key:    in ${seeded.apiKeyFile}` : ''}
  E-mails:    ${config.smtpUrl ? 'sent through SMTP_URL' : `written to ${config.dataDir}/mail`}
`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  next.kill('SIGTERM');
  await worker.stop();
  await closeDb();
  await database.stop();
  process.exit(0);
}
next.on('exit', () => void shutdown());
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
