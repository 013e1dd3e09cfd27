// Velocity, throwaway e-mails and challenge rules as a buyer meets them over HTTP: past the
// policy's limit the order is answered 428 challenge_required with a proof of work; the
// solved challenge places the order once and never twice; past the block limit the address
// is blocked for minutes by a rule the merchant sees.
import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { riskRules } from '@/db/schema';
import { setDefaultMerchant } from '@/lib/accounts';
import { createRiskRule, encodeSolution, listRiskEvents, redeemChallenge, issueChallenge, updateRiskPolicy } from '@/lib/risk';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct, withinOneWindow } from '@/test/fixtures';
import { POST as placeOrder } from './route';

let t: TestDb;
let m: Awaited<ReturnType<typeof seedMerchant>>;
let productId: string;

beforeAll(async () => {
  t = await createTestDatabase({ max: 20 });
  m = await seedMerchant(t.db);
  await setDefaultMerchant(t.db, m.merchantId);
  // The default velocity and e-mail weights, a light challenge so the test solves it quickly.
  await updateRiskPolicy(t.db, m.actor, {
    velocityChallengeAbove: 5,
    velocityBlockAbove: 10,
    velocityBlockMinutes: 10,
    disposableEmailWeight: 40,
    challengeWork: 200,
  });
  productId = (await seedProduct(t.db, m.merchantId, { keys: 100 })).id;
});
afterAll(async () => dropTestDatabase(t));

let n = 0;
const buy = (ip: string, extra: Record<string, unknown> = {}, email = `b${n++}@example.test`) =>
  placeOrder(
    new Request('http://shop.test/api/store/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-openfaka-peer': ip },
      body: JSON.stringify({ productId, quantity: 1, email, channel: m.demoChannelId, ...extra }),
    }),
  );

async function solve(challenge: Challenge): Promise<string> {
  const solution = await solveChallenge({ challenge, deriveKey });
  return encodeSolution(challenge, solution!);
}

describe('the challenge', () => {
  it('the sixth order in a minute from one address gets 428 with a challenge; solved, the order goes through; the log has both', async () => {
    const ip = '198.51.100.61';
    await withinOneWindow();
    for (let i = 0; i < 5; i++) expect((await buy(ip)).status).toBe(201);
    const asked = await buy(ip);
    expect(asked.status).toBe(428);
    const body = await asked.json();
    expect(body.error.code).toBe('challenge_required');
    expect(body.error.challenge.parameters).toMatchObject({ algorithm: 'PBKDF2/SHA-256', cost: 500, data: { m: m.merchantId, s: 'order_create' } });
    // The secret counter the buyer must find is not in the challenge, only its signed key prefix.
    expect(JSON.stringify(body.error.challenge)).not.toMatch(/counter/);

    const placed = await buy(ip, { challenge: await solve(body.error.challenge) });
    expect(placed.status).toBe(201);

    const { events } = await listRiskEvents(t.db, m.merchantId);
    expect(events.slice(0, 2)).toMatchObject([
      { action: 'pass', score: 40, address: ip, orderNo: (await placed.json()).orderNo, reasons: [{ code: 'velocity' }, { code: 'challenge_solved' }] },
      { action: 'challenge', score: 40, address: ip, reasons: [{ code: 'velocity', weight: 40, detail: { attempts: 6, limit: 5 } }] },
    ]);
  });

  it('a solution works once: sent again — one after the other or at the same time — it is answered with a fresh challenge', async () => {
    const ip = '198.51.100.62';
    for (let i = 0; i < 5; i++) await buy(ip);
    const challenge = (await (await buy(ip)).json()).error.challenge;
    const solution = await solve(challenge);
    const both = await Promise.all([buy(ip, { challenge: solution }), buy(ip, { challenge: solution })]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 428]);
    const again = await buy(ip, { challenge: solution });
    expect(again.status).toBe(428);
    const body = await again.json();
    expect(body.error.message).toMatch(/expired or was used already/);
    expect(body.error.challenge.signature).not.toBe(challenge.signature);
  });

  it('a forged, tampered, foreign or malformed solution is refused; nothing is placed', async () => {
    // A throwaway e-mail is challenged on every order (its own address each time: no velocity).
    const email = 'tries@yopmail.com';
    const challenge: Challenge = (await (await buy('198.51.100.70', {}, email)).json()).error.challenge;
    const good = await solve(challenge);
    const decoded = JSON.parse(Buffer.from(good, 'base64').toString());
    const key: string = decoded.solution.derivedKey;
    const wrongKey = encodeSolution(challenge, { ...decoded.solution, derivedKey: (key[0] === '0' ? '1' : '0') + key.slice(1) });
    const otherShop = await issueChallenge('00000000-0000-4000-8000-000000000000', 'order_create', 200);
    const foreign = await solve(otherShop);
    const tampered = encodeSolution({ ...challenge, parameters: { ...challenge.parameters, cost: 1 } }, decoded.solution);
    const bads = [wrongKey, foreign, tampered, 'not base64 at all', Buffer.from('{"challenge":1}').toString('base64'), 'x'.repeat(5000)];
    for (const [i, bad] of bads.entries()) {
      const r = await buy(`198.51.100.${71 + i}`, { challenge: bad }, email);
      expect(r.status).toBe(428);
    }
    // The good one still works: the refusals consumed nothing.
    expect((await buy('198.51.100.79', { challenge: good }, email)).status).toBe(201);
  });

  it('an expired challenge is refused', async () => {
    const challenge = await issueChallenge(m.merchantId, 'order_create', 100);
    const expired = { ...challenge, parameters: { ...challenge.parameters, expiresAt: Math.floor(Date.now() / 1000) - 1 } };
    // Re-signing is not possible without the secret: an expiry moved back breaks the signature too.
    expect(await redeemChallenge(t.db, await solve(expired), m.merchantId, 'order_create')).not.toBe('solved');
    expect(await redeemChallenge(t.db, await solve(challenge), m.merchantId, 'order_create')).toBe('solved');
  });

  it('the eleventh attempt blocks the address for the policy minutes with a rule the merchant sees; other addresses are untouched', async () => {
    const ip = '198.51.100.64';
    const statuses: number[] = [];
    await withinOneWindow();
    for (let i = 0; i < 12; i++) statuses.push((await buy(ip)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 428, 428, 428, 428, 428, 403, 403]);
    const [auto] = await t.db.select().from(riskRules).where(eq(riskRules.pattern, ip));
    expect(auto).toMatchObject({ kind: 'ip', action: 'block', source: 'velocity', merchantId: m.merchantId });
    const minutes = (auto!.expiresAt!.getTime() - auto!.createdAt.getTime()) / 60_000;
    expect(minutes).toBeGreaterThan(9.9);
    expect(minutes).toBeLessThan(10.1);
    // The twelfth was refused by that rule, which counts it.
    expect(auto!.hitCount).toBe(1);
    expect((await buy('198.51.100.65')).status).toBe(201);
  });

  it('IPv6: the addresses of one /64 share the count, and the block is of the /64', async () => {
    const statuses: number[] = [];
    await withinOneWindow();
    for (let i = 0; i < 11; i++) statuses.push((await buy(`2001:db8:77:1::${(i + 1).toString(16)}`)).status);
    expect(statuses.slice(5)).toEqual([428, 428, 428, 428, 428, 403]);
    const [auto] = await t.db.select().from(riskRules).where(eq(riskRules.pattern, '2001:db8:77:1::/64'));
    expect(auto).toMatchObject({ kind: 'cidr', source: 'velocity' });
    expect((await buy('2001:db8:77:2::1')).status).toBe(201);
  });

  it('a throwaway e-mail is challenged at once (weight 40); a challenge rule challenges whom it matches', async () => {
    const r = await buy('198.51.100.66', {}, 'someone@mailinator.com');
    expect(r.status).toBe(428);
    const { events } = await listRiskEvents(t.db, m.merchantId, { limit: 1 });
    expect(events[0]).toMatchObject({ action: 'challenge', reasons: [{ code: 'disposable_email', detail: { domain: 'mailinator.com' } }] });

    await createRiskRule(t.db, m.actor, { kind: 'email_domain', pattern: 'suspicious.test', action: 'challenge' });
    const asked = await buy('198.51.100.67', {}, 'x@suspicious.test');
    expect(asked.status).toBe(428);
    const challenge = (await asked.json()).error.challenge;
    expect((await buy('198.51.100.67', { challenge: await solve(challenge) }, 'x@suspicious.test')).status).toBe(201);
    expect((await buy('198.51.100.67', {}, 'y@fine.test')).status).toBe(201);
  });

  it('a sample of the passes is logged as the policy says: all at 100 %, none at 0 %', async () => {
    await updateRiskPolicy(t.db, m.actor, { passSamplePercent: 100 });
    const placed = await (await buy('198.51.100.68')).json();
    const { events } = await listRiskEvents(t.db, m.merchantId, { limit: 1 });
    expect(events[0]).toMatchObject({ action: 'pass', score: 0, reasons: [], orderNo: placed.orderNo });
    await updateRiskPolicy(t.db, m.actor, { passSamplePercent: 0 });
    await buy('198.51.100.69');
    expect((await listRiskEvents(t.db, m.merchantId, { limit: 1 })).events[0]!.orderNo).toBe(placed.orderNo);
  });
});
