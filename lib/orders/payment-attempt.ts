// Taking an order's money through a provider that must be called first (Alipay, WeChat Pay,
// epusdt, Stripe): the provider's payment is created once per attempt, outside any
// transaction, and stored, so the pay page and its auto-refresh, however often they load,
// show the same QR or address without calling the provider again (SPEC §5 "Payment attempts").
import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/db/client';
import { orders, paymentAttempts, type Order, type PaymentAttempt } from '@/db/schema';
import { getConfig } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { log } from '@/lib/log';
import { guardedFetch } from '@/lib/outbound';
import {
  admitCall,
  channelRefusal,
  inRollout,
  isUsable,
  loadChannel,
  notifyUrlFor,
  ProviderError,
  recordCall,
  releaseProbe,
  sameMethodChannels,
  type LoadedChannel,
  type PaymentAction,
  type PaymentMethod,
} from '@/lib/payments';
import { normaliseEmail } from '@/lib/risk';
import { getOrderStatus } from './read';

/** How long a request may hold an attempt while it calls the provider (its calls time out at 8 s). */
const LEASE_SECONDS = 20;
/** A buyer retrying a failing provider gets this many attempts per order, then a clear no. */
const MAX_ATTEMPTS = 10;
const ABANDONED = 'abandoned';

export type OrderPayment = {
  channel: { id: string; kind: string; method: PaymentMethod };
  /**
   * `ready`: `action` is what the buyer does. `creating`: another request is asking the
   * provider right now (ask again in a moment). `failed`: the provider could not take it;
   * `error` says why in the provider's words.
   */
  state: 'ready' | 'creating' | 'failed';
  action: PaymentAction | null;
  /** What the provider knows this payment by. */
  outTradeNo: string;
  error?: string;
};

export type PaymentOptions = {
  /**
   * What to do when the last attempt failed: `never` show the failure (the pay page's
   * render and auto-refresh: they never call a provider for that), `now` try again (the
   * buyer pressed "try again"), or a number of seconds the failure must be old first (the
   * API, so a polling client cannot hammer the provider).
   */
  retryFailed: 'never' | 'now' | number;
  fetchImpl?: typeof fetch;
  /** How long to wait for a concurrent request that is creating the payment. */
  waitMs?: number;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long failover may keep trying other channels for one payment (SPEC §5 "Routing"). */
const FAILOVER_DEADLINE_MS = 10_000;

type Candidate = LoadedChannel & { about: OrderPayment['channel'] };

/**
 * The channels that may take an order's payment, in order: its own channel, then the
 * merchant's other enabled channels of the same method that accept its currency and amount,
 * highest priority first.
 */
async function candidatesFor(db: Db, order: Order, own: LoadedChannel): Promise<Candidate[]> {
  const about = (c: LoadedChannel): Candidate => ({ ...c, about: { id: c.row.id, kind: c.row.kind, method: c.driver.method(c.config) } });
  const first = about(own);
  // Checkout's own rule decides whether a channel can take the order (usable, currency, limits).
  const others = (await sameMethodChannels(db, order.merchantId, first.about.method)).filter(
    (c) => c.row.id !== own.row.id && channelRefusal(c.row, { merchantId: order.merchantId, amount: order.amount, currency: order.currency }) === null,
  );
  // A channel in gradual rollout takes only its share of buyers; the others go on down the
  // list. Were that to leave nobody, the buyer is not turned away for a rollout.
  const buyer = normaliseEmail(order.email);
  const all = [first, ...others.map(about)];
  const rolled = all.filter((c) => inRollout(c.row, buyer));
  return rolled.length > 0 ? rolled : all;
}

/**
 * The payment of a pending order: created at the provider on first use, stored, and the
 * stored one afterwards. Concurrent first loads create it once (the attempt row is the
 * lock: one insert wins, the others wait for its result). An attempt whose creator died
 * is abandoned after its lease and the next one gets a new out_trade_no, as Alipay asks
 * after a failed precreate. When the order's channel is down (its circuit open, or the
 * provider gives no usable answer) the payment goes to the next channel of the same method
 * with a new out_trade_no, within 10 s and before anything was shown to the buyer. Throws
 * `conflict` when the order is not waiting for payment and `channel_unavailable` when its
 * channel is gone or switched off.
 */
export async function paymentForOrder(db: Db, orderNo: string, options: PaymentOptions): Promise<OrderPayment> {
  const { order, view } = await getOrderStatus(db, orderNo);
  if (order.status !== 'pending') throw new AppError('conflict', 'This order is not waiting for payment.');
  const own = await loadChannel(db, order.channelId);
  if (!own || !isUsable(own.row)) throw new AppError('channel_unavailable', 'This payment channel is not available.');
  const request = (c: LoadedChannel, outTradeNo: string) => ({
    channelId: c.row.id,
    orderNo: outTradeNo,
    amount: order.amount,
    currency: order.currency,
    subject: view.productTitle,
    notifyUrl: notifyUrlFor(c.row.id),
    returnUrl: `${getConfig().appUrl}/order/${orderNo}`,
    expiresAt: order.expiresAt,
    email: order.email,
  });
  const fetchImpl = options.fetchImpl ?? guardedFetch;
  const ownAbout = { id: own.row.id, kind: own.row.kind, method: own.driver.method(own.config) };

  // epay and demo compute their action here: nothing to create, store or fail over.
  if (own.driver.creates === 'local') {
    const started = await own.driver.createPayment(own.config, request(own, orderNo), fetchImpl);
    return { channel: ownAbout, state: 'ready', action: started.action, outTradeNo: orderNo };
  }

  const until = Date.now() + (options.waitMs ?? 12_000);
  let candidates: Candidate[] | undefined;
  for (;;) {
    const [last] = await db.select().from(paymentAttempts).where(eq(paymentAttempts.orderId, order.id)).orderBy(desc(paymentAttempts.seq)).limit(1);
    const shown = async (a: PaymentAttempt, state: OrderPayment['state']): Promise<OrderPayment> => {
      const c = a.channelId === own.row.id ? own : await loadChannel(db, a.channelId);
      return {
        channel: c ? { id: c.row.id, kind: c.row.kind, method: c.driver.method(c.config) } : ownAbout,
        state,
        action: (a.action as PaymentAction | null) ?? null,
        outTradeNo: a.outTradeNo,
        error: a.error ?? undefined,
      };
    };
    if (last && (last.status === 'open' || last.status === 'paid')) return shown(last, 'ready');
    if (last?.status === 'creating') {
      if (last.leaseUntil && last.leaseUntil.getTime() > Date.now()) {
        if (Date.now() >= until) return shown(last, 'creating');
        await sleep(200);
        continue;
      }
      // Its creator died or hung past the lease: that out_trade_no is not used again.
      await db
        .update(paymentAttempts)
        .set({ status: 'failed', error: `${ABANDONED}: no answer within the lease`, updatedAt: new Date() })
        .where(and(eq(paymentAttempts.id, last.id), eq(paymentAttempts.status, 'creating'), sql`${paymentAttempts.leaseUntil} < now()`));
      continue;
    }
    if (last?.status === 'failed') {
      const age = (Date.now() - last.updatedAt.getTime()) / 1000;
      // An abandoned attempt never showed the buyer anything nor heard from the provider: not a failure to wait out.
      const retry =
        last.error?.startsWith(ABANDONED) || options.retryFailed === 'now' || (typeof options.retryFailed === 'number' && age >= options.retryFailed);
      if (!retry || last.seq >= MAX_ATTEMPTS) return shown(last, 'failed');
    }

    candidates ??= await candidatesFor(db, order, own);
    const deadline = Date.now() + FAILOVER_DEADLINE_MS;
    let seq = (last?.seq ?? 0) + 1;
    let failed: PaymentAttempt | undefined;
    let raced = false;
    for (const c of candidates) {
      if (Date.now() > deadline || seq > MAX_ATTEMPTS) break;
      // A channel whose circuit is open is skipped without a call; one request wins its probe.
      const admission = c.driver.creates === 'remote' ? await admitCall(db, c.row.id) : 'call';
      if (admission === 'skip') continue;
      const outTradeNo = seq === 1 ? orderNo : `${orderNo}-${seq}`;
      const [mine] = await db
        .insert(paymentAttempts)
        .values({
          merchantId: order.merchantId,
          orderId: order.id,
          channelId: c.row.id,
          seq,
          outTradeNo,
          status: 'creating',
          leaseUntil: sql`now() + make_interval(secs => ${LEASE_SECONDS})`,
          amount: order.amount,
          currency: order.currency,
        })
        .onConflictDoNothing()
        .returning();
      if (!mine) {
        // Another request took this attempt first: wait for its result (a probe won here is not sent).
        if (admission === 'probe') await releaseProbe(db, c.row.id);
        raced = true;
        break;
      }
      try {
        const started = await c.driver.createPayment(c.config, request(c, outTradeNo), fetchImpl);
        if (c.driver.creates === 'remote') await recordCall(db, c.row.id, admission, true);
        const [opened] = await db
          .update(paymentAttempts)
          .set({ status: 'open', action: started.action, providerRef: started.providerRef ?? null, leaseUntil: null, updatedAt: new Date() })
          .where(and(eq(paymentAttempts.id, mine.id), eq(paymentAttempts.status, 'creating')))
          .returning();
        if (!opened) {
          raced = true;
          break;
        }
        log('info', 'payment created', { orderNo, outTradeNo, channelId: c.row.id, kind: c.row.kind, failover: c.row.id !== own.row.id });
        return shown(opened, 'ready');
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err;
        // A refusal is an answer: the provider is up, and another channel would be asked the same.
        if (c.driver.creates === 'remote') await recordCall(db, c.row.id, admission, err.kind === 'refused');
        const error = `${err.kind}: ${err.providerMessage}`;
        [failed] = await db
          .update(paymentAttempts)
          .set({ status: 'failed', error, leaseUntil: null, updatedAt: new Date() })
          .where(and(eq(paymentAttempts.id, mine.id), eq(paymentAttempts.status, 'creating')))
          .returning();
        log('warn', 'payment creation failed', { orderNo, outTradeNo, channelId: c.row.id, kind: c.row.kind, error });
        if (err.kind === 'refused') break;
        seq++;
      }
    }
    if (raced) continue;
    if (failed) return shown(failed, 'failed');
    // Every channel of the method is paused: nothing was called, nothing stored.
    return { channel: ownAbout, state: 'failed', action: null, outTradeNo: orderNo, error: 'unavailable: every channel of this method is paused' };
  }
}

/** The open attempts of an order, as its reconciliation asks the providers about them. */
export async function openAttemptsOfOrder(db: Db, orderNo: string): Promise<PaymentAttempt[]> {
  return db
    .select({ a: paymentAttempts })
    .from(paymentAttempts)
    .innerJoin(orders, eq(orders.id, paymentAttempts.orderId))
    .where(and(eq(orders.orderNo, orderNo), eq(paymentAttempts.status, 'open')))
    .then((rows) => rows.map((r) => r.a));
}

/** The attempt that paid an order, with its channel, when that channel can send money back through its provider. */
async function refundableAttempt(db: DbOrTx, orderId: string) {
  const [paid] = await db
    .select()
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.orderId, orderId), eq(paymentAttempts.status, 'paid')))
    .orderBy(paymentAttempts.paidAt)
    .limit(1);
  if (!paid?.tradeNo) return null;
  const channel = await loadChannel(db, paid.channelId, { fresh: true });
  return channel?.driver.refund ? { attempt: paid, channel } : null;
}

/** Whether the console may offer "refund through the provider" for this order. */
export async function canRefundThroughProvider(db: DbOrTx, orderId: string): Promise<boolean> {
  return (await refundableAttempt(db, orderId)) !== null;
}

/**
 * Sends (part of) an order's money back through the provider that took it, before the refund
 * is recorded. Outside any transaction (a network call). The refund's number is derived from
 * the order and the refund's place among its refunds, so a retried or concurrent request for
 * the same refund is one refund at the provider. Throws `conflict` when the channel cannot
 * refund and `provider_unavailable` with the provider's words when it did not.
 */
export async function refundThroughProvider(
  db: DbOrTx,
  order: { id: string; orderNo: string },
  refund: { refundNo: string; amount: number },
  reason: string,
  fetchImpl: typeof fetch = guardedFetch,
): Promise<{ status: 'succeeded' | 'pending'; channelKind: string; providerMessage?: string }> {
  const found = await refundableAttempt(db, order.id);
  if (!found)
    throw new AppError('conflict', 'This order was not paid through a channel that can refund through its provider.', {
      fields: { viaProvider: 'not_available' },
    });
  const { attempt, channel } = found;
  try {
    const r = await channel.driver.refund!(
      channel.config,
      { outTradeNo: attempt.outTradeNo, providerRef: attempt.providerRef, amount: attempt.amount, currency: attempt.currency, tradeNo: attempt.tradeNo! },
      { refundNo: refund.refundNo, amount: refund.amount, reason },
      fetchImpl,
    );
    log('info', 'refunded through the provider', { orderNo: order.orderNo, kind: channel.row.kind, status: r.status });
    return { ...r, channelKind: channel.row.kind };
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    log('warn', 'refund through the provider failed', { orderNo: order.orderNo, kind: channel.row.kind, error: `${err.kind}: ${err.providerMessage}` });
    // `refused`: the provider answered no; `unavailable`: no answer we can trust (a timeout,
    // a broken connection), so it may have refunded: the caller keeps the refund open.
    throw new AppError('provider_unavailable', `The provider did not refund: ${err.providerMessage}`, { body: { provider: err.kind } });
  }
}
