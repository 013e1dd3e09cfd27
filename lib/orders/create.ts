import 'server-only';
import { randomInt, randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { pipelinedTransaction, rawClient, type Db, type DbOrTx, type Pipeline, type Tx } from '@/db/client';
import { compiled, placeholdersFor } from '@/db/compiled';
import {
  couponRedemptions,
  coupons,
  idempotencyKeys,
  merchants,
  orders,
  paymentChannels,
  products,
  type Merchant,
  type Order,
  type Product,
} from '@/db/schema';
import { minChargeOf, orderExpiryMinutes } from '@/lib/accounts';
import { agentSaleFor, snapshotCommission, visibleInMainStore, type AgentSale } from '@/lib/agents';
import { unitPriceFor } from '@/lib/catalog';
import { getConfig } from '@/lib/config';
import { checkEmailUses, couponRefusal, judgeFound, normaliseCode, redemptionOf, couponUseQuery, type AppliedCoupon, type CouponCheck } from '@/lib/coupons';
import { hashQueryPassword, keyedDigest, orderAccessToken, sha256Hex } from '@/lib/crypto';
import { AppError, isAppError, pgError, validationError } from '@/lib/errors';
import { hasAvailableKey, reserveKeys } from '@/lib/inventory';
import { log } from '@/lib/log';
import { channelForOrder, isUsable, loadChannel } from '@/lib/payments';
import {
  addressKey,
  blockFastAddress,
  challengeRequired,
  countRuleHit,
  decide,
  getLimiter,
  isDisposableEmail,
  issueChallenge,
  matchRegexRules,
  normaliseEmail,
  recordRiskEvent,
  redeemChallenge,
  riskBlocked,
  RiskRefusal,
  riskPolicyOf,
  ruleMatchQuery,
  severest,
  type HitStatement,
  type LimitResult,
  type LimitRule,
  type Verdict,
} from '@/lib/risk';
import { capCounts, capQueries, enforceCaps } from './caps';
import { expireOrders } from './expire';
import { markPaidAndDeliver, recordEvent } from './fulfil';

export const LOCALES = ['zh-CN', 'en'] as const;

export const createOrderSchema = z.object({
  productId: z.guid(),
  quantity: z.number().int().min(1).max(1000).default(1),
  email: z.string().trim().toLowerCase().max(254).email(),
  channel: z.guid(),
  couponCode: z.string().trim().max(64).optional(),
  queryPassword: z.string().min(4).max(64).optional(),
  agent: z.string().trim().max(64).optional(),
});
export type CreateOrderInput = z.input<typeof createOrderSchema>;

export type CreateOrderContext = {
  merchantId: string;
  buyerIp?: string | null;
  locale?: string;
  idempotencyKey?: string | null;
  /**
   * Counts this attempt against the rule for the buyer's address: its count is the velocity
   * the risk policy decides on, and past the rule's limit the order is refused
   * `rate_limited`. With the counters in PostgreSQL the count goes out with the order's first
   * statements (one write, one wait); with Redis it is taken first. Only a request that passes
   * validation is counted.
   */
  limit?: LimitRule;
  /** Order attempts from the buyer's address in the current minute, this one included, when the caller counted them itself. */
  attempts?: number | null;
  /** A solved challenge (`challenge` of a `428 challenge_required` answer, solved: lib/risk challenge.ts). */
  challenge?: string | null;
};

export type CreatedOrder = {
  orderNo: string;
  status: Order['status'];
  amount: number;
  currency: string;
  expiresAt: string;
  payUrl: string;
  token: string;
  /** What a coupon took off the amount (present only when one applied). */
  discount?: number;
  /** True when an Idempotency-Key replay returned an order created earlier. */
  replayed: boolean;
};

/** Sortable by time (UTC to the second) and 10 random digits, so numbers do not enumerate orders. */
export function newOrderNo(now = new Date()): string {
  const ts = now.toISOString().replace(/\D/g, '').slice(0, 14);
  return ts + String(randomInt(0, 1e10)).padStart(10, '0');
}

export function payUrlOf(orderNo: string): string {
  return `${getConfig().appUrl}/pay/${orderNo}`;
}

function responseOf(order: Order, replayed: boolean): CreatedOrder {
  return {
    orderNo: order.orderNo,
    status: order.status,
    amount: order.amount,
    currency: order.currency,
    expiresAt: order.expiresAt.toISOString(),
    payUrl: payUrlOf(order.orderNo),
    token: orderAccessToken(order.id),
    ...(order.couponId ? { discount: order.discount } : {}),
    replayed,
  };
}

// Products this process recently found sold out (keyed by merchant and product, set only
// after a transaction found the product the merchant's own): their next orders ask
// hasAvailableKey before opening a transaction. Only a hint of where to look; the probe is exact.
const SOLD_OUT_HINT_MS = 2_000;
const soldOut = new LRUCache<string, true>({ max: 10_000, ttl: SOLD_OUT_HINT_MS });
const outOfStock = () => new AppError('out_of_stock', 'Not enough stock for this quantity.');
// Addresses this process found over the order limit, until their window ends: their next
// attempts are counted first, alone, and refused before any other work (a flood from one
// address costs one statement a request, never a transaction and its locks).
const overLimit = new LRUCache<string, true>({ max: 10_000, ttl: 60_000 });
function counted(subject: string, limit: LimitResult): number {
  if (limit.ok) return limit.count;
  overLimit.set(subject, true, { ttl: limit.retryAfter * 1000 });
  throw new AppError('rate_limited', 'Too many orders from this address. Please wait a moment.', { retryAfter: limit.retryAfter });
}

/**
 * Creates a pending order: validates, prices, reserves keys and records the event in one
 * short transaction. A retried request with the same Idempotency-Key returns the first
 * order (concurrent retries wait on the key's unique index rather than racing).
 */
export async function createOrder(db: Db, rawInput: unknown, ctx: CreateOrderContext): Promise<CreatedOrder> {
  const parsed = createOrderSchema.safeParse(rawInput);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const input = parsed.data;
  const givenKey = ctx.idempotencyKey?.trim() || null;
  if (givenKey && givenKey.length > 128)
    throw new AppError('validation_failed', 'Idempotency-Key is too long.', { fields: { 'Idempotency-Key': { code: 'too_long', max: 128 } } });
  // A replay returns the order's access token, so it is bound to its caller: the key is
  // stored as a keyed digest of (merchant, caller's address, key), and another caller with
  // the same key and body simply makes its own order. The request digest leaves the query
  // password out (it is scrypt-hashed on the order; a plain hash here could be guessed offline).
  const { queryPassword: _password, ...request } = input;
  const caller = ctx.buyerIp ? addressKey(ctx.buyerIp) : '';
  const idemKey = givenKey ? keyedDigest('idempotency-key', ctx.merchantId, caller, givenKey) : null;
  const requestHash = idemKey ? keyedDigest('idempotency-request', ctx.merchantId, JSON.stringify(request)) : '';

  // The cheap refusal in a flash sale: a sold-out product answers after one index probe, with
  // no transaction. Only where the full path would say the same: a channel of this merchant's
  // that can take orders (the process's cached copy: at worst a channel disabled in the last
  // seconds gets out_of_stock instead of channel_unavailable), a product known to be the
  // merchant's, and not a retry with an Idempotency-Key (its first order may hold the last key).
  // The attempt is counted once: by the order's first statement sent, or up front with
  // Redis and for an address already over the limit.
  let attempts: number | null = ctx.attempts ?? null;
  let hit: HitStatement | null = null;
  if (ctx.limit) {
    const limiter = getLimiter(db);
    if (limiter.hitStatement && !overLimit.has(caller)) hit = limiter.hitStatement(ctx.limit, caller);
    else attempts = counted(caller, await limiter.hit(ctx.limit, caller));
  }
  const queryPasswordHash = input.queryPassword ? await hashQueryPassword(input.queryPassword) : null;
  const hintKey = `${ctx.merchantId}:${input.productId}`;
  if (!idemKey && soldOut.has(hintKey)) {
    const [rows, channel, available] = await Promise.all([
      hit?.send(rawClient(db)).execute(),
      loadChannel(db, input.channel),
      hasAvailableKey(db, input.productId),
    ]);
    if (hit) attempts = counted(caller, hit.read(rows!));
    hit = null;
    const channelOpen = channel !== null && channel.row.merchantId === ctx.merchantId && isUsable(channel.row);
    if (channelOpen && !available) throw outOfStock();
  }

  const risk: RiskOutcome = {};
  for (let attempt = 0; ; attempt++) {
    const lead = hit;
    hit = null;
    try {
      const body = async (tx: Tx, pipeline: Pipeline<readonly { count: number }[] | undefined>) => {
        const attemptsNow = lead ? pipeline.lead.then((rows) => (attempts = counted(caller, lead.read(rows!)))) : Promise.resolve(attempts);
        if (idemKey) {
          const [claimed] = await Promise.all([
            tx
              .insert(idempotencyKeys)
              .values({ merchantId: ctx.merchantId, key: idemKey, requestHash })
              .onConflictDoNothing()
              .returning({ key: idempotencyKeys.key }),
            attemptsNow,
          ]);
          if (claimed.length === 0) {
            const [prior] = await tx
              .select()
              .from(idempotencyKeys)
              .where(and(eq(idempotencyKeys.merchantId, ctx.merchantId), eq(idempotencyKeys.key, idemKey)));
            if (prior && prior.requestHash !== requestHash) {
              throw new AppError('idempotency_mismatch', 'This Idempotency-Key was used with a different request.');
            }
            if (prior?.orderId) {
              const [order] = await tx.select().from(orders).where(eq(orders.id, prior.orderId));
              return responseOf(order!, true);
            }
          }
        }
        // Without an Idempotency-Key the order's last statements carry the COMMIT.
        const order = await insertOrder(tx, input, ctx, { queryPasswordHash, risk, attempts: attemptsNow, finish: idemKey ? null : pipeline.commitWith });
        if (idemKey) {
          await tx
            .update(idempotencyKeys)
            .set({ orderId: order.id })
            .where(and(eq(idempotencyKeys.merchantId, ctx.merchantId), eq(idempotencyKeys.key, idemKey)));
        }
        return responseOf(order, false);
      };
      // The first write to the database: the attempt's count, BEGIN and the order's first reads.
      const result = await pipelinedTransaction(db, body, lead ? { lead: lead.send } : {});
      if (!result.replayed) log('info', 'order created', { orderNo: result.orderNo, amount: result.amount, currency: result.currency });
      // The log keeps every order held for review, every pass with a signal (a solved
      // challenge, a weight below it), and a sample of the others.
      const placed = risk.passed;
      if (!result.replayed && placed && (placed.review || placed.score > 0 || Math.random() * 100 < risk.samplePercent!)) {
        await recordRiskEvent(db, {
          merchantId: ctx.merchantId,
          stage: 'order_create',
          action: placed.review ? 'review' : 'pass',
          score: placed.score,
          address: ctx.buyerIp ? addressKey(ctx.buyerIp) : null,
          emailNorm: normaliseEmail(input.email),
          productId: input.productId,
          orderNo: result.orderNo,
          reasons: placed.action === 'challenge' ? [...placed.reasons, { code: 'challenge_solved' }] : placed.reasons,
        });
        if (placed.review && placed.ruleId) await countRuleHit(db, placed.ruleId);
      }
      return result;
    } catch (err) {
      // Keys held by orders that are past their expiry but not yet swept (on a host whose
      // sweeper runs once a day, hours of them) go back to stock here, and the order is tried
      // once more: a lapsed reservation never shows a buyer "sold out".
      if (attempt === 0 && isAppError(err) && err.code === 'out_of_stock' && (await expireOrders(db, { productId: input.productId })) > 0) continue;
      if (isAppError(err) && err.code === 'out_of_stock') soldOut.set(hintKey, true);
      // A refusal by the risk control goes to the merchant's risk log (after the rollback, so it stays).
      if (err instanceof RiskRefusal) {
        const { action, score, reasons, ruleId } = err.refused;
        await recordRiskEvent(db, {
          merchantId: ctx.merchantId,
          stage: 'order_create',
          action,
          score,
          address: ctx.buyerIp ? addressKey(ctx.buyerIp) : null,
          emailNorm: normaliseEmail(input.email),
          productId: input.productId,
          reasons,
        });
        if (ruleId) await countRuleHit(db, ruleId);
        // Past the velocity block limit the address gets its block rule, once (later refusals come from the rule itself).
        const alreadyBlocked = reasons.some((r) => r.code === 'rule' && r.detail?.action === 'block');
        if (ctx.buyerIp && !alreadyBlocked && reasons.some((r) => r.code === 'velocity_block')) {
          const minutes = Number(reasons.find((r) => r.code === 'velocity_block')?.detail?.minutes ?? 10);
          await blockFastAddress(db, ctx.merchantId, ctx.buyerIp, minutes);
        }
      }
      // A clash of random order numbers is astronomically rare; draw again once.
      if (attempt === 0 && pgError(err).code === '23505' && pgError(err).constraint === 'orders_order_no_unique') continue;
      throw err;
    }
  }
}

/** The product and its merchant when both are open for this quantity; `not_found` or the quantity's bounds otherwise. */
export function sellable<R extends { product: Product; merchant: Merchant }>(row: R | undefined, quantity: number): R {
  if (!row || !row.product.active || row.merchant.status !== 'active') {
    throw new AppError('not_found', 'No such product.', { fields: { productId: 'unknown' } });
  }
  const { product } = row;
  if (quantity < product.minQty || quantity > product.maxQty) {
    throw new AppError('validation_failed', `Quantity must be between ${product.minQty} and ${product.maxQty}.`, {
      fields: { quantity: { code: 'out_of_range', min: product.minQty, max: product.maxQty } },
    });
  }
  return row;
}

/**
 * The product and the agent shop selling it (or the merchant's own shop): an agent's shop
 * sells only what its level may see and it lists; the merchant's shop only what no agent
 * rank is reserved for. Anything else is `not_found`, as if the product did not exist.
 */
export async function shopSale(db: DbOrTx, merchantId: string, agentSlug: string | undefined, product: Product): Promise<AgentSale | null> {
  if (agentSlug) return agentSaleFor(db, merchantId, agentSlug, product);
  if (!visibleInMainStore(product)) throw new AppError('not_found', 'No such product.', { fields: { productId: 'unknown' } });
  return null;
}

/** An order's unit price (the agent's price in its shop; else the best wholesale tier reached) and what a coupon is judged against. */
export function priceOf(product: Product, quantity: number, sale: AgentSale | null, minCharge: number): { unitPrice: number; check: CouponCheck } {
  const unitPrice = sale ? sale.unitSale : unitPriceFor(product, quantity);
  return {
    unitPrice,
    check: {
      productId: product.id,
      categoryId: product.categoryId,
      currency: product.currency,
      quantity,
      unitPrice,
      listUnitPrice: sale ? sale.unitSale : product.price,
      inAgentShop: sale !== null,
      minCharge,
      now: new Date(),
    },
  };
}

// The order's first read and its insert, built once (db/compiled.ts; its event goes through recordEvent's). The product, its
// merchant, the buyer's channel and the coupon the buyer named come in one statement. The
// channel is read here, in the transaction, never from a process cache: a channel just
// disabled or limited in the console (by any instance) takes no more orders. Without a code
// the coupon join is `ON false`, which PostgreSQL settles without a probe.
const ph = sql.placeholder;
type FirstRead = { productId: string; merchantId: string; channelId: string };
const firstReadOf = <V extends FirstRead>(withCoupon: boolean) =>
  compiled<V>()((db) =>
    db
      .select({ product: products, merchant: merchants, channel: paymentChannels, coupon: coupons })
      .from(products)
      .innerJoin(merchants, eq(merchants.id, products.merchantId))
      .leftJoin(paymentChannels, and(eq(paymentChannels.id, ph('channelId')), eq(paymentChannels.merchantId, ph('merchantId'))))
      .leftJoin(coupons, withCoupon ? and(eq(coupons.merchantId, ph('merchantId')), eq(coupons.codeNorm, ph('code'))) : sql`false`)
      .where(and(eq(products.id, ph('productId')), eq(products.merchantId, ph('merchantId')))),
  );
const firstRead = firstReadOf<FirstRead>(false);
const firstReadWithCoupon = firstReadOf<FirstRead & { code: string }>(true);

type PendingOrder = Omit<typeof orders.$inferInsert, 'expiresAt' | 'status' | 'createdAt' | 'updatedAt'> & { expiryMinutes: number };
const PENDING_COLUMNS = [
  'id',
  'orderNo',
  'merchantId',
  'productId',
  'channelId',
  'quantity',
  'unitPrice',
  'discount',
  'amount',
  'currency',
  'email',
  'locale',
  'buyerIp',
  'buyerKey',
  'emailNorm',
  'review',
  'agentId',
  'couponId',
  'queryPasswordHash',
  'tokenHash',
] as const satisfies readonly (keyof PendingOrder)[];
const insertPending = compiled<{ [K in (typeof PENDING_COLUMNS)[number]]: PendingOrder[K] } & { expiryMinutes: number }>()((db) =>
  db
    .insert(orders)
    .values({
      ...placeholdersFor<typeof orders.$inferInsert>(PENDING_COLUMNS),
      expiresAt: sql`now() + make_interval(mins => ${ph('expiryMinutes')})`,
    })
    .returning(),
);
/** What the risk control decided for an order that went through (for the log after commit). */
type RiskOutcome = { passed?: Verdict; samplePercent?: number };

async function insertOrder(
  tx: Tx,
  input: z.output<typeof createOrderSchema>,
  ctx: CreateOrderContext,
  step: {
    queryPasswordHash: string | null;
    risk: RiskOutcome;
    /** The address's attempts (rejects `rate_limited` past the limit): awaited with the first reads. */
    attempts: Promise<number | null>;
    /** Sends COMMIT with the order's last statements, where nothing follows them. */
    finish: Pipeline<unknown>['commitWith'] | null;
  },
): Promise<Order> {
  const { queryPasswordHash, risk } = step;
  const buyer = { merchantId: ctx.merchantId, buyerKey: ctx.buyerIp ? addressKey(ctx.buyerIp) : null, emailNorm: normaliseEmail(input.email) };
  // The risk caps' locks and counts go out with the first read (one wait for the database).
  const [locks, held] = capQueries(tx, buyer, input.productId);
  const blockRule = ruleMatchQuery(tx, ctx.merchantId, input.email, ctx.buyerIp ?? null);
  // The product, its merchant, the buyer's channel (in the transaction, see firstReadOf) and the coupon named.
  const ids = { productId: input.productId, merchantId: ctx.merchantId, channelId: input.channel };
  const [[row], , heldRows, [ruleHit], attempts] = await Promise.all([
    input.couponCode ? firstReadWithCoupon(tx, { ...ids, code: normaliseCode(input.couponCode) }) : firstRead(tx, ids),
    locks,
    held,
    blockRule,
    step.attempts,
  ]);
  const { product, merchant, channel: channelRow, coupon: couponRow } = sellable(row, input.quantity);
  // The risk decision: the merchant's rules (e-mail, domain, address and range in the
  // pipelined statement, patterns here), the address's order velocity and a throwaway
  // e-mail, weighed together (lib/risk decide.ts); then the caps.
  const policy = await riskPolicyOf(tx, ctx.merchantId);
  // A pattern is tried unless a block rule matched already (nothing is more severe).
  const rule = ruleHit?.action === 'block' ? ruleHit : severest(ruleHit, await matchRegexRules(tx, ctx.merchantId, input.email));
  const verdict = decide(policy, {
    rule,
    attempts,
    disposableDomain: isDisposableEmail(input.email) ? input.email.slice(input.email.lastIndexOf('@') + 1) : null,
  });
  if (verdict.action === 'block') throw riskBlocked(verdict);
  if (verdict.action === 'challenge') {
    const check = await redeemChallenge(tx, ctx.challenge, ctx.merchantId, 'order_create');
    if (check !== 'solved') throw challengeRequired(verdict, await issueChallenge(ctx.merchantId, 'order_create', policy.challengeWork), check !== 'missing');
  }
  risk.passed = verdict;
  risk.samplePercent = policy.passSamplePercent;
  await enforceCaps(tx, capCounts(heldRows), product, input.quantity, policy);
  if (product.maxPerEmailDay != null) {
    // Serialise orders of one e-mail for one product so that the count below cannot be raced.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${product.id + ':' + input.email}))`);
    const [{ n }] = (await tx.execute<{ n: string }>(sql`
      SELECT coalesce(sum(quantity), 0) AS n FROM orders
       WHERE product_id = ${product.id} AND lower(email) = ${input.email}
         AND created_at > now() - interval '1 day' AND status <> 'expired'`)) as unknown as [{ n: string }];
    if (Number(n) + input.quantity > product.maxPerEmailDay) {
      throw new AppError('limit_exceeded', `At most ${product.maxPerEmailDay} of this product per e-mail per day.`, {
        fields: { quantity: { code: 'daily_limit', max: product.maxPerEmailDay } },
      });
    }
  }
  // An order placed in an agent's shop is priced by the agent and its commission snapshotted.
  const sale = await shopSale(tx, ctx.merchantId, input.agent, product);
  const { unitPrice, check } = priceOf(product, input.quantity, sale, minChargeOf(merchant));
  // The coupon is judged before any stock is touched (a code that does not apply costs no
  // reservation); its use is taken after the keys, so a sold-out product never holds a code's row lock.
  const coupon: AppliedCoupon | null = input.couponCode ? judgeFound(couponRow, check) : null;
  const amount = coupon ? coupon.amount : unitPrice * input.quantity;
  const channel = channelForOrder(channelRow, { merchantId: ctx.merchantId, amount, currency: product.currency, free: coupon !== null && amount === 0 });

  const orderId = randomUUID();
  if (product.deliveryType === 'auto') {
    await reserveKeys(tx, { productId: product.id, orderId, quantity: input.quantity });
  }
  if (coupon) await checkEmailUses(tx, coupon, input.email);
  const locale = (LOCALES as readonly string[]).includes(ctx.locale ?? '') ? ctx.locale! : 'zh-CN';
  // The order, its first event, its coupon use and the guarded UPDATE that takes the use are
  // sent together (postgres.js pipelines queries on the transaction's connection; PostgreSQL
  // runs them in order, so the foreign keys find the order): one wait for the database
  // instead of four, and a shared code's row is locked only from the last of them to COMMIT.
  // An order with nothing after them (no coupon to confirm, no commission to snapshot) sends
  // its COMMIT in the same write.
  const last = Promise.all([
    insertPending(tx, {
      id: orderId,
      orderNo: newOrderNo(),
      merchantId: ctx.merchantId,
      productId: product.id,
      channelId: channel.id,
      quantity: input.quantity,
      unitPrice,
      discount: coupon?.discount ?? 0,
      amount,
      currency: product.currency,
      email: input.email,
      locale,
      buyerIp: ctx.buyerIp ?? null,
      buyerKey: buyer.buyerKey,
      emailNorm: buyer.emailNorm,
      review: verdict.review ? 'pending' : null,
      agentId: sale?.agent.id ?? null,
      couponId: coupon?.coupon.id ?? null,
      queryPasswordHash,
      tokenHash: sha256Hex(orderAccessToken(orderId)),
      expiryMinutes: orderExpiryMinutes(merchant),
    }),
    // Sent when called, like the order above (recordEvent's statement is compiled).
    recordEvent(tx, { id: orderId, merchantId: ctx.merchantId }, 'created', null, 'pending', {
      quantity: input.quantity,
      amount,
      ...(coupon ? { coupon: coupon.coupon.code, discount: coupon.discount } : {}),
    }),
    coupon
      ? tx.insert(couponRedemptions).values(redemptionOf(coupon, { id: orderId, merchantId: ctx.merchantId, email: input.email, currency: product.currency }))
      : null,
    // The query itself, not an async wrapper: Promise.all starts the queries in array order, so
    // this one goes out last.
    coupon ? couponUseQuery(tx, coupon) : null,
  ]);
  const [[order], , , taken] = await (step.finish && !coupon && !sale ? step.finish(last) : last);
  if (coupon && taken!.length === 0) throw await couponRefusal(tx, coupon, check);
  if (sale)
    await snapshotCommission(
      tx,
      { id: orderId, merchantId: ctx.merchantId, quantity: input.quantity, discount: coupon?.discount ?? 0, emailNorm: buyer.emailNorm },
      sale,
    );
  // A coupon that takes the order to zero (one that allows it) leaves nothing to pay: the
  // order is paid and delivered now, in this transaction, like any paid order.
  if (coupon && amount === 0) order!.status = await markPaidAndDeliver(tx, order!, { tradeNo: `free:${order!.orderNo}`, channelId: channel.id });
  return order!;
}
