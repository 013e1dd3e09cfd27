import { and, eq, ne, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, categories, products } from '@/db/schema';
import {
  createCategory,
  createProduct,
  deleteCategory,
  listMerchantCategories,
  listMerchantProducts,
  moveCategory,
  moveProduct,
  setProductActive,
  updateCategory,
  updateProduct,
} from '@/lib/catalog';
import { AppError } from '@/lib/errors';
import { importKeys } from '@/lib/inventory';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';

let t: TestDb;
let a: Awaited<ReturnType<typeof seedMerchant>>;
let b: Awaited<ReturnType<typeof seedMerchant>>;

beforeAll(async () => {
  t = await createTestDatabase();
  a = await seedMerchant(t.db);
  b = await seedMerchant(t.db);
});
afterAll(async () => dropTestDatabase(t));

/** The AppError a call threw: its code and fields, or 'ok'. */
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => ({ code: 'ok' as string, fields: undefined as Record<string, { code: string }> | undefined }),
    (e: unknown) => (e instanceof AppError ? { code: e.code as string, fields: e.fields } : { code: `error: ${String(e)}`, fields: undefined }),
  );

const row = async (id: string) => (await t.db.select().from(products).where(eq(products.id, id)))[0]!;
// The merchant's own entries: the fixtures create products as the system, audited too.
const auditOf = (targetId: string) =>
  t.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetId, targetId), ne(auditLog.actorType, 'system')))
    .orderBy(auditLog.id);

describe('updateProduct', () => {
  it("changes this merchant's product: the fields given, validated over the stored row", async () => {
    const cat = await createCategory(t.db, a.actor, { name: 'Games' });
    const p = await seedProduct(t.db, a.merchantId, { title: 'Old', price: 1000, minQty: 1, maxQty: 5 });
    const updated = await updateProduct(t.db, a.actor, p.id, {
      title: 'New title',
      categoryId: cat.id,
      maxQty: 8,
      wholesaleTiers: [
        { minQty: 10, unitPrice: 800 },
        { minQty: 5, unitPrice: 900 },
      ],
      deliveryType: 'generated',
      generatorRule: { prefix: 'GIFT-', length: 12, charset: 'ABCDEF234567', groups: 3, separator: '-' },
    });
    expect(updated).toMatchObject({ title: 'New title', categoryId: cat.id, maxQty: 8, price: 1000, minQty: 1, deliveryType: 'generated' });
    // Tiers are kept in ascending order of quantity.
    expect(updated.wholesaleTiers.map((x) => x.minQty)).toEqual([5, 10]);
    expect((await row(p.id)).generatorRule).toEqual({ prefix: 'GIFT-', length: 12, charset: 'ABCDEF234567', groups: 3, separator: '-' });
    expect((await row(p.id)).updatedAt.getTime()).toBeGreaterThanOrEqual(p.updatedAt.getTime());

    // Switching away from `generated` drops the rule; a later switch back starts from the default.
    await updateProduct(t.db, a.actor, p.id, { deliveryType: 'manual' });
    expect((await row(p.id)).generatorRule).toBeNull();
  });

  it("another merchant's product id is not_found, and the product stays as it was", async () => {
    const theirs = await seedProduct(t.db, b.merchantId, { title: 'Theirs', price: 500 });
    const before = await row(theirs.id);
    expect((await outcome(updateProduct(t.db, a.actor, theirs.id, { title: 'Mine now', price: 1 }))).code).toBe('not_found');
    expect((await outcome(setProductActive(t.db, a.actor, { productId: theirs.id, active: false }))).code).toBe('not_found');
    expect((await outcome(moveProduct(t.db, a.actor, { productId: theirs.id, direction: 'up' }))).code).toBe('not_found');
    expect((await outcome(updateProduct(t.db, a.actor, 'not-a-uuid', { title: 'x' }))).code).toBe('not_found');
    expect(await row(theirs.id)).toEqual(before);
    expect(await auditOf(theirs.id)).toHaveLength(0);
  });

  it('bad input is validation_failed with the field named, and nothing changes', async () => {
    const p = await seedProduct(t.db, a.merchantId, { title: 'Stable', price: 1500, minQty: 1, maxQty: 5 });
    const foreignCat = await createCategory(t.db, b.actor, { name: 'Not yours' });
    const before = await row(p.id);
    const cases: [Record<string, unknown>, string][] = [
      [{ price: -1 }, 'price'],
      [{ price: 12.5 }, 'price'],
      [{ minQty: 6 }, 'maxQty'], // 6 > stored maxQty 5
      [{ minQty: 3, maxQty: 2 }, 'maxQty'],
      [{ slug: 'Bad Slug!' }, 'slug'],
      [{ slug: '-leading' }, 'slug'],
      [{ title: '   ' }, 'title'],
      [{ categoryId: foreignCat.id }, 'categoryId'],
      [{ categoryId: '00000000-0000-4000-8000-000000000000' }, 'categoryId'],
      [{ agentPrices: { '8': 100 } }, 'agentPrices.8'],
      [
        {
          wholesaleTiers: [
            { minQty: 2, unitPrice: 100 },
            { minQty: 2, unitPrice: 90 },
          ],
        },
        'wholesaleTiers',
      ],
      [{ deliveryType: 'generated', generatorRule: { prefix: '', length: 8, charset: 'AAB', groups: 2, separator: '-' } }, 'generatorRule.charset'],
      [{ currency: 'yuan' }, 'currency'],
    ];
    for (const [input, field] of cases) {
      const r = await outcome(updateProduct(t.db, a.actor, p.id, input));
      expect(r.code, JSON.stringify(input)).toBe('validation_failed');
      expect(Object.keys(r.fields ?? {}), JSON.stringify(input)).toContain(field);
    }
    expect(await row(p.id)).toEqual(before);
    expect(await auditOf(p.id)).toHaveLength(0);
  });

  it("a slug another of the merchant's products has is conflict with fields.slug 'taken'; the same slug at another merchant is fine", async () => {
    await seedProduct(t.db, a.merchantId, { title: 'First', slug: 'netflix-month' });
    await seedProduct(t.db, b.merchantId, { title: 'Elsewhere', slug: 'spotify-month' });
    const p = await seedProduct(t.db, a.merchantId, { title: 'Second', slug: 'second' });
    expect(await outcome(updateProduct(t.db, a.actor, p.id, { slug: 'netflix-month' }))).toEqual({ code: 'conflict', fields: { slug: { code: 'taken' } } });
    expect((await row(p.id)).slug).toBe('second');
    expect((await outcome(updateProduct(t.db, a.actor, p.id, { slug: 'spotify-month' }))).code).toBe('ok');
  });

  it('a price change writes one product.price_change audit row with old and new prices, in the same transaction', async () => {
    const p = await seedProduct(t.db, a.merchantId, { title: 'Priced', price: 4800, agentPrices: { '1': 4500 } });
    const actor = { kind: 'user' as const, id: 'user-123', merchantId: a.merchantId, ip: '203.0.113.9' };
    await updateProduct(t.db, actor, p.id, { price: 4200, agentPrices: { '1': 4000, '2': 3900 }, title: 'Priced (sale)' });
    const entries = await auditOf(p.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      merchantId: a.merchantId,
      actorType: 'user',
      actorId: 'user-123',
      ip: '203.0.113.9',
      action: 'product.price_change',
      targetType: 'product',
    });
    expect(entries[0]!.detail).toMatchObject({
      old: { price: 4800, agentPrices: { '1': 4500 } },
      new: { price: 4200, agentPrices: { '1': 4000, '2': 3900 } },
    });
    expect((entries[0]!.detail as { changed: string[] }).changed).toEqual(expect.arrayContaining(['price', 'agentPrices', 'title']));

    // An agent price alone is a price change too; other edits are product.update; no change, no entry.
    await updateProduct(t.db, actor, p.id, { agentPrices: { '1': 3800 } });
    await updateProduct(t.db, actor, p.id, { description: '**New** text' });
    await updateProduct(t.db, actor, p.id, { description: '**New** text' });
    expect((await auditOf(p.id)).map((e) => e.action)).toEqual(['product.price_change', 'product.price_change', 'product.update']);
  });

  it('createProduct records product.create', async () => {
    const p = await createProduct(t.db, a.actor, { title: 'Audited', price: 100 });
    expect((await auditOf(p.id)).map((e) => [e.action, e.actorType])).toEqual([['product.create', 'user']]);
    // Without a sort it goes after the merchant's other products.
    const [{ max }] = (await t.db.execute<{ max: number }>(
      sql`SELECT max(sort)::int AS max FROM products WHERE merchant_id = ${a.merchantId} AND id <> ${p.id}`,
    )) as unknown as [{ max: number }];
    expect(p.sort).toBe(max + 10);
    // And validation failures create nothing.
    const r = await outcome(createProduct(t.db, a.actor, { title: 'Bad', price: -5 }));
    expect(r.code).toBe('validation_failed');
    expect(
      await t.db
        .select()
        .from(products)
        .where(and(eq(products.merchantId, a.merchantId), eq(products.title, 'Bad'))),
    ).toHaveLength(0);
  });
});

describe('listMerchantProducts, setProductActive, moveProduct', () => {
  it("lists only this merchant's products with stock for auto products, low-stock flagged, filtered and paged by keyset", async () => {
    const m = await seedMerchant(t.db);
    const other = await seedMerchant(t.db);
    const cat = await createCategory(t.db, m.actor, { name: 'Streaming' });
    const low = await seedProduct(t.db, m.merchantId, { title: 'Netflix 1 month', keys: 3, stockAlert: 5, categoryId: cat.id });
    const plenty = await seedProduct(t.db, m.merchantId, { title: 'Netflix 1 year', keys: 10, stockAlert: 5, categoryId: cat.id });
    const manual = await seedProduct(t.db, m.merchantId, { title: 'Custom 100% work_item', deliveryType: 'manual' });
    await seedProduct(t.db, other.merchantId, { title: 'Netflix elsewhere', keys: 2 });
    await importKeys(t.db, m.actor, { productId: low.id, keys: ['dup-a', 'dup-a'] }); // +1

    const all = await listMerchantProducts(t.db, m.merchantId);
    expect(all.rows.map((r) => r.id)).toEqual([low.id, plenty.id, manual.id]);
    expect(all.nextCursor).toBeNull();
    const byId = new Map(all.rows.map((r) => [r.id, r]));
    expect(byId.get(low.id)).toMatchObject({ stock: { available: 4, reserved: 0, sold: 0, void: 0 }, lowStock: true, categoryName: 'Streaming' });
    expect(byId.get(plenty.id)).toMatchObject({ stock: { available: 10 }, lowStock: false });
    expect(byId.get(manual.id)).toMatchObject({ stock: null, lowStock: false, categoryName: null });

    expect((await listMerchantProducts(t.db, m.merchantId, { q: 'year' })).rows.map((r) => r.id)).toEqual([plenty.id]);
    // LIKE wildcards in the search are literal.
    expect((await listMerchantProducts(t.db, m.merchantId, { q: '100%' })).rows.map((r) => r.id)).toEqual([manual.id]);
    expect((await listMerchantProducts(t.db, m.merchantId, { q: '_' })).rows.map((r) => r.id)).toEqual([manual.id]);
    expect((await listMerchantProducts(t.db, m.merchantId, { categoryId: cat.id })).rows).toHaveLength(2);
    expect((await listMerchantProducts(t.db, m.merchantId, { categoryId: 'none' })).rows.map((r) => r.id)).toEqual([manual.id]);
    expect((await listMerchantProducts(t.db, m.merchantId, { categoryId: 'garbage' })).rows).toHaveLength(0);

    const page1 = await listMerchantProducts(t.db, m.merchantId, { limit: 2 });
    expect(page1.rows.map((r) => r.id)).toEqual([low.id, plenty.id]);
    const page2 = await listMerchantProducts(t.db, m.merchantId, { limit: 2, cursor: page1.nextCursor });
    expect(page2.rows.map((r) => r.id)).toEqual([manual.id]);
    expect(page2.nextCursor).toBeNull();
    expect((await outcome(listMerchantProducts(t.db, m.merchantId, { cursor: 'nonsense' }))).code).toBe('validation_failed');
    // Cursors that parse in JavaScript but would overflow in PostgreSQL are refused, not a 500.
    for (const forged of [
      { s: 1e30, c: '2026-01-01T00:00:00.000Z', i: '00000000-0000-4000-8000-000000000000' },
      { s: 0, c: '1', i: '00000000-0000-4000-8000-000000000000' },
    ]) {
      expect((await outcome(listMerchantProducts(t.db, m.merchantId, { cursor: Buffer.from(JSON.stringify(forged)).toString('base64url') }))).code).toBe(
        'validation_failed',
      );
    }
  });

  it('switches a product off and on, audited as product.update', async () => {
    const p = await seedProduct(t.db, a.merchantId, { title: 'Toggle me' });
    await setProductActive(t.db, a.actor, { productId: p.id, active: false });
    expect((await row(p.id)).active).toBe(false);
    await setProductActive(t.db, a.actor, { productId: p.id, active: true });
    expect((await row(p.id)).active).toBe(true);
    expect((await auditOf(p.id)).map((e) => e.action)).toEqual(['product.update', 'product.update']);
  });

  it('moves a product up and down even when every sort is equal; first stays first', async () => {
    const m = await seedMerchant(t.db);
    const [p1, p2, p3] = [
      await seedProduct(t.db, m.merchantId, { title: '1' }),
      await seedProduct(t.db, m.merchantId, { title: '2' }),
      await seedProduct(t.db, m.merchantId, { title: '3' }),
    ];
    const order = async () => (await listMerchantProducts(t.db, m.merchantId)).rows.map((r) => r.title);
    expect(await order()).toEqual(['1', '2', '3']);
    await moveProduct(t.db, m.actor, { productId: p3!.id, direction: 'up' });
    expect(await order()).toEqual(['1', '3', '2']);
    await moveProduct(t.db, m.actor, { productId: p1!.id, direction: 'down' });
    expect(await order()).toEqual(['3', '1', '2']);
    await moveProduct(t.db, m.actor, { productId: p3!.id, direction: 'up' }); // already first
    await moveProduct(t.db, m.actor, { productId: p2!.id, direction: 'down' }); // already last
    expect(await order()).toEqual(['3', '1', '2']);
  });
});

describe('categories', () => {
  it('creates (slug from the name when not given), renames, sorts and lists with product counts', async () => {
    const m = await seedMerchant(t.db);
    const games = await createCategory(t.db, m.actor, { name: '游戏点卡' });
    const video = await createCategory(t.db, m.actor, { name: 'Video', slug: 'video' });
    expect(games.slug).toMatch(/^[a-z0-9][a-z0-9-]*$/);
    expect(video.sort).toBeGreaterThan(games.sort);
    await seedProduct(t.db, m.merchantId, { categoryId: video.id });
    await updateCategory(t.db, m.actor, games.id, { name: '游戏' });
    await moveCategory(t.db, m.actor, { categoryId: video.id, direction: 'up' });
    expect((await listMerchantCategories(t.db, m.merchantId)).map((c) => [c.name, c.productCount])).toEqual([
      ['Video', 1],
      ['游戏', 0],
    ]);
    expect(await outcome(createCategory(t.db, m.actor, { name: 'Again', slug: 'video' }))).toEqual({
      code: 'conflict',
      fields: { slug: { code: 'taken' } },
    });
    expect((await outcome(createCategory(t.db, m.actor, { name: '' }))).code).toBe('validation_failed');
  });

  it('refuses to delete a category while a product uses it; deletes it once empty', async () => {
    const m = await seedMerchant(t.db);
    const cat = await createCategory(t.db, m.actor, { name: 'In use' });
    const p = await seedProduct(t.db, m.merchantId, { categoryId: cat.id });
    const r = await outcome(deleteCategory(t.db, m.actor, cat.id));
    expect(r).toEqual({ code: 'conflict', fields: { category: { code: 'in_use' } } });
    expect(await t.db.select().from(categories).where(eq(categories.id, cat.id))).toHaveLength(1);

    await updateProduct(t.db, m.actor, p.id, { categoryId: null });
    await deleteCategory(t.db, m.actor, cat.id);
    expect(await t.db.select().from(categories).where(eq(categories.id, cat.id))).toHaveLength(0);
    expect((await auditOf(cat.id)).map((e) => e.action)).toEqual(['category.create', 'category.delete']);
  });

  it("another merchant's category is not_found for rename, move and delete, and stays", async () => {
    const theirs = await createCategory(t.db, b.actor, { name: 'Theirs' });
    expect((await outcome(updateCategory(t.db, a.actor, theirs.id, { name: 'Mine' }))).code).toBe('not_found');
    expect((await outcome(moveCategory(t.db, a.actor, { categoryId: theirs.id, direction: 'up' }))).code).toBe('not_found');
    expect((await outcome(deleteCategory(t.db, a.actor, theirs.id))).code).toBe('not_found');
    const [still] = await t.db.select().from(categories).where(eq(categories.id, theirs.id));
    expect(still?.name).toBe('Theirs');
    const [{ n }] = (await t.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_log WHERE target_id = ${theirs.id} AND merchant_id = ${a.merchantId}`,
    )) as unknown as [{ n: number }];
    expect(n).toBe(0);
  });
});
