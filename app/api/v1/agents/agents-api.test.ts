// The reseller programme as API clients meet it: the merchant API (levels, prices, agents,
// invites, ledger, adjustments, withdrawals, refunds) and the agent API (an agent's own key),
// through the route handlers with real requests and a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinByInvite } from '@/lib/agents';
import { createOrder, handlePaymentNotification } from '@/lib/orders';
import { demoNotification, loadChannel } from '@/lib/payments';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';
import { GET as agentMe } from '@/app/api/v1/agent/route';
import { GET as agentProducts } from '@/app/api/v1/agent/products/route';
import { PUT as agentProduct } from '@/app/api/v1/agent/products/[productId]/route';
import { GET as agentWithdrawals, POST as agentWithdraw } from '@/app/api/v1/agent/withdrawals/route';
import { POST as agentInvite } from '@/app/api/v1/agent/invites/route';
import { POST as levelCreate } from '@/app/api/v1/agent-levels/route';
import { PUT as levelPrices } from '@/app/api/v1/agent-levels/[rank]/prices/route';
import { POST as inviteCreate } from '@/app/api/v1/agent-invites/route';
import { GET as withdrawalList } from '@/app/api/v1/withdrawals/route';
import { POST as withdrawalDecide } from '@/app/api/v1/withdrawals/[id]/[decision]/route';
import { POST as refund } from '@/app/api/v1/orders/[orderNo]/refunds/route';
import { GET as list, POST as create } from './route';
import { GET as read, PATCH as patch } from './[id]/route';
import { GET as ledger } from './[id]/ledger/route';
import { POST as adjust } from './[id]/adjustments/route';
import { POST as keyCreate } from './[id]/api-keys/route';
import { POST as review } from './[id]/review/route';
import { GET as report } from './report/route';

let t: TestDb;
let m: Awaited<ReturnType<typeof seedMerchant>>;
let other: Awaited<ReturnType<typeof seedMerchant>>;

beforeAll(async () => {
  t = await createTestDatabase({ max: 20 });
  m = await seedMerchant(t.db);
  other = await seedMerchant(t.db);
});
afterAll(async () => dropTestDatabase(t));

function api(path: string, method: string, body?: unknown, key = m.apiKey): Request {
  return new Request(`http://shop.test${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
const p = <T extends Record<string, string>>(v: T) => ({ params: Promise.resolve(v) });
const body = async (r: Response) => (await r.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('merchant and agent API', () => {
  it('a merchant sets up a level, prices and an agent; the agent runs its shop with its own key; money moves and the refund reverses it', async () => {
    expect(
      (await levelCreate(api('/api/v1/agent-levels', 'POST', { rank: 2, name: 'Silver', discountBp: 1000, maxMarkupBp: 5000, holdHours: 0, withdrawMin: 500 })))
        .status,
    ).toBe(201);
    const product = await seedProduct(t.db, m.merchantId, { keys: 10, price: 2000 });
    const priced = await levelPrices(api('/api/v1/agent-levels/2/prices', 'PUT', { prices: [{ productId: product.id, cost: 1500 }] }), p({ rank: '2' }));
    expect(await body(priced)).toEqual({ updated: 1 });
    // A cost above retail, or another merchant's product, is refused.
    const foreign = await seedProduct(t.db, other.merchantId, { price: 100 });
    expect((await levelPrices(api('/api/v1/agent-levels/2/prices', 'PUT', { prices: [{ productId: product.id, cost: 2001 }] }), p({ rank: '2' }))).status).toBe(
      400,
    );
    expect((await levelPrices(api('/api/v1/agent-levels/2/prices', 'PUT', { prices: [{ productId: foreign.id, cost: 1 }] }), p({ rank: '2' }))).status).toBe(
      404,
    );

    const created = await create(
      api('/api/v1/agents', 'POST', { slug: 'api-silver', name: 'API Silver', rank: 2, email: 'silver@agents.test', password: 'silver password' }),
    );
    expect(created.status).toBe(201);
    const agent = await body(created);
    expect(agent).toMatchObject({
      slug: 'api-silver',
      rank: 2,
      levelName: 'Silver',
      status: 'active',
      email: 'silver@agents.test',
      balance: { pending: 0, available: 0, held: 0, owed: 0 },
    });
    expect(agent).not.toHaveProperty('password');
    expect((await create(api('/api/v1/agents', 'POST', { slug: 'api-silver', name: 'Again', rank: 2 }))).status).toBe(409);
    expect((await read(api(`/api/v1/agents/${agent.id}`, 'GET', undefined, other.apiKey), p({ id: agent.id }))).status).toBe(404);

    const key = (await body(await keyCreate(api(`/api/v1/agents/${agent.id}/api-keys`, 'POST', { name: 'my bot' }), p({ id: agent.id })))).key as string;
    expect(key).toMatch(/^ofk_[0-9a-f]{8}_/);
    // The agent's key reaches only the agent API; the merchant's key does not reach it.
    expect((await list(api('/api/v1/agents', 'GET', undefined, key))).status).toBe(403);
    expect((await agentMe(api('/api/v1/agent', 'GET'))).status).toBe(403);
    const me = await body(await agentMe(api('/api/v1/agent', 'GET', undefined, key)));
    expect(me).toMatchObject({ id: agent.id, level: { rank: 2, name: 'Silver', maxMarkupBp: 5000 }, shop: { slug: 'api-silver' } });
    const catalogue = await body(await agentProducts(api('/api/v1/agent/products', 'GET', undefined, key)));
    expect(catalogue.items.find((i: { productId: string }) => i.productId === product.id)).toMatchObject({
      retail: 2000,
      cost: 1500,
      sale: 2000,
      listed: true,
    });

    const setMarkup = (markupBp: number) => agentProduct(api(`/api/v1/agent/products/${product.id}`, 'PUT', { markupBp }, key), p({ productId: product.id }));
    const tooHigh = await setMarkup(5001);
    expect(tooHigh.status).toBe(400);
    expect((await body(tooHigh)).error.fields.markupBp.code).toBe('out_of_range');
    const belowRetail = await setMarkup(2000); // 1500 × 1.2 = 1800 < retail 2000
    expect((await body(belowRetail)).error.fields.markupBp.code).toBe('below_retail');
    expect(await body(await setMarkup(4000))).toEqual({ listed: true, markupBp: 4000 });

    // A buyer in the agent's shop pays 2100; the hold is 0 h, so 600 is available at once.
    const order = await createOrder(
      t.db,
      { productId: product.id, email: 'buyer@example.test', channel: m.demoChannelId, agent: 'api-silver' },
      { merchantId: m.merchantId },
    );
    expect(order.amount).toBe(2100);
    const secret = ((await loadChannel(t.db, m.demoChannelId))!.config as { secret: string }).secret;
    await handlePaymentNotification(t.db, m.demoChannelId, {
      method: 'POST',
      query: {},
      body: demoNotification(secret, { orderNo: order.orderNo, amount: 2100, currency: 'CNY' }, 'T-API-1'),
    });
    const lines = (await body(await ledger(api(`/api/v1/agents/${agent.id}/ledger`, 'GET'), p({ id: agent.id })))).lines;
    expect(lines.map((l: { kind: string; amount: number; orderNo: string }) => [l.kind, l.amount, l.orderNo])).toEqual([
      ['release', 600, order.orderNo],
      ['accrue', 600, order.orderNo],
    ]);

    const withdraw = (amount: number) =>
      agentWithdraw(api('/api/v1/agent/withdrawals', 'POST', { amount, method: 'alipay', account: 'silver@alipay.test', accountName: 'Silver' }, key));
    const tooMuch = await withdraw(700);
    expect([tooMuch.status, (await body(tooMuch)).error.code]).toEqual([409, 'insufficient_balance']);
    const asked = await withdraw(600);
    expect(asked.status).toBe(201);
    const wid = (await body(asked)).id as string;
    expect((await body(await withdraw(500))).error.code).toBe('withdrawal_open');
    const pending = await body(await withdrawalList(api('/api/v1/withdrawals?status=pending', 'GET')));
    expect(pending.withdrawals).toEqual([expect.objectContaining({ id: wid, amount: 600, method: 'alipay', account: 'silver@alipay.test', agentOwes: 0 })]);
    expect((await body(await withdrawalList(api('/api/v1/withdrawals', 'GET', undefined, other.apiKey)))).withdrawals).toEqual([]);
    expect((await withdrawalDecide(api(`/api/v1/withdrawals/${wid}/pay`, 'POST', {}), p({ id: wid, decision: 'pay' }))).status).toBe(400); // no reference
    expect(
      (await withdrawalDecide(api(`/api/v1/withdrawals/${wid}/pay`, 'POST', { reference: 'X' }, other.apiKey), p({ id: wid, decision: 'pay' }))).status,
    ).toBe(404);
    const paid = await withdrawalDecide(api(`/api/v1/withdrawals/${wid}/pay`, 'POST', { reference: 'ALI-20261206-1' }), p({ id: wid, decision: 'pay' }));
    expect(await body(paid)).toMatchObject({ status: 'paid', reference: 'ALI-20261206-1' });
    expect((await withdrawalDecide(api(`/api/v1/withdrawals/${wid}/reject`, 'POST', { reason: 'late' }), p({ id: wid, decision: 'reject' }))).status).toBe(409);

    // Half the order refunded after the payout: half the commission comes back as a debt.
    const refundRequest = () => {
      const r = api(`/api/v1/orders/${order.orderNo}/refunds`, 'POST', { amount: 1050, reason: 'one key did not work', keys: 'keep' });
      r.headers.set('idempotency-key', 'refund-0001-of-api-silver');
      return refund(r, p({ orderNo: order.orderNo }));
    };
    const refunded = await refundRequest();
    expect(refunded.status).toBe(201);
    const first = await body(refunded);
    expect(first).toMatchObject({ refundId: expect.any(String), refunded: 1050, remaining: 1050 });
    // The client retries (a timeout on its side): the same refund, nothing more.
    const retried = await refundRequest();
    expect([retried.status, await body(retried)]).toEqual([200, expect.objectContaining({ refundId: first.refundId, replayed: true, refunded: 1050 })]);
    expect(
      (await refund(api(`/api/v1/orders/${order.orderNo}/refunds`, 'POST', { amount: 1051, reason: 'x', keys: 'keep' }), p({ orderNo: order.orderNo }))).status,
    ).toBe(400);
    expect(
      (
        await refund(
          api(`/api/v1/orders/${order.orderNo}/refunds`, 'POST', { amount: 10, reason: 'x', keys: 'keep' }, other.apiKey),
          p({ orderNo: order.orderNo }),
        )
      ).status,
    ).toBe(404);
    expect((await body(await read(api(`/api/v1/agents/${agent.id}`, 'GET'), p({ id: agent.id })))).balance).toEqual({
      pending: 0,
      available: 0,
      held: 0,
      owed: -300,
    });
    expect((await body(await withdraw(500))).error.code).toBe('owes_money');
    const rep = await body(await report(api('/api/v1/agents/report', 'GET')));
    expect(rep.agents.find((a: { key: string }) => a.key === agent.id)).toMatchObject({
      orders: 1,
      sales: 2100,
      commission: 300,
      refunded: 1050,
      refundRate: 0.5,
    });
    expect(rep.liability).toMatchObject({ pending: 0, available: 0, held: 0, owed: -300, total: 0 });
    expect(rep.withdrawals).toEqual([{ status: 'paid', count: 1, amount: 600 }]);
    const adjusted = await adjust(api(`/api/v1/agents/${agent.id}/adjustments`, 'POST', { amount: 300, reason: 'goodwill' }), p({ id: agent.id }));
    expect(await body(adjusted)).toEqual({ balance: { pending: 0, available: 0, held: 0, owed: 0 } });
    expect((await adjust(api(`/api/v1/agents/${agent.id}/adjustments`, 'POST', { amount: 300 }), p({ id: agent.id }))).status).toBe(400); // a reason is required

    // The agent invites a sub-agent at or below its own rank; the merchant approves the application.
    expect((await body(await agentInvite(api('/api/v1/agent/invites', 'POST', { rank: 3 }, key)))).error.fields.rank.code).toBe('rank_too_high');
    const invite = await body(await agentInvite(api('/api/v1/agent/invites', 'POST', { rank: 1, maxUses: 1 }, key)));
    const token = String(invite.url).split('/join/')[1]!;
    const joined = await joinByInvite(
      t.db,
      { token, email: 'sub@agents.test', password: 'sub agent password', name: 'Sub', slug: 'api-sub', contact: 'wx: sub' },
      '203.0.113.7',
    );
    expect(joined.status).toBe('pending');
    await expect(
      joinByInvite(t.db, { token, email: 'sub2@agents.test', password: 'sub agent password', name: 'Sub 2', slug: 'api-sub-2', contact: 'wx: sub2' }, null),
    ).rejects.toMatchObject({ code: 'not_found' });
    const applications = (await body(await list(api('/api/v1/agents?status=pending', 'GET')))).agents;
    expect(applications).toEqual([expect.objectContaining({ id: joined.agentId, slug: 'api-sub', rank: 1, parentId: agent.id, status: 'pending' })]);
    expect((await review(api(`/api/v1/agents/${joined.agentId}/review`, 'POST', { decision: 'reject' }), p({ id: joined.agentId }))).status).toBe(400);
    const approved = await body(await review(api(`/api/v1/agents/${joined.agentId}/review`, 'POST', { decision: 'approve' }), p({ id: joined.agentId })));
    expect(approved).toMatchObject({ status: 'active', parentId: agent.id });
    const merchantInvite = await inviteCreate(api('/api/v1/agent-invites', 'POST', { rank: 2, autoApprove: true, expiresAt: '2099-01-01T00:00:00Z' }));
    expect(await body(merchantInvite)).toMatchObject({ url: expect.stringMatching(/\/join\/[A-Za-z0-9_-]{16,}$/) });

    // A suspended agent keeps its key for reading and can no longer ask for money.
    expect((await body(await patch(api(`/api/v1/agents/${agent.id}`, 'PATCH', { status: 'suspended' }), p({ id: agent.id })))).status).toBe('suspended');
    expect((await withdraw(100)).status).toBe(403);
    expect((await body(await agentWithdrawals(api('/api/v1/agent/withdrawals', 'GET', undefined, key)))).withdrawals).toHaveLength(1);
  });
});
