import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateApiKey, createApiKey, listApiKeys, revokeApiKey } from '@/lib/auth';
import { seedMerchant } from '@/test/fixtures';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';

let t: TestDb;
let a: Awaited<ReturnType<typeof seedMerchant>>;
let b: Awaited<ReturnType<typeof seedMerchant>>;
beforeAll(async () => {
  t = await createTestDatabase();
  a = await seedMerchant(t.db);
  b = await seedMerchant(t.db);
});
afterAll(async () => dropTestDatabase(t));

describe('API keys in the console', () => {
  it('a revoked key no longer authenticates; a live one does', async () => {
    const k = await createApiKey(t.db, a.actor, { name: 'ci', scopes: ['orders:read'] });
    await expect(authenticateApiKey(t.db, `Bearer ${k.key}`)).resolves.toMatchObject({ merchantId: a.merchantId, prefix: k.prefix });
    await expect(revokeApiKey(t.db, a.actor, { id: k.id })).resolves.toEqual({ prefix: k.prefix, revoked: true });
    await expect(authenticateApiKey(t.db, `Bearer ${k.key}`)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('revoking twice is harmless: the second says nothing changed and keeps the first time', async () => {
    const k = await createApiKey(t.db, a.actor, { name: 'twice' });
    await revokeApiKey(t.db, a.actor, { id: k.id });
    const [first] = await t.db.execute<{ revoked_at: string }>(sql`SELECT revoked_at::text FROM api_keys WHERE id = ${k.id}`);
    await expect(revokeApiKey(t.db, a.actor, { id: k.id })).resolves.toEqual({ prefix: k.prefix, revoked: false });
    const [second] = await t.db.execute<{ revoked_at: string }>(sql`SELECT revoked_at::text FROM api_keys WHERE id = ${k.id}`);
    expect(second!.revoked_at).toBe(first!.revoked_at);
  });

  it('another merchant cannot revoke a key: not_found, and the key still works', async () => {
    const k = await createApiKey(t.db, a.actor, { name: 'mine' });
    await expect(revokeApiKey(t.db, b.actor, { id: k.id })).rejects.toMatchObject({ code: 'not_found' });
    await expect(revokeApiKey(t.db, b.actor, { id: 'not-a-uuid' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(revokeApiKey(t.db, b.actor, { id: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(authenticateApiKey(t.db, `Bearer ${k.key}`)).resolves.toMatchObject({ merchantId: a.merchantId });
  });

  it('the list holds only this merchant’s keys, by prefix, never a hash or a key', async () => {
    const k = await createApiKey(t.db, b.actor, { name: 'listed', scopes: ['products:read', 'keys:write'] });
    const list = await listApiKeys(t.db, b.merchantId);
    expect(list.map((x) => x.prefix)).toContain(k.prefix);
    expect(list.every((x) => /^ofk_[0-9a-f]{8}$/.test(x.prefix))).toBe(true);
    const mine = list.find((x) => x.id === k.id)!;
    expect(mine).toMatchObject({ name: 'listed', scopes: ['products:read', 'keys:write'], revokedAt: null, lastUsedAt: null });
    const [{ hash }] = (await t.db.execute<{ hash: string }>(sql`SELECT hash FROM api_keys WHERE id = ${k.id}`)) as unknown as [{ hash: string }];
    const text = JSON.stringify(list);
    expect(text).not.toContain(hash);
    expect(text).not.toContain(k.key);
    expect(list.every((x) => !('hash' in x) && !('key' in x))).toBe(true);
    const aPrefixes = (await listApiKeys(t.db, a.merchantId)).map((x) => x.prefix);
    expect(aPrefixes).not.toContain(k.prefix);
  });

  it('a key needs a name and at least one known scope; duplicates are dropped; a refused key is not created', async () => {
    const k = await createApiKey(t.db, a.actor, { name: '  deploy  ', scopes: ['orders:read', 'orders:read'] });
    expect({ name: k.name, scopes: k.scopes }).toEqual({ name: 'deploy', scopes: ['orders:read'] });
    const before = (await listApiKeys(t.db, a.merchantId)).length;
    await expect(createApiKey(t.db, a.actor, { name: '', scopes: ['orders:read'] })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: { name: { code: 'required' } },
    });
    await expect(createApiKey(t.db, a.actor, { name: 'x', scopes: [] })).rejects.toMatchObject({ fields: { scopes: { code: 'required' } } });
    await expect(createApiKey(t.db, a.actor, { name: 'x', scopes: ['orders:read', 'admin:all'] })).rejects.toMatchObject({
      fields: { scopes: { code: 'invalid_choice' } },
    });
    expect(await listApiKeys(t.db, a.merchantId)).toHaveLength(before);
  });
});
