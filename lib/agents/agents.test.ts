import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as storeProducts } from '@/app/api/store/products/route';
import { POST as storeCreate } from '@/app/api/store/orders/route';
import { createAgent, findAgentShop } from '@/lib/agents';
import { AppError } from '@/lib/errors';
import { createOrder } from '@/lib/orders';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';

let t: TestDb;
let m: Awaited<ReturnType<typeof seedMerchant>>;
let other: Awaited<ReturnType<typeof seedMerchant>>;

beforeAll(async () => {
  t = await createTestDatabase();
  m = await seedMerchant(t.db, 'agent-shop-owner'); // the default shop
  other = await seedMerchant(t.db, 'someone-else');
  await createAgent(t.db, m.actor, { slug: 'gold', name: 'Gold reseller', rank: 2 });
  await createAgent(t.db, other.actor, { slug: 'foreign', name: 'Not ours', rank: 1 });
});
afterAll(async () => dropTestDatabase(t));

describe('agent shops', () => {
  it('an agent shop sells at retail by default, its markup on its level cost when set (no wholesale tiers), and snapshots the commission', async () => {
    const product = await seedProduct(t.db, m.merchantId, {
      keys: 10,
      price: 1000,
      agentPrices: { '2': 850 },
      wholesaleTiers: [{ minQty: 5, unitPrice: 800 }],
    });
    const ctx = { merchantId: m.merchantId };
    const direct = await createOrder(t.db, { productId: product.id, quantity: 1, email: 'a@example.test', channel: m.demoChannelId }, ctx);
    const viaAgent = await createOrder(t.db, { productId: product.id, quantity: 1, email: 'b@example.test', channel: m.demoChannelId, agent: 'gold' }, ctx);
    const bulkViaAgent = await createOrder(t.db, { productId: product.id, quantity: 5, email: 'c@example.test', channel: m.demoChannelId, agent: 'gold' }, ctx);
    // Retail in the agent's shop (its cost at rank 2 is 850); the wholesale tier is the merchant's own price.
    expect([direct.amount, viaAgent.amount, bulkViaAgent.amount]).toEqual([1000, 1000, 5000]);
    const snaps = await t.db.execute<{ commission: string; unit_cost: string; unit_sale: string }>(
      sql`SELECT s.commission, s.unit_cost, s.unit_sale FROM order_agent_snapshots s JOIN orders o ON o.id = s.order_id WHERE o.product_id = ${product.id} ORDER BY o.created_at`,
    );
    expect(snaps.map((r) => [Number(r.unit_cost), Number(r.unit_sale), Number(r.commission)])).toEqual([
      [850, 1000, 150],
      [850, 1000, 750],
    ]);
    const rows = await t.db.execute<{ order_no: string; slug: string | null }>(
      sql`SELECT o.order_no, a.slug FROM orders o LEFT JOIN agents a ON a.id = o.agent_id WHERE o.product_id = ${product.id} ORDER BY o.created_at`,
    );
    expect(rows.map((r) => r.slug)).toEqual([null, 'gold', 'gold']);
  });

  it("an unknown agent, or another merchant's agent, is refused", async () => {
    const product = await seedProduct(t.db, m.merchantId, { keys: 2 });
    for (const agent of ['nobody', 'foreign']) {
      const err = await createOrder(
        t.db,
        { productId: product.id, email: 'x@example.test', channel: m.demoChannelId, agent },
        { merchantId: m.merchantId },
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).fields).toHaveProperty('agent');
    }
    expect(await findAgentShop(t.db, m.merchantId, 'foreign')).toBeNull();
  });

  it('the storefront API lists agent prices with ?agent= and takes agent orders', async () => {
    const product = await seedProduct(t.db, m.merchantId, { keys: 3, price: 2000, agentPrices: { '2': 1700 }, slug: 'agent-priced' });
    const base = await (await storeProducts(new Request('http://shop.test/api/store/products'))).json();
    const agent = await (await storeProducts(new Request('http://shop.test/api/store/products?agent=gold'))).json();
    expect(base.products.find((p: { id: string }) => p.id === product.id).price).toBe(2000);
    expect(agent.products.find((p: { id: string }) => p.id === product.id).price).toBe(2000);
    expect((await storeProducts(new Request('http://shop.test/api/store/products?agent=foreign'))).status).toBe(404);
    const res = await storeCreate(
      new Request('http://shop.test/api/store/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ productId: product.id, quantity: 1, email: 'api@example.test', channel: m.demoChannelId, agent: 'gold' }),
      }),
    );
    expect(res.status).toBe(201);
    expect((await res.json()).amount).toBe(2000);
  });

  it('agent slugs are unique per merchant and validated', async () => {
    await expect(createAgent(t.db, m.actor, { slug: 'gold', name: 'Again' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(createAgent(t.db, m.actor, { slug: 'Bad Slug', name: 'x' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(createAgent(t.db, m.actor, { slug: 'lvl', name: 'x', rank: 8 })).rejects.toMatchObject({ code: 'validation_failed' });
    // The same slug under another merchant is fine.
    await expect(createAgent(t.db, other.actor, { slug: 'gold', name: 'Their gold' })).resolves.toMatchObject({ slug: 'gold' });
  });
});
