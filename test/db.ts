// A fresh database per test file, cloned from the migrated template: real PostgreSQL,
// real connections, no mocks.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { closeDb, createDb, getDbHandle, type DbHandle } from '@/db/client';
import { resetConfig } from '@/lib/config';

export type TestDb = DbHandle & { url: string; name: string };

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Creates the file's database and points the app's DATABASE_URL (and so `getDb()`, used
 * by route handlers) at it. `max` is the pool size: concurrency tests raise it.
 */
export async function createTestDatabase(options: { max?: number } = {}): Promise<TestDb> {
  const adminUrl = inject('adminUrl');
  const template = inject('templateDb');
  const name = `openfaka_t${process.ppid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = withDatabase(adminUrl, name);
  process.env.DATABASE_URL = url;
  process.env.DB_POOL_MAX = String(options.max ?? 20);
  resetConfig();
  await closeDb();
  const handle = getDbHandle();
  return { ...handle, url, name };
}

/** A second, independent pool on the same database (e.g. a competing worker). */
export function secondPool(url: string, max = 10): DbHandle {
  return createDb(url, { max });
}

export async function dropTestDatabase(t: TestDb): Promise<void> {
  await closeDb();
  const admin = postgres(inject('adminUrl'), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${t.name}" WITH (FORCE)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}
