// The caps as a client meets them: the storefront's order route answers 429 too_many_pending,
// and the merchant API reads and sets the policy and reads the risk log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDefaultMerchant } from '@/lib/accounts';
import { DEFAULT_RISK_POLICY } from '@/lib/risk';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';
import { POST as placeOrder } from '@/app/api/store/orders/route';
import { GET as events } from './events/route';
import { GET as readPolicy, PUT as putPolicy } from './policy/route';
import { DELETE as deleteRule } from './rules/[id]/route';
import { GET as listRules, POST as addRule } from './rules/route';

let t: TestDb;
let m: Awaited<ReturnType<typeof seedMerchant>>;
let other: Awaited<ReturnType<typeof seedMerchant>>;

beforeAll(async () => {
  t = await createTestDatabase({ max: 20 });
  m = await seedMerchant(t.db, undefined, { caps: 'default' });
  other = await seedMerchant(t.db, undefined, { caps: 'default' });
  await setDefaultMerchant(t.db, m.merchantId);
});
afterAll(async () => dropTestDatabase(t));

const api = (path: string, method: string, body?: unknown, key = m.apiKey) =>
  new Request(`http://shop.test${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const buy = (productId: string, email: string, ip: string) =>
  placeOrder(
    new Request('http://shop.test/api/store/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-openfaka-peer': ip },
      body: JSON.stringify({ productId, quantity: 1, email, channel: m.demoChannelId }),
    }),
  );

describe('risk caps over HTTP', () => {
  it('the fourth unpaid order from one address is 429 too_many_pending, saying what to do; the log has it', async () => {
    const product = await seedProduct(t.db, m.merchantId, { keys: 50 });
    for (let i = 0; i < 3; i++) expect((await buy(product.id, `h${i}@example.test`, '198.51.100.40')).status).toBe(201);
    const refused = await buy(product.id, 'h3@example.test', '198.51.100.40');
    expect(refused.status).toBe(429);
    const body = await refused.json();
    expect(body.error.code).toBe('too_many_pending');
    expect(body.error.message).toMatch(/Pay for one of them, or wait until they expire/);

    const log = await (await events(api('/api/v1/risk/events', 'GET'))).json();
    expect(log.events).toMatchObject([
      { stage: 'order_create', action: 'block', address: '198.51.100.40', emailNorm: 'h3@example.test', reasons: [{ code: 'pending_per_address' }] },
    ]);
    // Another merchant's key reads its own, empty log.
    expect((await (await events(api('/api/v1/risk/events', 'GET', undefined, other.apiKey))).json()).events).toEqual([]);
  });

  it('the policy is read and changed through the API; a bad value is a 400 naming the field and changes nothing', async () => {
    expect(await (await readPolicy(api('/api/v1/risk/policy', 'GET'))).json()).toEqual({ policy: { ...DEFAULT_RISK_POLICY, passSamplePercent: 0 } });
    // The fields given replace the saved ones; the others keep their values.
    const saved = await putPolicy(api('/api/v1/risk/policy', 'PUT', { pendingPerAddress: 5, pendingPerEmail: 2, stockSharePercent: 30 }));
    expect(await saved.json()).toEqual({
      policy: { ...DEFAULT_RISK_POLICY, passSamplePercent: 0, pendingPerAddress: 5, pendingPerEmail: 2, stockSharePercent: 30 },
      changed: ['pendingPerAddress', 'stockSharePercent'],
    });
    const bad = await putPolicy(api('/api/v1/risk/policy', 'PUT', { pendingPerAddress: 'many', pendingPerEmail: 2, stockSharePercent: 30 }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fields.pendingPerAddress.code).toBe('invalid');
    const unknown = await putPolicy(api('/api/v1/risk/policy', 'PUT', { pendingPerAdress: 4 }));
    expect(unknown.status).toBe(400);
    const crossed = await putPolicy(api('/api/v1/risk/policy', 'PUT', { velocityChallengeAbove: 8, velocityBlockAbove: 6 }));
    expect(crossed.status).toBe(400);
    expect((await crossed.json()).error.fields.velocityBlockAbove).toMatchObject({ code: 'too_small', min: 8 });
    expect((await (await readPolicy(api('/api/v1/risk/policy', 'GET'))).json()).policy.pendingPerAddress).toBe(5);
    // The fifth order from the address of the first test now passes (cap 5).
    const product = await seedProduct(t.db, m.merchantId, { keys: 50 });
    expect((await buy(product.id, 'h5@example.test', '198.51.100.40')).status).toBe(201);
  });

  it('block rules through the API: a matching buyer gets 403 risk_blocked, which says nothing of the rule; the rule counts the hit and can be removed', async () => {
    const product = await seedProduct(t.db, m.merchantId, { keys: 20 });
    const created = await addRule(api('/api/v1/risk/rules', 'POST', { kind: 'cidr', pattern: '2001:db8:bad::/48', note: 'scraper' }));
    expect(created.status).toBe(201);
    const rule = await created.json();
    expect(rule).toMatchObject({ kind: 'cidr', pattern: '2001:db8:bad::/48', action: 'block', source: 'merchant', hitCount: 0, expiresAt: null });

    const refused = await buy(product.id, 'someone@example.test', '2001:db8:bad:1::5');
    expect(refused.status).toBe(403);
    const body = await refused.json();
    expect(body.error).toEqual({ code: 'risk_blocked', message: 'This order cannot be placed. If you think this is a mistake, please contact the shop.' });
    expect((await (await listRules(api('/api/v1/risk/rules', 'GET'))).json()).rules).toMatchObject([{ id: rule.id, hitCount: 1 }]);

    const bad = await addRule(api('/api/v1/risk/rules', 'POST', { kind: 'email_regex', pattern: '(a)\\1' }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fields.pattern.code).toBe('invalid_format');
    const params = { params: Promise.resolve({ id: rule.id }) };
    expect((await deleteRule(api(`/api/v1/risk/rules/${rule.id}`, 'DELETE', undefined, other.apiKey), params)).status).toBe(404);
    expect((await deleteRule(api(`/api/v1/risk/rules/${rule.id}`, 'DELETE'), params)).status).toBe(204);
    expect((await buy(product.id, 'someone@example.test', '2001:db8:bad:1::5')).status).toBe(201);
  });

  it('a challenge rule through the API answers 428 with a challenge; the log is filtered by action, stage and buyer', async () => {
    const product = await seedProduct(t.db, m.merchantId, { keys: 20 });
    const created = await addRule(api('/api/v1/risk/rules', 'POST', { kind: 'email', pattern: 'Check.Me+x@gmail.com', action: 'challenge' }));
    expect(await created.json()).toMatchObject({ kind: 'email', pattern: 'checkme@gmail.com', action: 'challenge' });
    expect((await addRule(api('/api/v1/risk/rules', 'POST', { kind: 'ip', pattern: '192.0.2.1', action: 'review-later' }))).status).toBe(400);

    const asked = await buy(product.id, 'checkme@gmail.com', '198.51.100.90');
    expect(asked.status).toBe(428);
    const body = await asked.json();
    expect(body.error).toMatchObject({ code: 'challenge_required', challenge: { parameters: { algorithm: 'PBKDF2/SHA-256' } } });

    const read = async (query: string) => (await (await events(api(`/api/v1/risk/events?${query}`, 'GET'))).json()).events;
    expect(await read('action=challenge')).toMatchObject([{ action: 'challenge', score: 40, emailNorm: 'checkme@gmail.com', reasons: [{ code: 'rule' }] }]);
    expect(await read(`buyer=${encodeURIComponent('check.me@googlemail.com')}`)).toHaveLength(1);
    expect(await read('buyer=198.51.100.90&stage=order_create')).toHaveLength(1);
    expect(await read('buyer=198.51.100.91')).toEqual([]);
    expect(await read('action=block&buyer=checkme@gmail.com')).toEqual([]);
  });
});
