// Starts one real PostgreSQL for the whole run (embedded, unless TEST_DATABASE_URL or
// DATABASE_URL names one) and builds a migrated template database; each test file then
// gets its own database cloned from the template (see test/db.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { runMigrations } from '../db/migrate';
import { startEmbeddedPostgres, type EmbeddedDb } from '../scripts/embedded-postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDb: string;
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export default async function setup(project: TestProject) {
  let embedded: EmbeddedDb | undefined;
  let tmp: string | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!adminUrl) {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'openfaka-test-'));
    embedded = await startEmbeddedPostgres({ dir: path.join(tmp, 'pg'), persistent: false, fast: true, maxConnections: 400 });
    adminUrl = embedded.url('postgres');
  }
  const templateDb = `openfaka_tpl_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS "${templateDb}"`);
  await admin.unsafe(`CREATE DATABASE "${templateDb}"`);
  await runMigrations(withDatabase(adminUrl, templateDb));
  const version = await admin`SHOW server_version`;
  process.stdout.write(`test database: PostgreSQL ${version[0]!.server_version} (${embedded ? 'embedded' : 'external'})\n`);
  project.provide('adminUrl', adminUrl);
  project.provide('templateDb', templateDb);
  return async () => {
    // Drop what this run created on an external server; an embedded one goes away whole.
    if (!embedded) {
      const dbs = await admin`SELECT datname FROM pg_database WHERE datname LIKE ${`openfaka_t${process.pid}_%`} OR datname = ${templateDb}`;
      for (const d of dbs) await admin.unsafe(`DROP DATABASE IF EXISTS "${d.datname}" WITH (FORCE)`);
    }
    await admin.end({ timeout: 5 });
    await embedded?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  };
}
