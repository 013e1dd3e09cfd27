import { and, eq, sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, pipelinedTransaction } from '@/db/client';
import { compiled } from '@/db/compiled';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';

const owners = pgTable('ct_owners', { id: uuid('id').primaryKey(), name: text('name').notNull() });
const things = pgTable('ct_things', {
  id: uuid('id').primaryKey().defaultRandom(),
  ownerId: uuid('owner_id')
    .notNull()
    .references(() => owners.id),
  label: text('label'),
  n: integer('n').notNull().default(7),
  meta: jsonb('meta').$type<Record<string, unknown> | null>(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});
const tags = pgTable('ct_tags', {
  thingId: uuid('thing_id')
    .notNull()
    .references(() => things.id),
  tag: text('tag').notNull(),
  weight: integer('weight'),
});

let t: TestDb;
const ownerA = '00000000-0000-4000-8000-00000000000a';
const ownerB = '00000000-0000-4000-8000-00000000000b';

beforeAll(async () => {
  t = await createTestDatabase({ max: 4 });
  await t.db.execute(sql`CREATE TABLE ct_owners (id uuid PRIMARY KEY, name text NOT NULL)`);
  await t.db.execute(sql`CREATE TABLE ct_things (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), owner_id uuid NOT NULL REFERENCES ct_owners,
    label text, n int NOT NULL DEFAULT 7, meta jsonb, at timestamptz NOT NULL DEFAULT now())`);
  await t.db.execute(sql`CREATE TABLE ct_tags (thing_id uuid NOT NULL REFERENCES ct_things, tag text NOT NULL, weight int)`);
  await t.db.insert(owners).values([
    { id: ownerA, name: 'a' },
    { id: ownerB, name: 'b' },
  ]);
});
afterAll(async () => dropTestDatabase(t));

const ph = sql.placeholder;
const insertThing = compiled<{ ownerId: string; label: string | null; meta: Record<string, unknown> | null; minutes: number }>()((db) =>
  db
    .insert(things)
    .values({ ownerId: ph('ownerId'), label: ph('label'), meta: ph('meta'), at: sql`now() - make_interval(mins => ${ph('minutes')})` })
    .returning(),
);
const insertNamedThing = compiled<{ id: string; ownerId: string; label: string }>()((db) =>
  db.insert(things).values({ id: ph('id'), ownerId: ph('ownerId'), label: ph('label') }),
);
const insertTag = compiled<{ thingId: string; tag: string }>()((db) => db.insert(tags).values({ thingId: ph('thingId'), tag: ph('tag') }));
const selectJoined = (db: Parameters<typeof insertTag>[0], withTag: boolean) =>
  db
    .select({ thing: things, owner: owners, tag: tags, label: sql<string>`upper(${things.label})` })
    .from(things)
    .innerJoin(owners, eq(owners.id, things.ownerId))
    .leftJoin(tags, withTag ? and(eq(tags.thingId, things.id), eq(tags.tag, ph('tag'))) : sql`false`)
    .where(eq(things.ownerId, ph('ownerId')))
    .orderBy(things.label);
const joined = compiled<{ ownerId: string; tag: string }>()((db) => selectJoined(db, true));
const joinedWithoutTag = compiled<{ ownerId: string }>()((db) => selectJoined(db, false));

const countTags = compiled<{ tag: string }>()((db) =>
  db
    .select({ n: sql<number>`count(*)::int` })
    .from(tags)
    .where(eq(tags.tag, ph('tag'))),
);

describe('compiled queries', () => {
  it('built inside a transaction, then run on the pool and on a client that does not prepare (DB_PREPARE=false)', async () => {
    // First use (the build) inside a transaction that rolls back.
    await expect(
      t.db.transaction(async (tx) => {
        expect(await countTags(tx, { tag: 'none' })).toEqual([{ n: 0 }]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await countTags(t.db, { tag: 'none' })).toEqual([{ n: 0 }]);
    // One connection each: what it has prepared is what pg_prepared_statements lists.
    for (const prepare of [true, false]) {
      const one = createDb(t.url, { max: 1, prepare });
      try {
        expect(await countTags(one.db, { tag: 'none' })).toEqual([{ n: 0 }]);
        const [{ n }] = (await one.sql`SELECT count(*)::int AS n FROM pg_prepared_statements`) as unknown as [{ n: number }];
        expect(n > 0).toBe(prepare);
      } finally {
        await one.sql.end({ timeout: 5 });
      }
    }
  });

  it('insert … returning gives the rows drizzle gives (defaults, jsonb, timestamps, NULL)', async () => {
    const [first] = await insertThing(t.db, { ownerId: ownerA, label: 'one', meta: { k: [1, 'x'] }, minutes: 5 });
    const [second] = await insertThing(t.db, { ownerId: ownerA, label: null, meta: null, minutes: 0 });
    const viaDrizzle = await t.db.select().from(things).where(eq(things.ownerId, ownerA)).orderBy(things.label);
    expect([first, second]).toEqual(viaDrizzle);
    expect(first!.n).toBe(7);
    expect(first!.meta).toEqual({ k: [1, 'x'] });
    expect(first!.at).toBeInstanceOf(Date);
    expect(Date.now() - first!.at.getTime()).toBeGreaterThan(4 * 60_000);
    // A null for a jsonb column is SQL NULL, not the JSON value null.
    const [{ isNull }] = (await t.db.execute<{ isNull: boolean }>(sql`SELECT meta IS NULL AS "isNull" FROM ct_things WHERE id = ${second!.id}`)) as unknown as [
      { isNull: boolean },
    ];
    expect(isNull).toBe(true);
  });

  it('a joined select maps nested objects, SQL fields and a missing left join to null as drizzle does', async () => {
    const [thing] = await t.db.select().from(things).where(eq(things.label, 'one'));
    await insertTag(t.db, { thingId: thing!.id, tag: 'red' });
    for (const tag of ['red', 'blue']) {
      const compiledRows = await joined(t.db, { ownerId: ownerA, tag });
      const drizzleRows = await selectJoined(t.db, true).execute({ ownerId: ownerA, tag });
      expect(compiledRows).toEqual(drizzleRows);
      expect(compiledRows).toHaveLength(2);
      expect(compiledRows[0]!.tag).toEqual(tag === 'red' ? { thingId: thing!.id, tag: 'red', weight: null } : null);
      expect(compiledRows[0]!.label).toBe('ONE');
    }
    const without = await joinedWithoutTag(t.db, { ownerId: ownerA });
    expect(without.map((r) => r.tag)).toEqual([null, null]);
    expect(await joined(t.db, { ownerId: ownerB, tag: 'red' })).toEqual([]);
  });

  it('runs in a transaction it is given, and statements go out in the order they were called', async () => {
    const thingId = '00000000-0000-4000-8000-0000000000c1';
    const [, , counted] = await pipelinedTransaction(t.db, (tx, { commitWith }) =>
      // The tag references the thing: sent first, it would fail its foreign key.
      commitWith(
        Promise.all([
          insertNamedThing(tx, { id: thingId, ownerId: ownerB, label: 'tx' }),
          insertTag(tx, { thingId, tag: 'in-tx' }),
          tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM ct_tags WHERE tag = 'in-tx'`),
        ]),
      ),
    );
    expect(counted[0]?.n).toBe(1);
    expect((await joined(t.db, { ownerId: ownerB, tag: 'in-tx' })).map((r) => [r.thing.id, r.tag?.tag])).toEqual([[thingId, 'in-tx']]);
    // Rolled back with its transaction.
    await expect(
      pipelinedTransaction(t.db, async (tx) => {
        await insertThing(tx, { ownerId: ownerB, label: 'gone', meta: null, minutes: 0 });
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect((await joined(t.db, { ownerId: ownerB, tag: 'x' })).map((r) => r.thing.label)).toEqual(['tx']);
  });

  it('a missing or undefined value is refused before anything is sent; a failing statement rejects', async () => {
    const before = await t.db.$count(tags);
    await expect(insertTag(t.db, { thingId: '00000000-0000-4000-8000-0000000000d1' } as never)).rejects.toThrow('no value for placeholder "tag"');
    await expect(insertTag(t.db, { thingId: '00000000-0000-4000-8000-0000000000d1', tag: undefined } as never)).rejects.toThrow(
      'no value for placeholder "tag"',
    );
    expect(await t.db.$count(tags)).toBe(before);
    await expect(insertThing(t.db, { ownerId: '00000000-0000-4000-8000-0000000000ff', label: 'x', meta: null, minutes: 0 })).rejects.toMatchObject({
      code: '23503',
    });
  });
});
