// What every payment channel's integration test sets up: its own database, the provider's
// simulator, the shop's payment routes over HTTP (test/app-http.ts), a merchant with a
// channel of the kind configured for the simulator, and a product; then buyers' orders, the
// payment route as a buyer calls it, and the order's state after each step.
import { afterAll, beforeAll } from 'vitest';
import { systemActor } from '@/lib/audit';
import type { ProductInput } from '@/lib/catalog';
import { createOrder, type CreatedOrder } from '@/lib/orders';
import { createChannel } from '@/lib/payments';
import { startAppRoutes } from './app-http';
import { createTestDatabase, dropTestDatabase, type TestDb } from './db';
import { seedMerchant, seedProduct } from './fixtures';
import { paymentState } from './payment-state';

type Simulator = { config: Record<string, unknown>; faults: object; settle(): Promise<unknown>; close(): Promise<void> };

export function channelHarness<S extends Simulator>(opts: {
  kind: string;
  start: () => Promise<S>;
  product?: Partial<ProductInput>;
  /** After the channel exists (e.g. Stripe: the webhook endpoint the merchant registers). */
  registered?: (sim: S, notifyUrl: string) => void;
}) {
  const h = {} as {
    t: TestDb;
    sim: S;
    app: Awaited<ReturnType<typeof startAppRoutes>>;
    merchant: Awaited<ReturnType<typeof seedMerchant>>;
    channelId: string;
    productId: string;
  };
  beforeAll(async () => {
    h.t = await createTestDatabase({ max: 30 });
    h.sim = await opts.start();
    h.app = await startAppRoutes();
    h.merchant = await seedMerchant(h.t.db);
    h.channelId = (await createChannel(h.t.db, systemActor(h.merchant.merchantId), { kind: opts.kind, name: opts.kind, config: h.sim.config })).id;
    opts.registered?.(h.sim, `${h.app.base}/api/pay/${h.channelId}/notify`);
    h.productId = (await seedProduct(h.t.db, h.merchant.merchantId, { keys: 60, price: 8880, title: '月卡', ...opts.product })).id;
  });
  afterAll(async () => {
    await h.sim?.settle();
    await h.app?.close();
    await h.sim?.close();
    if (h.t) await dropTestDatabase(h.t);
  });

  let n = 0;
  return {
    h,
    /** A new buyer's order on the channel. */
    order: () =>
      createOrder(h.t.db, { productId: h.productId, email: `${opts.kind}${n++}@example.test`, channel: h.channelId }, { merchantId: h.merchant.merchantId }),
    /** GET /api/store/orders/{orderNo}/payment, as the buyer's page or app calls it. */
    paymentOf: (o: CreatedOrder) => fetch(`${h.app.base}/api/store/orders/${o.orderNo}/payment`, { headers: { Authorization: `Bearer ${o.token}` } }),
    state: (orderNo: string) => paymentState(h.t.db, orderNo),
    /** Runs `fn` with the simulator's faults set, and clears them after. */
    async withFaults<R>(fault: Partial<S['faults']>, fn: () => Promise<R>): Promise<R> {
      Object.assign(h.sim.faults, fault);
      try {
        return await fn();
      } finally {
        for (const k of Object.keys(fault)) delete (h.sim.faults as Record<string, unknown>)[k];
      }
    },
  };
}
