import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, products } from '@/db/schema';
import { createProduct, deliverySecretOf, updateProduct } from '@/lib/catalog';
import { AppError } from '@/lib/errors';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant } from '@/test/fixtures';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => dropTestDatabase(t));

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: AppError) => e.code,
  );

describe('webhook-delivery products', () => {
  it('need a delivery URL; get a sealed signing secret that survives edits, shown and renewed only with an audit entry', async () => {
    const m = await seedMerchant(t.db);
    const actor = { ...m.actor, ip: '192.0.2.1' };
    const missing = await createProduct(t.db, actor, { title: 'Dyn', price: 100, deliveryType: 'webhook' }).catch((e: AppError) => e);
    expect(missing).toMatchObject({ code: 'validation_failed', fields: { deliveryUrl: { code: 'required' } } });
    const bad = await createProduct(t.db, actor, { title: 'Dyn', price: 100, deliveryType: 'webhook', deliveryUrl: 'ftp://x' }).catch((e: AppError) => e);
    expect(bad).toMatchObject({ code: 'validation_failed', fields: { deliveryUrl: { code: 'invalid_url' } } });

    const p = await createProduct(t.db, actor, { title: 'Dyn', price: 100, deliveryType: 'webhook', deliveryUrl: 'https://example.com/deliver' });
    const [row] = await t.db.select().from(products).where(eq(products.id, p.id));
    expect(row!.deliveryUrl).toBe('https://example.com/deliver');
    expect(row!.deliverySecret).not.toContain('whsec_'); // sealed at rest

    const shown = await deliverySecretOf(t.db, actor, { productId: p.id, rotate: false });
    expect(shown).toMatch(/^whsec_/);
    await updateProduct(t.db, actor, p.id, { title: 'Dyn 2' });
    expect(await deliverySecretOf(t.db, actor, { productId: p.id, rotate: false })).toBe(shown);
    const renewed = await deliverySecretOf(t.db, actor, { productId: p.id, rotate: true });
    expect(renewed).not.toBe(shown);
    const audits = await t.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, p.id));
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['product.delivery_secret_reveal', 'product.delivery_secret_rotate']));
    for (const a of await t.db.select().from(auditLog)) expect(JSON.stringify(a.detail)).not.toContain('whsec_');

    // Another merchant, and products of other delivery types, have no secret to give.
    const other = await seedMerchant(t.db);
    expect(await code(deliverySecretOf(t.db, other.actor, { productId: p.id, rotate: true }))).toBe('not_found');
    expect(await deliverySecretOf(t.db, actor, { productId: p.id, rotate: false })).toBe(renewed);
    const auto = await createProduct(t.db, actor, { title: 'Auto', price: 100 });
    expect(await code(deliverySecretOf(t.db, actor, { productId: auto.id, rotate: false }))).toBe('conflict');

    // Switching away from webhook delivery drops the URL and the secret.
    await updateProduct(t.db, actor, p.id, { deliveryType: 'manual' });
    const [after] = await t.db.select().from(products).where(eq(products.id, p.id));
    expect([after!.deliveryUrl, after!.deliverySecret]).toEqual([null, null]);
  });
});
