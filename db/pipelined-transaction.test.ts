import { eq, sql } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createDb, pipelinedTransaction, type Tx } from '@/db/client';
import { pgError } from '@/lib/errors';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';

let t: TestDb;

beforeAll(async () => {
  t = await createTestDatabase({ max: 4 });
  await t.db.execute(sql`CREATE TABLE pt_rows (id int PRIMARY KEY, note text)`);
  await t.db.execute(sql`CREATE TABLE pt_counter (n int NOT NULL)`);
  await t.db.execute(sql`INSERT INTO pt_counter VALUES (0)`);
});
afterAll(async () => dropTestDatabase(t));

const ids = async () => (await t.db.execute<{ id: number }>(sql`SELECT id FROM pt_rows ORDER BY id`)).map((r) => r.id);
const counter = async () => Number((await t.db.execute<{ n: number }>(sql`SELECT n FROM pt_counter`))[0]!.n);
const bump = (c: import('postgres').Sql) => c`UPDATE pt_counter SET n = n + 1 RETURNING n`;

describe('pipelinedTransaction', () => {
  it('commits what the body wrote, in one transaction (another connection sees nothing before COMMIT)', async () => {
    let seenInside: number[] = [];
    await pipelinedTransaction(t.db, async (tx) => {
      await tx.execute(sql`INSERT INTO pt_rows VALUES (1, 'a'), (2, 'b')`);
      seenInside = await ids();
    });
    expect(seenInside).toEqual([]);
    expect(await ids()).toEqual([1, 2]);
  });

  it('rolls back everything when the body throws, but keeps the lead statement (autocommit, before BEGIN)', async () => {
    const before = await counter();
    let led: unknown;
    await expect(
      pipelinedTransaction(
        t.db,
        async (tx, { lead }) => {
          led = (await lead)[0];
          await tx.execute(sql`INSERT INTO pt_rows VALUES (3, 'c')`);
          throw new Error('refused');
        },
        { lead: bump },
      ),
    ).rejects.toThrow('refused');
    expect(led).toEqual({ n: before + 1 });
    expect(await counter()).toBe(before + 1);
    expect(await ids()).toEqual([1, 2]);
  });

  it('commitWith sends COMMIT with the last statements and returns their results', async () => {
    const rows = await pipelinedTransaction(t.db, async (tx, { commitWith }) => {
      await tx.execute(sql`INSERT INTO pt_rows VALUES (4, 'd')`);
      return commitWith(
        Promise.all([tx.execute<{ id: number }>(sql`INSERT INTO pt_rows VALUES (5, 'e') RETURNING id`), tx.execute(sql`INSERT INTO pt_rows VALUES (6, 'f')`)]),
      );
    });
    expect(rows[0].map((r) => r.id)).toEqual([5]);
    expect(await ids()).toEqual([1, 2, 4, 5, 6]);
  });

  it('a last statement that fails takes the whole transaction with it, and its error is the one thrown', async () => {
    await expect(
      pipelinedTransaction(t.db, async (tx, { commitWith }) => {
        await tx.execute(sql`INSERT INTO pt_rows VALUES (7, 'g')`);
        return commitWith(Promise.all([tx.execute(sql`INSERT INTO pt_rows VALUES (8, 'h')`), tx.execute(sql`INSERT INTO pt_rows VALUES (1, 'dup')`)]));
      }),
    ).rejects.toSatisfy((err) => pgError(err).code === '23505');
    expect(await ids()).toEqual([1, 2, 4, 5, 6]);
    // The connection went back to the pool clean: the next transaction works.
    await pipelinedTransaction(t.db, async (tx) => tx.execute(sql`INSERT INTO pt_rows VALUES (9, 'i')`));
    expect(await ids()).toEqual([1, 2, 4, 5, 6, 9]);
  });

  it('a statement started after commitWith is refused, never run outside the transaction unnoticed', async () => {
    await expect(
      pipelinedTransaction(t.db, async (tx, { commitWith }) => {
        await commitWith(tx.execute(sql`INSERT INTO pt_rows VALUES (13, 'm')`));
        await tx.execute(sql`INSERT INTO pt_rows VALUES (14, 'n')`);
      }),
    ).rejects.toSatisfy((err: Error) => String((err.cause as Error | undefined)?.message).includes('after commitWith sent COMMIT'));
    expect(await ids()).toContain(13);
    expect(await ids()).not.toContain(14);
    await t.db.execute(sql`DELETE FROM pt_rows WHERE id = 13`);
  });

  it('a savepoint (tx.transaction) rolls back alone and the outer transaction commits', async () => {
    await pipelinedTransaction(t.db, async (tx) => {
      await tx.execute(sql`INSERT INTO pt_rows VALUES (10, 'j')`);
      await expect(
        tx.transaction(async (sp) => {
          await sp.execute(sql`INSERT INTO pt_rows VALUES (11, 'k')`);
          throw new Error('inner');
        }),
      ).rejects.toThrow('inner');
      await tx.transaction((sp) => sp.execute(sql`INSERT INTO pt_rows VALUES (12, 'l')`));
    });
    expect(await ids()).toEqual([1, 2, 4, 5, 6, 9, 10, 12]);
  });

  it('row locks hold until COMMIT: concurrent read-modify-write bodies lose no update', async () => {
    await t.db.execute(sql`UPDATE pt_counter SET n = 0`);
    await Promise.all(
      Array.from({ length: 20 }, () =>
        pipelinedTransaction(t.db, async (tx, { commitWith }) => {
          const [row] = await tx.execute<{ n: number }>(sql`SELECT n FROM pt_counter FOR UPDATE`);
          await commitWith(tx.execute(sql`UPDATE pt_counter SET n = ${Number(row!.n) + 1}`));
        }),
      ),
    );
    expect(await counter()).toBe(20);
  });
});

describe('pipelinedTransaction at its ends', () => {
  it('a swallowed statement error still fails the transaction (COMMIT answered ROLLBACK)', async () => {
    await expect(
      pipelinedTransaction(t.db, async (tx) => {
        await tx.execute(sql`INSERT INTO pt_rows VALUES (20, 'x')`);
        await tx.execute(sql`INSERT INTO pt_rows VALUES (20, 'dup')`).catch(() => {});
      }),
    ).rejects.toThrow('rolled back at COMMIT');
    expect(await ids()).not.toContain(20);
  });

  it('a statement a body leaves running after it returns is refused, not run outside the transaction', async () => {
    let straggler: Promise<unknown> | undefined;
    await pipelinedTransaction(t.db, async (tx) => {
      await tx.execute(sql`INSERT INTO pt_rows VALUES (21, 'y')`);
      straggler = new Promise((resolve) => setTimeout(resolve, 20)).then(() => tx.execute(sql`INSERT INTO pt_rows VALUES (22, 'z')`));
    });
    await expect(straggler).rejects.toSatisfy((err: Error) =>
      String((err.cause as Error | undefined)?.message ?? err.message).includes('after the transaction committed'),
    );
    expect(await ids()).toContain(21);
    expect(await ids()).not.toContain(22);
  });
});

describe('drizzle statements are prepared', () => {
  const preparedOnThisConnection = (tx: Tx) =>
    tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE '%pt_rows%' AND statement LIKE '%note%'`);

  it('a query built by drizzle becomes a named statement of its connection (parsed and planned once), unless prepare is off', async () => {
    const notes = pgTable('pt_rows', { id: integer('id').primaryKey(), note: text('note') });
    const unprepared = createDb(t.url, { max: 1, prepare: false });
    onTestFinished(() => unprepared.sql.end());
    for (const [handle, expected] of [
      [t.db, 1],
      [unprepared.db, 0],
    ] as const) {
      const n = await pipelinedTransaction(handle, async (tx) => {
        await tx.select({ note: notes.note }).from(notes).where(eq(notes.id, 1));
        await tx.select({ note: notes.note }).from(notes).where(eq(notes.id, 2));
        return (await preparedOnThisConnection(tx))[0]!.n;
      });
      expect(n).toBe(expected);
    }
  });
});
