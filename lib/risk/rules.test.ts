import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { createOrder } from '@/lib/orders';
import {
  blockOptionsFor,
  createPlatformRiskRule,
  createRiskRule,
  deletePlatformRiskRule,
  deleteRiskRule,
  explainBuyer,
  listPlatformRiskRules,
  isDisposableEmail,
  listRiskEvents,
  listRiskRules,
  updateRiskPolicy,
} from '@/lib/risk';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';

let t: TestDb;

beforeAll(async () => {
  t = await createTestDatabase({ max: 20 });
});
afterAll(async () => dropTestDatabase(t));

type Merchant = Awaited<ReturnType<typeof seedMerchant>>;

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof AppError ? e.code : `error: ${String(e)}`),
  );

async function shopWithProduct() {
  const m = await seedMerchant(t.db);
  const product = await seedProduct(t.db, m.merchantId, { keys: 200 });
  const order = (email: string, ip: string | null = null) =>
    outcome(createOrder(t.db, { productId: product.id, email, channel: m.demoChannelId }, { merchantId: m.merchantId, buyerIp: ip }));
  return { m, product, order };
}

const rule = (m: Merchant, kind: string, pattern: string, extra: Record<string, unknown> = {}) => createRiskRule(t.db, m.actor, { kind, pattern, ...extra });

describe('block rules', () => {
  it('an e-mail rule blocks the buyer in any of its spellings, and nobody else', async () => {
    const { m, order } = await shopWithProduct();
    await rule(m, 'email', 'Bad.Guy+shop@gmail.com');
    expect(await order('badguy@gmail.com')).toBe('risk_blocked');
    expect(await order('b.a.d.g.u.y+x@googlemail.com')).toBe('risk_blocked');
    expect(await order('goodguy@gmail.com')).toBe('ok');
  });

  it('a domain rule blocks the domain and its subdomains, not a domain that merely ends the same', async () => {
    const { m, order } = await shopWithProduct();
    await rule(m, 'email_domain', '@Mailinator.com');
    expect(await order('x@mailinator.com')).toBe('risk_blocked');
    expect(await order('x@eu.mailinator.com')).toBe('risk_blocked');
    expect(await order('x@notmailinator.com')).toBe('ok');
  });

  it('address and range rules, IPv4 and IPv6: exact, /24, /48, /0; a v4-mapped IPv6 address matches the IPv4 rule', async () => {
    const { m, order } = await shopWithProduct();
    await rule(m, 'ip', '192.0.2.7');
    await rule(m, 'cidr', '198.51.100.99/24'); // stored as its network, 198.51.100.0/24
    await rule(m, 'cidr', '2001:db8:abcd::/48');
    expect(await order('a@example.test', '192.0.2.7')).toBe('risk_blocked');
    expect(await order('b@example.test', '::ffff:192.0.2.7')).toBe('risk_blocked');
    expect(await order('c@example.test', '192.0.2.8')).toBe('ok');
    expect(await order('d@example.test', '198.51.100.1')).toBe('risk_blocked');
    expect(await order('e@example.test', '198.51.101.1')).toBe('ok');
    expect(await order('f@example.test', '2001:db8:abcd:12::1')).toBe('risk_blocked');
    expect(await order('g@example.test', '2001:db8:abce::1')).toBe('ok');
    expect((await listRiskRules(t.db, m.merchantId)).map((r) => r.pattern)).toEqual(['2001:db8:abcd::/48', '198.51.100.0/24', '192.0.2.7']);
    // /0 of one family is every address of that family, and none of the other.
    const all4 = await rule(m, 'cidr', '0.0.0.0/0');
    expect(await order('h@example.test', '203.0.113.200')).toBe('risk_blocked');
    expect(await order('i@example.test', '2001:db8:ffff::1')).toBe('ok');
    await deleteRiskRule(t.db, m.actor, all4.id);
    expect(await order('j@example.test', '203.0.113.200')).toBe('ok');
  });

  it('a pattern rule runs under RE2: `^(a+)+$` against a long e-mail cannot stall the server', async () => {
    const { m, order } = await shopWithProduct();
    await rule(m, 'email_regex', '^(a+)+$');
    await rule(m, 'email_regex', '^shop[0-9]{3,}@');
    expect(await order(`${'a'.repeat(63)}b@example.test`)).toBe('ok');
    expect(await order('shop1234@example.test')).toBe('risk_blocked');
    expect(await order('shop12@example.test')).toBe('ok');
  });

  it('a blocked order changes nothing, is in the risk log with its rule, and counts a hit', async () => {
    const { m, product, order } = await shopWithProduct();
    const r = await rule(m, 'email', 'spam@example.test', { note: 'chargeback 2026-11' });
    expect(await order('spam@example.test', '203.0.113.9')).toBe('risk_blocked');
    const [{ n }] = (await t.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM orders WHERE product_id = ${product.id}`)) as unknown as [
      { n: number },
    ];
    expect(n).toBe(0);
    const [event] = (await listRiskEvents(t.db, m.merchantId)).events;
    expect(event).toMatchObject({ action: 'block', emailNorm: 'spam@example.test', address: '203.0.113.9' });
    expect(event).toMatchObject({ score: 100 });
    expect(event!.reasons).toEqual([{ code: 'rule', weight: 100, detail: { ruleId: r.id, kind: 'email', pattern: 'spam@example.test', action: 'block' } }]);
    expect((await listRiskRules(t.db, m.merchantId))[0]).toMatchObject({ hitCount: 1, note: 'chargeback 2026-11' });
  });

  it('an expired rule blocks nothing; a rule for an hour blocks now', async () => {
    const { m, order } = await shopWithProduct();
    await rule(m, 'email', 'past@example.test', { expiresAt: new Date(Date.now() - 1000).toISOString() });
    await rule(m, 'email', 'hour@example.test', { expiresIn: '1h' });
    expect(await order('past@example.test')).toBe('ok');
    expect(await order('hour@example.test')).toBe('risk_blocked');
  });

  it('bad patterns are refused when saved; merchant A’s rules never touch merchant B’s shop', async () => {
    const { m } = await shopWithProduct();
    const refused = (kind: string, pattern: string) => rule(m, kind, pattern).catch((e: AppError) => e.fields?.pattern?.code ?? e.code);
    expect(await refused('email', 'not-an-email')).toBe('invalid_email');
    expect(await refused('cidr', '10.0.0.0/33')).toBe('invalid_format');
    expect(await refused('cidr', '2001:db8::/129')).toBe('invalid_format');
    expect(await refused('ip', '300.1.1.1')).toBe('invalid_format');
    expect(await refused('email_domain', 'no_tld')).toBe('invalid_format');
    expect(await refused('email_regex', '(?=lookahead)')).toBe('invalid_format');
    expect(await refused('email_regex', 'x'.repeat(257))).toBe('too_long');
    await rule(m, 'cidr', '10.0.0.0/8');
    expect(await refused('cidr', '10.20.30.40/8')).toBe('duplicate');
    await deleteRiskRule(t.db, m.actor, (await listRiskRules(t.db, m.merchantId))[0]!.id);
    expect(await listRiskRules(t.db, m.merchantId)).toEqual([]);

    const b = await shopWithProduct();
    await rule(m, 'email', 'shared@example.test');
    await rule(m, 'cidr', '0.0.0.0/0');
    expect(await b.order('shared@example.test', '192.0.2.1')).toBe('ok');
    const theirs = await rule(b.m, 'email', 'theirs@example.test');
    await expect(deleteRiskRule(t.db, m.actor, theirs.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('one click from an order or a log entry offers the address (and its /64), the e-mail and the domain', async () => {
    expect(blockOptionsFor({ address: '::ffff:203.0.113.9', email: 'A.B+x@Gmail.com' })).toEqual([
      { kind: 'ip', pattern: '203.0.113.9' },
      { kind: 'email', pattern: 'ab@gmail.com' },
      { kind: 'email_domain', pattern: 'gmail.com' },
    ]);
    expect(blockOptionsFor({ address: '2001:db8:1:2::7' })).toEqual([
      { kind: 'ip', pattern: '2001:db8:1:2::7' },
      { kind: 'cidr', pattern: '2001:db8:1:2::/64' },
    ]);
    // The risk log keeps IPv6 buyers by their /64 already; each offer is a rule that can be saved.
    const { m, order } = await shopWithProduct();
    const [offer] = blockOptionsFor({ address: '2001:db8:1:2::/64' });
    expect(offer).toEqual({ kind: 'cidr', pattern: '2001:db8:1:2::/64' });
    await createRiskRule(t.db, m.actor, { ...offer, expiresIn: '24h' });
    expect(await order('v6@example.test', '2001:db8:1:2:ffff::1')).toBe('risk_blocked');
  });
});

describe('the test box (explainBuyer)', () => {
  it('says what an order from an address or e-mail would meet, with the same rules and weights as checkout, and writes nothing', async () => {
    const { m, order } = await shopWithProduct();
    await rule(m, 'cidr', '192.0.2.0/24');
    await rule(m, 'email_regex', '^bot[0-9]+@', { action: 'challenge' });
    expect(await order('held@example.test', '198.51.100.3')).toBe('ok');

    const blocked = await explainBuyer(t.db, m.merchantId, { address: '::ffff:192.0.2.9' });
    expect(blocked.verdict).toMatchObject({ action: 'block', score: 100, reasons: [{ code: 'rule', detail: { kind: 'cidr', pattern: '192.0.2.0/24' } }] });
    const challenged = await explainBuyer(t.db, m.merchantId, { email: 'bot42@example.test' });
    expect(challenged.verdict).toMatchObject({ action: 'challenge', score: 40 });
    // The seeded merchant ignores throwaway domains; the default policy weighs them 40.
    expect((await explainBuyer(t.db, m.merchantId, { email: 'x@sub.mailinator.com' })).verdict.action).toBe('pass');
    await updateRiskPolicy(t.db, m.actor, { disposableEmailWeight: 40 });
    expect((await explainBuyer(t.db, m.merchantId, { email: 'x@sub.mailinator.com' })).verdict).toMatchObject({
      action: 'challenge',
      reasons: [{ code: 'disposable_email', detail: { domain: 'sub.mailinator.com' } }],
    });
    const held = await explainBuyer(t.db, m.merchantId, { address: '198.51.100.3', email: 'Held+x@example.test' });
    expect(held).toMatchObject({ verdict: { action: 'pass', reasons: [] }, held: { byAddress: 1, byEmail: 1 } });

    // Nothing counted, nothing logged.
    expect((await listRiskRules(t.db, m.merchantId)).map((r) => r.hitCount)).toEqual([0, 0]);
    expect((await listRiskEvents(t.db, m.merchantId)).events).toEqual([]);
    await expect(explainBuyer(t.db, m.merchantId, {})).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(explainBuyer(t.db, m.merchantId, { address: 'not-an-ip' })).rejects.toMatchObject({ fields: { address: { code: 'invalid_format' } } });
  });

  it('throwaway domains: listed ones and subdomains of the wildcard ones; common mail providers are not', () => {
    for (const e of ['a@mailinator.com', 'a@eu.mailinator.com', 'a@yopmail.com', 'a@guerrillamail.com']) expect(isDisposableEmail(e), e).toBe(true);
    for (const e of ['a@qq.com', 'a@163.com', 'a@gmail.com', 'a@outlook.com', 'a@example.org']) expect(isDisposableEmail(e), e).toBe(false);
  });
});

describe('platform rules', () => {
  it("the admin's rule applies in every shop, shows in each merchant's list, read-only; only the admin removes it", async () => {
    const a = await shopWithProduct();
    const b = await shopWithProduct();
    const admin = { kind: 'user' as const, id: null, merchantId: null, ip: '203.0.113.1' };
    await expect(createPlatformRiskRule(t.db, a.m.actor, { kind: 'email_domain', pattern: 'fraud-ring.test' })).rejects.toMatchObject({ code: 'forbidden' });
    const rule = await createPlatformRiskRule(t.db, admin, { kind: 'email_domain', pattern: 'fraud-ring.test', note: 'chargebacks in three shops' });
    expect(rule).toMatchObject({ merchantId: null, source: 'platform' });

    expect(await a.order('x@fraud-ring.test')).toBe('risk_blocked');
    expect(await b.order('y@mx.fraud-ring.test')).toBe('risk_blocked');
    expect(await a.order('x@honest.test')).toBe('ok');
    // Each merchant sees the rule, but not the hits of the other shops.
    expect((await listRiskRules(t.db, a.m.merchantId, { platform: true })).find((r) => r.id === rule.id)).toMatchObject({
      source: 'platform',
      hitCount: 0,
      lastHitAt: null,
    });
    expect((await listRiskRules(t.db, a.m.merchantId)).map((r) => r.pattern)).not.toContain('fraud-ring.test');
    expect((await listPlatformRiskRules(t.db)).find((r) => r.id === rule.id)?.hitCount).toBe(2);

    // A merchant cannot delete it.
    await expect(deleteRiskRule(t.db, a.m.actor, rule.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(deletePlatformRiskRule(t.db, a.m.actor, rule.id)).rejects.toMatchObject({ code: 'forbidden' });
    await deletePlatformRiskRule(t.db, admin, rule.id);
    expect(await b.order('y@fraud-ring.test')).toBe('ok');
  });
});
