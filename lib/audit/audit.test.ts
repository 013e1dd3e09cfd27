import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit, recordAudit, systemActor, type AuditFilters } from '@/lib/audit';
import { seedMerchant } from '@/test/fixtures';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';

let t: TestDb;
let a: Awaited<ReturnType<typeof seedMerchant>>;
let b: Awaited<ReturnType<typeof seedMerchant>>;
let emailA: string;
let emailB: string;
beforeAll(async () => {
  t = await createTestDatabase();
  a = await seedMerchant(t.db);
  b = await seedMerchant(t.db);
  const [u] = await t.db.execute<{ email: string }>(sql`SELECT email FROM users WHERE id = ${a.userId}`);
  emailA = u!.email;
  const [ub] = await t.db.execute<{ email: string }>(sql`SELECT email FROM users WHERE id = ${b.userId}`);
  emailB = ub!.email;
  // Opening the two shops wrote their own entries; these tests read a log they wrote themselves.
  await t.db.execute(sql`DELETE FROM audit_log`);
  // Merchant A: 30 rows, several in the same microsecond (one statement's now()), across two Shanghai days.
  await t.db.execute(sql`
    INSERT INTO audit_log (merchant_id, actor_type, actor_id, action, target_type, target_id, ip, detail, success, created_at)
    SELECT ${a.merchantId}, 'user', ${a.userId}, CASE WHEN g % 3 = 0 THEN 'key.reveal' ELSE 'auth.sign_in' END, 'card_key', 'k' || g, '10.0.0.1',
           jsonb_build_object('n', g), g % 5 <> 0,
           -- 2024-05-01 23:30 and 2024-05-02 00:30 Shanghai time, 15 each; 5 rows share one instant.
           CASE WHEN g <= 15 THEN timestamptz '2024-05-01 23:30:00+08' + (LEAST(g, 10) || ' seconds')::interval
                ELSE timestamptz '2024-05-02 00:30:00+08' + (g || ' seconds')::interval END
      FROM generate_series(1, 30) g`);
  await recordAudit(
    t.db,
    { kind: 'api_key', id: 'ofk_0123abcd', merchantId: a.merchantId, ip: null },
    { action: 'product.create', targetType: 'product', targetId: 'p1' },
  );
  await recordAudit(t.db, systemActor(a.merchantId), { action: 'order.refund', detail: { orderNo: 'OF1' } });
  await recordAudit(t.db, b.actor, { action: 'key.reveal' });
});
afterAll(async () => dropTestDatabase(t));

async function all(filters: AuditFilters) {
  const ids: number[] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof listAudit>> = await listAudit(t.db, a.merchantId, { ...filters, limit: 4 }, cursor);
    ids.push(...page.rows.map((r) => r.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

describe('listAudit', () => {
  it('pages through every row of this merchant exactly once, newest first, even rows written in the same instant', async () => {
    const ids = await all({});
    const [expected] = await t.db.execute<{ ids: string[] }>(
      sql`SELECT array_agg(id::text ORDER BY created_at DESC, id DESC) AS ids FROM audit_log WHERE merchant_id = ${a.merchantId}`,
    );
    expect(ids).toEqual(expected!.ids.map(Number));
    expect(ids).toHaveLength(32);
  });

  it('shows only this merchant’s rows, with who did it', async () => {
    const { rows } = await listAudit(t.db, b.merchantId, {});
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'key.reveal', actorType: 'user', actorLabel: emailB });
    const mine = (await listAudit(t.db, a.merchantId, { limit: 200 })).rows;
    expect(mine.find((r) => r.actorType === 'api_key')).toMatchObject({ actorLabel: 'ofk_0123abcd', action: 'product.create' });
    expect(mine.find((r) => r.actorType === 'system')).toMatchObject({ actorLabel: null, detail: { orderNo: 'OF1' } });
    expect(mine.find((r) => r.actorType === 'user')).toMatchObject({ actorLabel: emailA, ip: '10.0.0.1' });
  });

  it('filters by action, actor, result and Shanghai calendar days, and pages under a filter without gaps', async () => {
    const reveal = await all({ action: 'key.reveal' });
    expect(reveal).toHaveLength(10);
    expect(await all({ actor: emailA.toUpperCase() })).toHaveLength(30);
    expect(await all({ actor: 'ofk_0123abcd' })).toHaveLength(1);
    expect(await all({ actor: 'system' })).toHaveLength(1);
    expect(await all({ actor: 'nobody@example.test' })).toHaveLength(0);
    expect(await all({ result: 'failure' })).toHaveLength(6);
    expect(await all({ result: 'success', action: 'key.reveal' })).toHaveLength(8);
    expect(await all({ from: '2024-05-01', to: '2024-05-01' })).toHaveLength(15);
    expect(await all({ from: '2024-05-02', to: '2024-05-02' })).toHaveLength(15);
    expect(await all({ to: '2024-04-30' })).toHaveLength(0);
    const { rows } = await listAudit(t.db, a.merchantId, { action: 'key.reveal', from: '2024-05-02', limit: 200 });
    expect(rows.every((r) => r.action === 'key.reveal' && r.createdAt >= '2024-05-01T16:00:00.000Z')).toBe(true);
    expect(rows).toHaveLength(5);
  });

  it('bad filters and cursors are validation errors naming the field', async () => {
    await expect(listAudit(t.db, a.merchantId, { from: '2024-02-30' })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: { from: { code: 'invalid_date' } },
    });
    await expect(listAudit(t.db, a.merchantId, { from: '0000-01-01' })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: { from: { code: 'invalid_date' } },
    });
    await expect(listAudit(t.db, a.merchantId, { actor: 'bob' })).rejects.toMatchObject({ code: 'validation_failed', fields: { actor: { code: 'invalid' } } });
    await expect(listAudit(t.db, a.merchantId, { actor: 'bob', from: '2024-13-01' })).rejects.toMatchObject({
      fields: { actor: { code: 'invalid' }, from: { code: 'invalid_date' } },
    });
    await expect(listAudit(t.db, a.merchantId, { action: "x'; drop" })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(listAudit(t.db, a.merchantId, {}, 'garbage')).rejects.toMatchObject({ code: 'validation_failed', fields: { cursor: { code: 'invalid' } } });
  });

  it("another merchant's cursor yields nothing of theirs", async () => {
    const [row] = await t.db.execute<{ id: string }>(sql`SELECT id FROM audit_log WHERE merchant_id = ${b.merchantId}`);
    const cursor = Buffer.from(JSON.stringify({ id: Number(row!.id) })).toString('base64url');
    const { rows } = await listAudit(t.db, a.merchantId, {}, cursor);
    expect(rows).toHaveLength(0);
  });
});
