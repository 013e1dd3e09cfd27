import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentUser } from '@/lib/accounts';
import { agentForUser, createAgent, listAgentOrders } from '@/lib/agents';
import { AppError } from '@/lib/errors';
import { createOrder } from '@/lib/orders';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';

let t: TestDb;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => dropTestDatabase(t));

describe('agent view', () => {
  it('an agent login finds its agent and sees only the orders placed through its own shop, newest first, page by page', async () => {
    const m = await seedMerchant(t.db, 'agents-m');
    const other = await seedMerchant(t.db, 'agents-other');
    const gold = await createAgent(t.db, m.actor, { slug: 'gold', name: 'Gold', rank: 2 });
    const silver = await createAgent(t.db, m.actor, { slug: 'silver', name: 'Silver', rank: 1 });
    const foreign = await createAgent(t.db, other.actor, { slug: 'gold', name: 'Other gold' });
    const { userId } = await createAgentUser(t.db, m.actor, { agentId: gold.id, email: 'gold@example.test', password: 'agent password 1' });

    const product = await seedProduct(t.db, m.merchantId, { title: 'Game card', keys: 20, price: 1000, agentPrices: { '2': 900 } });
    const otherProduct = await seedProduct(t.db, other.merchantId, { keys: 5 });
    const buy = (agent: string | undefined, email: string) =>
      createOrder(t.db, { productId: product.id, email, channel: m.demoChannelId, ...(agent ? { agent } : {}) }, { merchantId: m.merchantId });
    const mine = [];
    for (let i = 0; i < 5; i++) mine.push(await buy('gold', `g${i}@example.test`));
    await buy('silver', 's@example.test');
    await buy(undefined, 'direct@example.test');
    await createOrder(
      t.db,
      { productId: otherProduct.id, email: 'o@example.test', channel: other.demoChannelId, agent: 'gold' },
      { merchantId: other.merchantId },
    );

    const agent = await agentForUser(t.db, userId);
    expect(agent).toMatchObject({ id: gold.id, slug: 'gold', level: 2, merchantId: m.merchantId });
    expect(await agentForUser(t.db, m.userId)).toBeNull(); // the merchant owner is no agent

    const scope = { merchantId: agent!.merchantId, agentId: agent!.id };
    const first = await listAgentOrders(t.db, scope, { limit: 3 });
    const second = await listAgentOrders(t.db, scope, { limit: 3, cursor: first.nextCursor });
    expect(second.nextCursor).toBeNull();
    const seen = [...first.orders, ...second.orders];
    expect(seen.map((o) => o.orderNo)).toEqual(mine.map((o) => o.orderNo).reverse());
    // The agent sells at retail; its level's cost is 900: each order earns it 100.
    expect(seen[0]).toMatchObject({ productTitle: 'Game card', amount: 1000, currency: 'CNY', status: 'pending', quantity: 1, commission: 100 });
    expect(seen[0]).not.toHaveProperty('email');

    expect((await listAgentOrders(t.db, { merchantId: m.merchantId, agentId: silver.id })).orders).toHaveLength(1);
    // Another merchant's agent id under this merchant, or this agent under another merchant: nothing.
    expect((await listAgentOrders(t.db, { merchantId: m.merchantId, agentId: foreign.id })).orders).toEqual([]);
    expect((await listAgentOrders(t.db, { merchantId: other.merchantId, agentId: gold.id })).orders).toEqual([]);
    const bad = await listAgentOrders(t.db, scope, { cursor: 'garbage' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(AppError);
    expect((bad as AppError).code).toBe('validation_failed');
  });
});
