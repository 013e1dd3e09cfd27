import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseFreshTables, FRESH_TABLE_CHANGES } from '@/db/statistics';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';

let t: TestDb;

beforeAll(async () => {
  t = await createTestDatabase({ max: 4 });
  // Rows written on one connection that flushes its statistics at the end of each statement's
  // transaction (PostgreSQL 15+ reports them lazily otherwise); autovacuum kept off these tables.
  const one = postgres(t.url, { max: 1, onnotice: () => {} });
  try {
    for (const [name, rows] of [
      ['st_fresh', FRESH_TABLE_CHANGES + 500],
      ['st_small', 10],
      ['st_done', FRESH_TABLE_CHANGES + 500],
    ] as const) {
      await one.unsafe(`CREATE TABLE ${name} (id int) WITH (autovacuum_enabled = false)`);
      await one.unsafe('SELECT pg_stat_force_next_flush()');
      await one.unsafe(`INSERT INTO ${name} SELECT generate_series(1, ${rows})`);
    }
    await one.unsafe('ANALYZE st_done');
    await one.unsafe('SELECT pg_stat_force_next_flush()');
    await one.unsafe('SELECT 1');
  } finally {
    await one.end({ timeout: 5 });
  }
});
afterAll(async () => dropTestDatabase(t));

const analysedAt = async (name: string) =>
  (
    (await t.db.execute<{ at: Date | null }>(sql`SELECT last_analyze AS at FROM pg_stat_user_tables WHERE relname = ${name}`)) as unknown as {
      at: Date | null;
    }[]
  )[0]?.at ?? null;

describe('analyseFreshTables', () => {
  it('analyses a table that was never analysed once enough of it changed, and only then', async () => {
    const tables = ['st_fresh', 'st_small', 'st_done'];
    const doneBefore = await analysedAt('st_done');
    expect(doneBefore).not.toBeNull();
    expect(await analysedAt('st_fresh')).toBeNull();

    expect(await analyseFreshTables(t.db, tables)).toEqual({ analysed: ['st_fresh'], refused: [] });
    expect(await analysedAt('st_fresh')).not.toBeNull();
    expect(await analysedAt('st_small')).toBeNull();
    expect(await analysedAt('st_done')).toEqual(doneBefore);
    // The planner now knows the table's size.
    const [{ reltuples }] = (await t.db.execute<{ reltuples: number }>(sql`SELECT reltuples FROM pg_class WHERE relname = 'st_fresh'`)) as unknown as [
      { reltuples: number },
    ];
    expect(Number(reltuples)).toBe(FRESH_TABLE_CHANGES + 500);

    // Once analysed, never again by this job (autovacuum's business from then on).
    expect(await analyseFreshTables(t.db, tables)).toEqual({ analysed: [], refused: [] });
  });
});
