// The admin actions check the role themselves: a merchant, an agent or a signed-out caller is
// refused and nothing changes; an admin gets through. Auth.js is replaced by a settable session.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { auditLog, merchants, users } from '@/db/schema';
import { createAdmin, createAgentUser, getDefaultMerchant } from '@/lib/accounts';
import { createAgent } from '@/lib/agents';
import { systemActor } from '@/lib/audit';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant } from '@/test/fixtures';

const session = vi.hoisted(() => ({ claims: null as null | { uid: string; role: string; mid: string | null; sv: number } }));
vi.mock('@/app/(auth)/auth', () => ({ auth: async () => session.claims }));
vi.mock('next/headers', () => ({ headers: async () => new Headers({ 'x-openfaka-peer': '198.51.100.7' }) }));
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));
vi.mock('next-intl/server', () => ({ getTranslations: async () => (key: string) => key, getLocale: async () => 'en' }));

const { chooseDefaultMerchantAction, createMerchantAction, setMerchantStatusAction } = await import('./actions');

let t: TestDb;
let admin: { uid: string; role: string; mid: null; sv: number };
let merchant: Awaited<ReturnType<typeof seedMerchant>>;
let other: Awaited<ReturnType<typeof seedMerchant>>;
let agentUid: string;

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

beforeAll(async () => {
  t = await createTestDatabase();
  admin = {
    uid: (await createAdmin(t.db, systemActor(), { email: 'root@example.test', password: 'admin password 1' })).userId,
    role: 'admin',
    mid: null,
    sv: 0,
  };
  merchant = await seedMerchant(t.db, 'acting-merchant');
  other = await seedMerchant(t.db, 'other-merchant');
  const agent = await createAgent(t.db, merchant.actor, { slug: 'ag', name: 'Agent' });
  agentUid = (await createAgentUser(t.db, merchant.actor, { agentId: agent.id, email: 'agent@example.test', password: 'agent password 1' })).userId;
});
afterAll(async () => dropTestDatabase(t));
beforeEach(() => {
  session.claims = null;
});

describe('admin actions refuse everyone but the admin', () => {
  const callers = () =>
    [
      ['signed out', null, 'errors.unauthorized'],
      ['a merchant', { uid: merchant.userId, role: 'merchant', mid: merchant.merchantId, sv: 0 }, 'errors.forbidden'],
      ['an agent', { uid: agentUid, role: 'agent', mid: merchant.merchantId, sv: 0 }, 'errors.forbidden'],
    ] as const;

  it('createMerchantAction: refused, no merchant created', async () => {
    for (const [, claims, error] of callers()) {
      session.claims = claims;
      const state = await createMerchantAction({}, form({ email: 'sneaky@example.test', password: 'sneaky password', slug: 'sneaky' }));
      expect(state).toMatchObject({ error });
      expect(state.ok).toBeUndefined();
    }
    expect(await t.db.select().from(merchants).where(eq(merchants.slug, 'sneaky'))).toEqual([]);
  });

  it('setMerchantStatusAction: refused, the other merchant stays active', async () => {
    for (const [, claims, error] of callers()) {
      session.claims = claims;
      expect(await setMerchantStatusAction({}, form({ merchantId: other.merchantId, status: 'suspended' }))).toEqual({ error });
    }
    const [row] = await t.db.select().from(merchants).where(eq(merchants.id, other.merchantId));
    expect(row!.status).toBe('active');
  });

  it('chooseDefaultMerchantAction: refused, the home shop is unchanged', async () => {
    const before = (await getDefaultMerchant(t.db))?.id;
    for (const [, claims, error] of callers()) {
      session.claims = claims;
      expect(await chooseDefaultMerchantAction({}, form({ merchantId: other.merchantId }))).toEqual({ error });
    }
    expect((await getDefaultMerchant(t.db))?.id).toBe(before);
    expect(await t.db.select().from(auditLog).where(eq(auditLog.action, 'platform.default_merchant'))).toEqual([]);
  });

  it('a stale admin session (password changed since) is refused like a signed-out one', async () => {
    session.claims = { ...admin, sv: 5 };
    expect(await setMerchantStatusAction({}, form({ merchantId: other.merchantId, status: 'suspended' }))).toEqual({ error: 'errors.unauthorized' });
  });

  it('the admin creates, suspends and reactivates a merchant and chooses the home shop, audited with its address', async () => {
    session.claims = admin;
    const created = await createMerchantAction({}, form({ email: 'new-shop@example.test', password: 'new shop password', slug: 'new-shop', name: 'New shop' }));
    expect(created).toMatchObject({ ok: true, message: 'create.done', data: { apiKey: expect.stringMatching(/^ofk_/) } });
    const [shop] = await t.db.select().from(merchants).where(eq(merchants.slug, 'new-shop'));

    expect(await setMerchantStatusAction({}, form({ merchantId: shop!.id, status: 'suspended' }))).toMatchObject({ ok: true });
    expect(await chooseDefaultMerchantAction({}, form({ merchantId: shop!.id }))).toEqual({ error: 'errors.conflict' });
    expect(await setMerchantStatusAction({}, form({ merchantId: shop!.id, status: 'active' }))).toMatchObject({ ok: true });
    expect(await chooseDefaultMerchantAction({}, form({ merchantId: shop!.id }))).toMatchObject({ ok: true });
    expect((await getDefaultMerchant(t.db))?.id).toBe(shop!.id);

    // Bad input: an unknown status or a malformed id changes nothing.
    expect(await setMerchantStatusAction({}, form({ merchantId: shop!.id, status: 'deleted' }))).toMatchObject({ error: 'errors.validation_failed' });
    expect(await setMerchantStatusAction({}, form({ merchantId: 'x', status: 'suspended' }))).toEqual({ error: 'errors.not_found' });
    const duplicate = await createMerchantAction({}, form({ email: 'new-shop@example.test', password: 'new shop password', slug: 'another' }));
    expect(duplicate).toEqual({
      error: 'errors.conflict',
      fields: { email: 'Already in use.' },
      data: { values: { email: 'new-shop@example.test', slug: 'another', name: '' } },
    });
    expect(JSON.stringify(duplicate)).not.toContain('new shop password');

    const audits = await t.db.select().from(auditLog).where(eq(auditLog.targetId, shop!.id));
    expect(audits.map((a) => a.action)).toEqual(['merchant.create', 'merchant.suspend', 'merchant.reactivate', 'platform.default_merchant']);
    expect(audits.every((a) => a.actorId === admin.uid && a.ip === '198.51.100.7')).toBe(true);
    const [owner] = await t.db.select().from(users).where(eq(users.email, 'new-shop@example.test'));
    expect(owner!.role).toBe('merchant');
  });
});
