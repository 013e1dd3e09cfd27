import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, cardKeys, orders, paymentChannels, platformSettings } from '@/db/schema';
import { forgetCaches } from '@/lib/cache';
import { createProduct, deliverySecretOf } from '@/lib/catalog';
import { resetConfig } from '@/lib/config';
import { openFromText, sealedIn } from '@/lib/crypto';
import { deliveredItems } from '@/lib/orders';
import { FINGERPRINT_SETTING, importKeys, revealKey } from '@/lib/inventory';
import { loadChannel } from '@/lib/payments';
import { createEndpoint, listEndpoints } from '@/lib/webhooks';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedEpayChannel, seedMerchant, seedProduct } from '@/test/fixtures';
import { countStale, resealAll } from './reseal';

const OLD = process.env.KEY_ENCRYPTION_KEY!;
const NEW = randomBytes(32).toString('base64');
const keyIdOf = (b64: string) => createHash('sha256').update(Buffer.from(b64, 'base64')).digest('hex').slice(0, 8);

/** A value sealed the way versions before row binding did: no additional data, the bare key id. */
function legacySeal(plaintext: string, b64 = OLD): { keyId: string; data: Buffer } {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(b64, 'base64'), iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { keyId: keyIdOf(b64), data: Buffer.concat([iv, cipher.getAuthTag(), ct]) };
}
const legacyText = (plaintext: string) => {
  const s = legacySeal(plaintext);
  return `${s.keyId}:${s.data.toString('base64')}`;
};

function useKeys(value: string) {
  process.env.KEY_ENCRYPTION_KEY = value;
  resetConfig();
}

let t: TestDb;
let m: Awaited<ReturnType<typeof seedMerchant>>;
let other: Awaited<ReturnType<typeof seedMerchant>>;
const ids = {} as {
  productId: string;
  keyIds: number[];
  legacyKeyId: number;
  channelId: string;
  otherChannelId: string;
  webhookProductId: string;
  orderId: string;
};
let deliverySecret = '';

beforeAll(async () => {
  t = await createTestDatabase();
  m = await seedMerchant(t.db);
  other = await seedMerchant(t.db);
  const product = await seedProduct(t.db, m.merchantId);
  ids.productId = product.id;
  await importKeys(t.db, m.actor, { productId: product.id, keys: ['RS-0001', 'RS-0002', 'RS-0003'] });
  const keys = await t.db.select({ id: cardKeys.id }).from(cardKeys).where(eq(cardKeys.productId, product.id)).orderBy(cardKeys.id);
  ids.keyIds = keys.map((k) => k.id);
  // One key as an older version stored it: sealed without its row.
  ids.legacyKeyId = ids.keyIds[2]!;
  const legacy = legacySeal('RS-0003');
  await t.db.update(cardKeys).set({ secret: legacy.data, keyId: legacy.keyId }).where(eq(cardKeys.id, ids.legacyKeyId));

  ids.channelId = (await seedEpayChannel(t.db, m.merchantId)).id;
  ids.otherChannelId = (await seedEpayChannel(t.db, other.merchantId)).id;
  await createEndpoint(t.db, m.actor, { kind: 'http', name: 'ERP', url: 'https://hooks.example.com/openfaka', events: [] });
  const webhookProduct = await createProduct(t.db, m.actor, {
    title: 'Webhook card',
    price: 100,
    deliveryType: 'webhook',
    deliveryUrl: 'https://erp.example.com/deliver',
  });
  ids.webhookProductId = webhookProduct.id;
  deliverySecret = await deliverySecretOf(t.db, m.actor, { productId: webhookProduct.id, rotate: false });
  // A hand-delivered order, its contents stored the old way.
  const [order] = await t.db
    .insert(orders)
    .values({
      merchantId: m.merchantId,
      orderNo: `2026${Date.now()}`.slice(0, 24).padEnd(24, '7'),
      productId: webhookProduct.id,
      channelId: m.demoChannelId,
      email: 'hand@example.test',
      quantity: 1,
      unitPrice: 100,
      amount: 100,
      currency: 'CNY',
      status: 'delivered',
      tokenHash: 'x',
      expiresAt: new Date(Date.now() + 60_000),
      manualDelivery: legacyText('HAND-DELIVERED-1\nsecond line'),
    })
    .returning({ id: orders.id });
  ids.orderId = order!.id;
});
afterEach(() => useKeys(OLD));
afterAll(async () => dropTestDatabase(t));

const openEverything = async () => {
  const keys = await Promise.all(ids.keyIds.map(async (keyId) => (await revealKey(t.db, m.actor, { keyId })).key));
  const channel = await loadChannel(t.db, ids.channelId);
  const [order] = await t.db.select().from(orders).where(eq(orders.id, ids.orderId));
  return {
    keys,
    channelKey: (channel!.config as { key: string }).key,
    endpoints: (await listEndpoints(t.db, m.merchantId)).map((e) => e.hint),
    deliverySecret: await deliverySecretOf(t.db, m.actor, { productId: ids.webhookProductId, rotate: false }),
    manual: await deliveredItems(t.db, order!),
  };
};

describe('npm run cli -- reseal', () => {
  it('re-seals every secret under the newest key, bound to its row; the old key can then be retired and everything still opens', async () => {
    const before = await openEverything();
    expect(before.keys).toEqual(['RS-0001', 'RS-0002', 'RS-0003']);
    expect(before.manual).toEqual(['HAND-DELIVERED-1', 'second line']);
    // Under the old key alone, only the values sealed without their row are stale.
    expect(await countStale(t.db)).toMatchObject({ cardKeys: 1, manualDeliveries: 1 });

    useKeys(`${NEW},${OLD}`);
    const stale = await countStale(t.db);
    expect(stale.cardKeys).toBe(3);
    expect(stale.channelConfigs).toBe(4); // two epay channels, two demo channels
    expect(stale).toMatchObject({ webhookCredentials: 1, deliverySecrets: 1, manualDeliveries: 1, settings: 1 });
    const resealed = await resealAll(t.db);
    expect(resealed).toEqual(stale);
    expect(Object.values(await countStale(t.db)).every((n) => n === 0)).toBe(true);
    const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'platform.reseal'));
    expect(audit).toMatchObject({ actorType: 'system', merchantId: null, detail: resealed });
    // Nothing of a plaintext in what was written or audited.
    const dump = JSON.stringify(await t.db.execute(sql`SELECT row_to_json(k)::text FROM card_keys k`)) + JSON.stringify(audit);
    for (const plain of ['RS-0001', 'HAND-DELIVERED', deliverySecret]) expect(dump).not.toContain(plain);

    // Again: nothing to do.
    expect(Object.values(await resealAll(t.db)).every((n) => n === 0)).toBe(true);

    // The old key retired (and nothing served from this process's caches).
    useKeys(NEW);
    forgetCaches();
    expect(await openEverything()).toEqual(before);
    const [fp] = await t.db.select().from(platformSettings).where(eq(platformSettings.key, FINGERPRINT_SETTING));
    expect(() => openFromText((fp!.value as { sealed: string }).sealed, sealedIn.setting(FINGERPRINT_SETTING))).not.toThrow();
    // Fingerprints still match: a key imported before is a duplicate after the rotation.
    expect(await importKeys(t.db, m.actor, { productId: ids.productId, keys: ['RS-0002', 'RS-0004'] })).toEqual({ imported: 1, duplicates: 1 });
  });

  it("a ciphertext copied into another merchant's row does not open there", async () => {
    useKeys(`${NEW},${OLD}`);
    const [mine] = await t.db.select({ config: paymentChannels.config }).from(paymentChannels).where(eq(paymentChannels.id, ids.channelId));
    await t.db.update(paymentChannels).set({ config: mine!.config }).where(eq(paymentChannels.id, ids.otherChannelId));
    forgetCaches();
    await expect(loadChannel(t.db, ids.otherChannelId)).rejects.toThrow();
    // Nor a card key moved to another product of the same merchant.
    const second = await seedProduct(t.db, m.merchantId);
    await t.db
      .update(cardKeys)
      .set({ productId: second.id })
      .where(and(eq(cardKeys.id, ids.keyIds[0]!), eq(cardKeys.merchantId, m.merchantId)));
    await expect(revealKey(t.db, m.actor, { keyId: ids.keyIds[0]! })).rejects.toThrow();
  });
});
