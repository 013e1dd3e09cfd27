import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditLog, merchants, paymentChannels, users } from '@/db/schema';
import {
  chooseDefaultMerchant,
  createAdmin,
  createAgentUser,
  createMerchant,
  getDefaultMerchant,
  listMerchants,
  sessionUser,
  setMerchantStatus,
  verifyLogin,
} from '@/lib/accounts';
import { systemActor, type Actor } from '@/lib/audit';
import { authenticateApiKey } from '@/lib/auth';
import { createAgent } from '@/lib/agents';
import { resetConfig } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { createOrder } from '@/lib/orders';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';

let t: TestDb;
let actor: Actor;

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof AppError ? e.code : `error: ${String(e)}`),
  );
const auditsOf = (action: string) => t.db.select().from(auditLog).where(eq(auditLog.action, action));

beforeAll(async () => {
  t = await createTestDatabase();
  const admin = await createAdmin(t.db, systemActor(), { email: 'root@example.test', password: 'admin password 1' });
  actor = { kind: 'user', id: admin.userId, merchantId: null, ip: '203.0.113.9' };
});
afterAll(async () => dropTestDatabase(t));

describe('merchants for the platform admin', () => {
  it('creates a merchant (first one becomes the default shop), returns its API key once, audits merchant.create', async () => {
    const created = await createMerchant(t.db, actor, { email: 'Shop1@Example.test', password: 'shop password 1', slug: 'shop-one', name: 'Shop One' });
    expect(created.apiKey).toMatch(/^ofk_/);
    expect((await authenticateApiKey(t.db, `Bearer ${created.apiKey}`)).merchantId).toBe(created.merchantId);
    expect((await getDefaultMerchant(t.db))?.id).toBe(created.merchantId);
    const [audit] = await auditsOf('merchant.create');
    expect(audit).toMatchObject({ merchantId: created.merchantId, actorId: actor.id, targetId: created.merchantId, ip: actor.ip, success: true });
    // The key itself is nowhere in the audit row.
    expect(JSON.stringify(audit)).not.toContain(created.apiKey);
  });

  it('refuses a taken slug or e-mail and a short password with field errors, creating nothing', async () => {
    const before = await t.db.select({ n: sql<number>`count(*)::int` }).from(merchants);
    const taken = await createMerchant(t.db, actor, { email: 'other@example.test', password: 'shop password 1', slug: 'shop-one' }).catch((e: AppError) => e);
    expect(taken).toMatchObject({ code: 'conflict', fields: { slug: { code: 'taken' } } });
    const email = await createMerchant(t.db, actor, { email: 'shop1@example.test', password: 'shop password 1', slug: 'shop-x' }).catch((e: AppError) => e);
    expect(email).toMatchObject({ code: 'conflict', fields: { email: { code: 'taken' } } });
    const short = await createMerchant(t.db, actor, { email: 'new@example.test', password: 'short', slug: 'shop-y' }).catch((e: AppError) => e);
    expect(short).toMatchObject({ code: 'validation_failed' });
    expect((short as AppError).fields).toHaveProperty('password');
    expect(await t.db.select({ n: sql<number>`count(*)::int` }).from(merchants)).toEqual(before);
    expect(await auditsOf('merchant.create')).toHaveLength(1);
  });

  it("a new shop's demo channel (it pays without money) starts disabled outside development, enabled in development", async () => {
    const demoOf = async (merchantId: string) =>
      (
        await t.db
          .select()
          .from(paymentChannels)
          .where(and(eq(paymentChannels.merchantId, merchantId), eq(paymentChannels.kind, 'demo')))
      )[0]!;
    const outside = await createMerchant(t.db, actor, { email: 'prod@example.test', password: 'shop password 1', slug: 'shop-prod' });
    expect((await demoOf(outside.merchantId)).enabled).toBe(false);
    vi.stubEnv('NODE_ENV', 'development');
    resetConfig();
    try {
      const dev = await createMerchant(t.db, actor, { email: 'dev@example.test', password: 'shop password 1', slug: 'shop-dev' });
      expect((await demoOf(dev.merchantId)).enabled).toBe(true);
    } finally {
      vi.unstubAllEnvs();
      resetConfig();
    }
  });

  it('lists merchants with owner, product and order counts and the default flag', async () => {
    const m = await seedMerchant(t.db, 'counted');
    const product = await seedProduct(t.db, m.merchantId, { keys: 3 });
    await seedProduct(t.db, m.merchantId);
    await createOrder(t.db, { productId: product.id, email: 'b@example.test', channel: m.demoChannelId }, { merchantId: m.merchantId });
    const { merchants: rows } = await listMerchants(t.db);
    const row = rows.find((r) => r.id === m.merchantId);
    expect(row).toMatchObject({ slug: 'counted', status: 'active', ownerEmail: 'counted@example.test', products: 2, orders: 1, isDefault: false });
    expect(rows.filter((r) => r.isDefault).map((r) => r.slug)).toEqual(['shop-one']);
    // Keyset pages: one at a time walks every merchant once.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listMerchants>> = await listMerchants(t.db, { limit: 1, cursor });
      seen.push(...page.merchants.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(rows.map((r) => r.id));
    expect(await codeOf(listMerchants(t.db, { cursor: 'not-a-cursor' }))).toBe('validation_failed');
  });
});

describe('suspension', () => {
  it("a suspended merchant's shop stops selling, its sessions, sign-in and API keys stop; reactivation reopens the shop", async () => {
    const m = await seedMerchant(t.db, 'to-suspend');
    const product = await seedProduct(t.db, m.merchantId, { keys: 5 });
    await chooseDefaultMerchant(t.db, actor, { merchantId: m.merchantId });
    const [owner] = await t.db.select().from(users).where(eq(users.id, m.userId));
    expect(await sessionUser(t.db, owner!.id, owner!.sessionVersion)).not.toBeNull();

    await setMerchantStatus(t.db, actor, { merchantId: m.merchantId, status: 'suspended' });
    expect(await getDefaultMerchant(t.db)).toBeNull(); // the shop at `/` is closed
    expect(await codeOf(createOrder(t.db, { productId: product.id, email: 'b@example.test', channel: m.demoChannelId }, { merchantId: m.merchantId }))).toBe(
      'not_found',
    );
    expect(await sessionUser(t.db, owner!.id, owner!.sessionVersion)).toBeNull();
    expect((await verifyLogin(t.db, { email: 'to-suspend@example.test', password: 'correct horse battery', ip: null })).ok).toBe(false);
    expect(await codeOf(authenticateApiKey(t.db, `Bearer ${m.apiKey}`))).toBe('forbidden');
    expect(await codeOf(chooseDefaultMerchant(t.db, actor, { merchantId: m.merchantId }))).toBe('conflict');

    await setMerchantStatus(t.db, actor, { merchantId: m.merchantId, status: 'active' });
    expect((await getDefaultMerchant(t.db))?.id).toBe(m.merchantId);
    expect(await codeOf(createOrder(t.db, { productId: product.id, email: 'b@example.test', channel: m.demoChannelId }, { merchantId: m.merchantId }))).toBe(
      'ok',
    );
    // Sessions from before the suspension stay ended; a fresh sign-in works.
    expect(await sessionUser(t.db, owner!.id, owner!.sessionVersion)).toBeNull();
    expect((await verifyLogin(t.db, { email: 'to-suspend@example.test', password: 'correct horse battery', ip: null })).ok).toBe(true);

    const actions = (await t.db.select().from(auditLog).where(eq(auditLog.targetId, m.merchantId))).map((a) => a.action);
    expect(actions).toEqual(['merchant.create', 'platform.default_merchant', 'merchant.suspend', 'merchant.reactivate']);
    const [choice] = await auditsOf('platform.default_merchant');
    expect(choice).toMatchObject({ merchantId: null, actorId: actor.id });
  });

  it('an unknown merchant id is not_found and changes nothing', async () => {
    expect(await codeOf(setMerchantStatus(t.db, actor, { merchantId: '00000000-0000-4000-8000-000000000000', status: 'suspended' }))).toBe('not_found');
    expect(await codeOf(setMerchantStatus(t.db, actor, { merchantId: 'nope', status: 'suspended' }))).toBe('not_found');
    expect(await codeOf(chooseDefaultMerchant(t.db, actor, { merchantId: '00000000-0000-4000-8000-000000000000' }))).toBe('not_found');
  });
});

describe('createAgentUser', () => {
  it("creates an agent login linked to the agent; refuses a second login, a taken e-mail and another merchant's agent", async () => {
    const m = await seedMerchant(t.db, 'agent-owner');
    const other = await seedMerchant(t.db, 'agent-other');
    const agent = await createAgent(t.db, m.actor, { slug: 'reseller', name: 'Reseller', rank: 2 });
    const foreign = await createAgent(t.db, other.actor, { slug: 'reseller', name: 'Not yours' });

    const { userId } = await createAgentUser(t.db, m.actor, { agentId: agent.id, email: 'Agent@Example.test', password: 'agent password 1' });
    const login = await verifyLogin(t.db, { email: 'agent@example.test', password: 'agent password 1', ip: null });
    expect(login).toMatchObject({ ok: true, user: { id: userId, role: 'agent', merchantId: m.merchantId } });

    expect(await codeOf(createAgentUser(t.db, m.actor, { agentId: agent.id, email: 'agent2@example.test', password: 'agent password 1' }))).toBe('conflict');
    expect(await codeOf(createAgentUser(t.db, m.actor, { agentId: foreign.id, email: 'agent3@example.test', password: 'agent password 1' }))).toBe('not_found');
    const taken = await createAgentUser(t.db, other.actor, { agentId: foreign.id, email: 'agent@example.test', password: 'agent password 1' }).catch(
      (e: AppError) => e,
    );
    expect(taken).toMatchObject({ code: 'conflict', fields: { email: { code: 'taken' } } });
    expect(await codeOf(createAgentUser(t.db, other.actor, { agentId: foreign.id, email: 'x', password: 'agent password 1' }))).toBe('validation_failed');
    expect(await t.db.select({ id: users.id }).from(users).where(eq(users.role, 'agent'))).toHaveLength(1);
  });
});
