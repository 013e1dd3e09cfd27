import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { products } from '@/db/schema';
import { stockOf } from '@/lib/inventory';
import { applyPayment, createOrder, getOrderForBuyer } from '@/lib/orders';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => dropTestDatabase(t));

describe('a product whose delivery type changes while orders hold its keys', () => {
  for (const to of ['manual', 'generated', 'webhook'] as const) {
    it(`auto → ${to}: a pending order still gets the keys it reserved, none left stranded`, async () => {
      const m = await seedMerchant(t.db);
      const product = await seedProduct(t.db, m.merchantId, { keys: 2, keyPrefix: `TC-${to}-` });
      const order = await createOrder(
        t.db,
        { productId: product.id, quantity: 2, email: 'tc@example.test', channel: m.demoChannelId },
        { merchantId: m.merchantId },
      );
      await t.db
        .update(products)
        .set({ deliveryType: to, deliveryUrl: to === 'webhook' ? 'https://example.com/d' : null })
        .where(eq(products.id, product.id));
      const applied = await applyPayment(t.db, m.demoChannelId, {
        outTradeNo: order.orderNo,
        tradeNo: `TC-${to}`,
        amount: order.amount,
        currency: 'CNY',
        raw: {},
      });
      expect(applied.outcome).toBe('delivered');
      expect((await getOrderForBuyer(t.db, order.orderNo, order.token)).keys?.sort()).toEqual([`TC-${to}-0`, `TC-${to}-1`]);
      expect(await stockOf(t.db, product.id)).toEqual({ available: 0, reserved: 0, sold: 2, void: 0 });
      const [dyn] = await t.db.execute<{ n: string }>(
        sql`SELECT count(*) AS n FROM outbox WHERE consumer = 'delivery.dynamic' AND payload->>'orderNo' = ${order.orderNo}`,
      );
      expect(Number(dyn!.n)).toBe(0);
    });
  }
});
