// Factories for tests: each builds real rows through the domain modules.
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { agentLevels, paymentChannels, riskPolicies } from '@/db/schema';
import { LEVEL_TEMPLATE } from '@/lib/agents';
import { createMerchant } from '@/lib/accounts';
import { systemActor, type Actor } from '@/lib/audit';
import { createProduct, type ProductInput } from '@/lib/catalog';
import { importKeys } from '@/lib/inventory';
import { createChannel } from '@/lib/payments';

/** A policy that lets one buyer place any number of orders (caps and velocity far out of reach; throwaway e-mails ignored; no pass sampled). */
export const OPEN_RISK_POLICY = {
  pendingPerAddress: 1000,
  pendingPerEmail: 1000,
  stockSharePercent: 100,
  velocityChallengeAbove: 100,
  velocityBlockAbove: 100,
  disposableEmailWeight: 0,
  passSamplePercent: 0,
};

/**
 * A merchant with the demo channel. Its risk caps are opened wide (`caps: 'open'`, the
 * default here), so tests of other behaviour can place many unpaid orders for one buyer;
 * tests of the caps ask for `caps: 'default'`, the policy every real merchant starts with.
 */
export async function seedMerchant(db: Db, slug = `m-${randomBytes(3).toString('hex')}`, opts: { caps?: 'open' | 'default' } = {}) {
  const m = await createMerchant(db, systemActor(), {
    email: `${slug}@example.test`,
    password: 'correct horse battery',
    slug,
    name: slug,
    demoChannelEnabled: true,
  });
  const [demo] = await db
    .select({ id: paymentChannels.id })
    .from(paymentChannels)
    .where(and(eq(paymentChannels.merchantId, m.merchantId), eq(paymentChannels.kind, 'demo')));
  const actor = merchantUser(m.merchantId, m.userId);
  // Written directly (no audit row): setting up the test, not a merchant's act.
  // Either way no pass is sampled into the risk log (a 1 % draw would make its counts flaky);
  // the sampling has its own test.
  const policy = (opts.caps ?? 'open') === 'open' ? OPEN_RISK_POLICY : { passSamplePercent: 0 };
  await db.insert(riskPolicies).values({ merchantId: m.merchantId, policy });
  // The seven agent levels of the template, without discounts unless a test sets them
  // (an agent's cost is then retail unless the product names one for its rank).
  await db.insert(agentLevels).values(LEVEL_TEMPLATE.map((l) => ({ merchantId: m.merchantId, rank: l.rank, name: l.names.en, holdHours: 72 })));
  return { ...m, demoChannelId: demo!.id, actor };
}

/** The merchant's own user acting from a test address, as a console session would. */
export function merchantUser(merchantId: string, userId: string, ip = '203.0.113.9'): Actor {
  return { kind: 'user', id: userId, merchantId, ip };
}

export async function seedProduct(db: Db, merchantId: string, opts: Partial<ProductInput> & { keys?: number; keyPrefix?: string } = {}) {
  const { keys = 0, keyPrefix, ...input } = opts;
  const product = await createProduct(db, systemActor(merchantId), { title: 'Test product', price: 1000, ...input });
  if (keys > 0) {
    const prefix = keyPrefix ?? `K-${product.id.slice(0, 8)}-`;
    await importKeys(db, systemActor(merchantId), { productId: product.id, keys: Array.from({ length: keys }, (_, i) => `${prefix}${i}`) });
  }
  return product;
}

export const EPAY_KEY = 'epay-merchant-key-0123456789';

export async function seedEpayChannel(db: Db, merchantId: string, gateway = 'http://127.0.0.1:9/', pid = '1001') {
  return createChannel(db, systemActor(merchantId), { kind: 'epay', name: 'Epay', config: { gateway, pid, key: EPAY_KEY } });
}

/**
 * Rate limits count in fixed windows (a minute for most rules): a burst that straddles a
 * window's end starts counting again halfway. A test's burst starts with at least 15 s of its
 * window left.
 */
export async function withinOneWindow(windowSeconds = 60): Promise<void> {
  const windowMs = windowSeconds * 1000;
  const left = windowMs - (Date.now() % windowMs);
  if (left < 15_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
