import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { stockOf } from '@/lib/inventory';
import {
  applyPayment,
  createOrder,
  deliverManually,
  getMerchantOrder,
  getOrderForBuyer,
  listMerchantOrders,
  parseOrderFilters,
  refundOrder,
  resendDeliveryMail,
  revealOrderItems,
  type MerchantOrderFilters,
} from '@/lib/orders';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedEpayChannel, seedMerchant, seedProduct } from '@/test/fixtures';

let t: TestDb;
let a: Awaited<ReturnType<typeof seedMerchant>>;
let b: Awaited<ReturnType<typeof seedMerchant>>;

beforeAll(async () => {
  t = await createTestDatabase({ max: 30 });
  a = await seedMerchant(t.db);
  b = await seedMerchant(t.db);
});
afterAll(async () => dropTestDatabase(t));

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof AppError ? e.code : `error: ${String(e)}`),
  );

let tradeSeq = 0;
async function buy(merchant: typeof a, productId: string, opts: { pay?: boolean; email?: string; quantity?: number } = {}) {
  const created = await createOrder(
    t.db,
    { productId, quantity: opts.quantity ?? 1, email: opts.email ?? 'buyer@example.test', channel: merchant.demoChannelId },
    { merchantId: merchant.merchantId },
  );
  if (opts.pay !== false) {
    const r = await applyPayment(t.db, merchant.demoChannelId, {
      outTradeNo: created.orderNo,
      tradeNo: `T${++tradeSeq}`,
      amount: created.amount,
      currency: created.currency,
      raw: {},
    });
    expect(r.outcome).not.toBe('rejected');
  }
  return created;
}

/** What an attempted change could have touched, to prove that a refused one touched nothing. */
async function snapshot(orderNo: string) {
  const [row] = await t.db.execute<Record<string, string>>(sql`
    SELECT o.status, o.manual_delivery, o.delivered_at::text, o.refunded_at::text, o.updated_at::text,
           (SELECT count(*) FROM order_events e WHERE e.order_id = o.id) AS events,
           (SELECT count(*) FROM outbox x WHERE x.payload->>'orderId' = o.id::text) AS outbox,
           (SELECT count(*) FROM audit_log l WHERE l.target_id = o.order_no) AS audit,
           (SELECT string_agg(k.id || ':' || k.status, ',' ORDER BY k.id) FROM card_keys k WHERE k.order_id = o.id) AS keys
      FROM orders o WHERE o.order_no = ${orderNo}`);
  return row;
}

const actorOf = (m: typeof a) => m.actor;

describe('listMerchantOrders filters', () => {
  let productX: string;
  let productY: string;
  let epay: string;

  beforeAll(async () => {
    productX = (await seedProduct(t.db, a.merchantId, { title: 'X' })).id;
    productY = (await seedProduct(t.db, a.merchantId, { title: 'Y' })).id;
    epay = (await seedEpayChannel(t.db, a.merchantId)).id;
    const productB = (await seedProduct(t.db, b.merchantId, { title: 'B' })).id;
    // 150 orders of merchant A and 60 of merchant B in one statement each. Every fifth order
    // shares its created_at with the previous one, so pages must break ties on id.
    await t.db.execute(sql`
      INSERT INTO orders (order_no, merchant_id, product_id, channel_id, status, quantity, unit_price, amount, currency, email, token_hash, expires_at, created_at)
      SELECT '9' || lpad(i::text, 19, '0'), ${a.merchantId}, CASE WHEN i % 3 = 0 THEN ${productY}::uuid ELSE ${productX}::uuid END,
             CASE WHEN i % 4 = 0 THEN ${epay}::uuid ELSE ${a.demoChannelId}::uuid END,
             (ARRAY['pending','paid','delivered','expired','awaiting_fulfillment','refunded'])[1 + i % 6]::order_status,
             1, 100, 100, 'CNY', CASE WHEN i % 5 = 0 THEN 'Same@Example.test' ELSE 'a' || i || '@example.test' END, 'x',
             now(), timestamptz '2026-01-10 00:00:00+08' + make_interval(mins => i - i % 5 + (CASE WHEN i % 5 = 1 THEN 0 ELSE i % 5 END))
        FROM generate_series(1, 150) i`);
    await t.db.execute(sql`
      INSERT INTO orders (order_no, merchant_id, product_id, channel_id, status, quantity, unit_price, amount, currency, email, token_hash, expires_at, created_at)
      SELECT '8' || lpad(i::text, 19, '0'), ${b.merchantId}, ${productB}::uuid, ${b.demoChannelId}::uuid, 'delivered', 1, 100, 100, 'CNY',
             CASE WHEN i % 2 = 0 THEN 'same@example.test' ELSE 'b' || i || '@example.test' END, 'x', now(),
             timestamptz '2026-01-10 00:00:00+08' + make_interval(mins => i)
        FROM generate_series(1, 60) i`);
  });

  async function pageAll(filters: MerchantOrderFilters, limit: number) {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listMerchantOrders(t.db, a.merchantId, { ...filters, limit, cursor });
      expect(page.orders.length).toBeLessThanOrEqual(limit);
      seen.push(...page.orders.map((o) => o.orderNo));
      cursor = page.nextCursor ?? undefined;
      if (++pages > 200) throw new Error('pagination does not end');
    } while (cursor);
    return seen;
  }

  async function expected(where: ReturnType<typeof sql>) {
    const rows = await t.db.execute<{ order_no: string }>(sql`
      SELECT order_no FROM orders WHERE merchant_id = ${a.merchantId} AND ${where} ORDER BY created_at DESC, id DESC`);
    return rows.map((r) => r.order_no);
  }

  it('each filter pages through exactly its own orders, in order, without gaps or repeats, never another merchant’s', async () => {
    const cases: [string, MerchantOrderFilters, ReturnType<typeof sql>][] = [
      ['none', {}, sql`true`],
      ['status', { status: 'delivered' }, sql`status = 'delivered'`],
      ['product', { productId: productY }, sql`product_id = ${productY}`],
      ['channel', { channelId: epay }, sql`channel_id = ${epay}`],
      [
        'date range',
        parseOrderFilters({ from: '2026-01-10', to: '2026-01-10' }).filters,
        sql`created_at >= '2026-01-10 00:00:00+08' AND created_at < '2026-01-11 00:00:00+08'`,
      ],
      ['email (any case)', { email: 'SAME@example.TEST' }, sql`lower(email) = 'same@example.test'`],
      ['status + product', { status: 'paid', productId: productX }, sql`status = 'paid' AND product_id = ${productX}`],
    ];
    for (const [name, filters, where] of cases) {
      const want = await expected(where);
      expect(want.length, name).toBeGreaterThan(0);
      for (const limit of [7, 50]) {
        const got = await pageAll(filters, limit);
        expect(got, `${name}, pages of ${limit}`).toEqual(want);
        expect(new Set(got).size).toBe(got.length);
      }
    }
    // Oldest first: the same rows in the reverse order, paged without gaps, ties included.
    for (const [name, filters, where] of cases) {
      const want = (await expected(where)).reverse();
      for (const limit of [7, 50]) expect(await pageAll({ ...filters, oldestFirst: true }, limit), `${name}, oldest first, pages of ${limit}`).toEqual(want);
    }
    expect(parseOrderFilters({ sort: 'oldest' }).filters).toEqual({ oldestFirst: true });
    expect(() => parseOrderFilters({ sort: 'cheapest' })).toThrow();
    // The order number filter is exact and scoped to the merchant.
    const [one] = await expected(sql`true`);
    expect((await listMerchantOrders(t.db, a.merchantId, { orderNo: one })).orders.map((o) => o.orderNo)).toEqual([one]);
    const bOrderNo = '8' + '1'.padStart(19, '0');
    expect((await listMerchantOrders(t.db, a.merchantId, { orderNo: bOrderNo })).orders).toEqual([]);
    expect((await listMerchantOrders(t.db, a.merchantId, { orderNo: one!.slice(0, 10) })).orders).toEqual([]);
  });

  it('a date range outside the data is empty; `to` includes its whole day', async () => {
    expect((await listMerchantOrders(t.db, a.merchantId, parseOrderFilters({ to: '2026-01-09' }).filters)).orders).toEqual([]);
    const lastDay = await listMerchantOrders(t.db, a.merchantId, { ...parseOrderFilters({ from: '2026-01-10', to: '2026-01-10' }).filters, limit: 200 });
    expect(lastDay.orders).toHaveLength(150);
  });

  it('bad filters are refused with the field named', async () => {
    const fieldsOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof AppError ? [e.code, Object.keys(e.fields ?? {})] : e;
      }
      return 'ok';
    };
    expect(fieldsOf(() => parseOrderFilters({ status: 'shipped' }))).toEqual(['validation_failed', ['status']]);
    expect(fieldsOf(() => parseOrderFilters({ product: 'not-a-uuid' }))).toEqual(['validation_failed', ['product']]);
    expect(fieldsOf(() => parseOrderFilters({ from: '2026-13-45' }))).toEqual(['validation_failed', ['from']]);
    // Year 0000 parses in JavaScript but not in PostgreSQL: refused here, not a 500 there.
    expect(fieldsOf(() => parseOrderFilters({ from: '0001-01-01', to: '0000-01-01' }))).toEqual(['validation_failed', ['from', 'to']]);
    expect(fieldsOf(() => parseOrderFilters({ status: '', product: '', email: '  ' }))).toBe('ok');
    await expect(codeOf(listMerchantOrders(t.db, a.merchantId, { channelId: 'nope' }))).resolves.toBe('validation_failed');
    // Another merchant's product id is a valid filter that matches nothing of ours.
    const productB = await seedProduct(t.db, b.merchantId);
    expect((await listMerchantOrders(t.db, a.merchantId, { productId: productB.id })).orders).toEqual([]);
  });
});

describe('order actions as another merchant', () => {
  it('detail, reveal, manual delivery, resend and refund of another merchant’s order are not_found and change nothing', async () => {
    const manual = await seedProduct(t.db, a.merchantId, { deliveryType: 'manual' });
    const auto = await seedProduct(t.db, a.merchantId, { keys: 2 });
    const waiting = await buy(a, manual.id);
    const delivered = await buy(a, auto.id);
    for (const order of [waiting, delivered]) {
      const before = await snapshot(order.orderNo);
      const on = { orderNo: order.orderNo };
      expect(await codeOf(getMerchantOrder(t.db, b.merchantId, order.orderNo))).toBe('not_found');
      expect(await codeOf(revealOrderItems(t.db, b.actor, on))).toBe('not_found');
      expect(await codeOf(deliverManually(t.db, b.actor, { ...on, text: 'ACCOUNT-1' }))).toBe('not_found');
      expect(await codeOf(resendDeliveryMail(t.db, b.actor, on))).toBe('not_found');
      expect(await codeOf(refundOrder(t.db, b.actor, { ...on, keys: 'void' }))).toBe('not_found');
      expect(await snapshot(order.orderNo)).toEqual(before);
    }
    // A malformed or unknown number is the same answer.
    expect(await codeOf(getMerchantOrder(t.db, a.merchantId, 'x'))).toBe('not_found');
    expect(await codeOf(refundOrder(t.db, actorOf(a), { orderNo: '9'.repeat(24), keys: 'keep' }))).toBe('not_found');
  });
});

describe('deliverManually', () => {
  it('two concurrent deliveries of one order: exactly one succeeds, one e-mail, the buyer sees the text', async () => {
    const manual = await seedProduct(t.db, a.merchantId, { deliveryType: 'manual' });
    const order = await buy(a, manual.id);
    expect((await getMerchantOrder(t.db, a.merchantId, order.orderNo)).order.status).toBe('awaiting_fulfillment');
    const results = await Promise.all(
      ['ACCOUNT: alice\nPASSWORD: first', 'ACCOUNT: bob\nPASSWORD: second'].map((text) =>
        codeOf(deliverManually(t.db, actorOf(a), { orderNo: order.orderNo, text })),
      ),
    );
    expect(results.sort()).toEqual(['conflict', 'ok']);
    const snap = await snapshot(order.orderNo);
    expect(snap!.status).toBe('delivered');
    expect(snap!.manual_delivery).not.toContain('ACCOUNT'); // sealed
    expect(Number(snap!.outbox)).toBe(1 + 1); // the awaiting alert to the merchant + one delivery e-mail
    const [counts] = await t.db.execute<{ delivered: string; mails: string; audits: string }>(sql`
      SELECT (SELECT count(*) FROM order_events e JOIN orders o ON o.id = e.order_id WHERE o.order_no = ${order.orderNo} AND e.type = 'delivered') AS delivered,
             (SELECT count(*) FROM outbox x WHERE x.consumer = 'mail.delivery' AND x.payload->>'orderNo' = ${order.orderNo}) AS mails,
             (SELECT count(*) FROM audit_log WHERE action = 'order.manual_delivery' AND target_id = ${order.orderNo}) AS audits`);
    expect(counts).toEqual({ delivered: '1', mails: '1', audits: '1' });

    const view = await getOrderForBuyer(t.db, order.orderNo, order.token);
    expect(view.status).toBe('delivered');
    expect([
      ['ACCOUNT: alice', 'PASSWORD: first'],
      ['ACCOUNT: bob', 'PASSWORD: second'],
    ]).toContainEqual(view.keys);
    expect(await revealOrderItems(t.db, actorOf(a), { orderNo: order.orderNo })).toEqual(view.keys);
    const [audit] = await t.db.execute<{ n: string }>(
      sql`SELECT count(*) AS n FROM audit_log WHERE action = 'order.keys_reveal' AND target_id = ${order.orderNo} AND actor_id = ${a.userId}`,
    );
    expect(audit!.n).toBe('1');
  });

  it('a pending or a delivered order is a conflict, empty text a field error; nothing changes', async () => {
    const manual = await seedProduct(t.db, a.merchantId, { deliveryType: 'manual' });
    const auto = await seedProduct(t.db, a.merchantId, { keys: 3 });
    const pending = await buy(a, auto.id, { pay: false });
    const delivered = await buy(a, auto.id);
    const waiting = await buy(a, manual.id);
    for (const order of [pending, delivered]) {
      const before = await snapshot(order.orderNo);
      expect(await codeOf(deliverManually(t.db, actorOf(a), { orderNo: order.orderNo, text: 'KEY' }))).toBe('conflict');
      expect(await snapshot(order.orderNo)).toEqual(before);
    }
    const before = await snapshot(waiting.orderNo);
    const err = await deliverManually(t.db, actorOf(a), { orderNo: waiting.orderNo, text: ' \n ' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).fields).toEqual({ text: { code: 'required' } });
    expect(await codeOf(deliverManually(t.db, actorOf(a), { orderNo: waiting.orderNo, text: 'x'.repeat(20_001) }))).toBe('validation_failed');
    expect(await snapshot(waiting.orderNo)).toEqual(before);
  });
});

describe('resendDeliveryMail', () => {
  it('queues exactly one new outbox row per call, at most one a minute, also when clicked twice at once', async () => {
    // A merchant webhook listens to deliveries: a resend must not tell it again.
    await t.db.execute(
      sql`INSERT INTO webhook_endpoints (merchant_id, name, credentials, events) VALUES (${a.merchantId}, 'hook', 'x', '{order.delivered,order.refunded}')`,
    );
    const auto = await seedProduct(t.db, a.merchantId, { keys: 2 });
    const order = await buy(a, auto.id);
    const mails = async () => {
      const [r] = await t.db.execute<{ n: string }>(
        sql`SELECT count(*) AS n FROM outbox WHERE consumer = 'mail.delivery' AND payload->>'orderNo' = ${order.orderNo}`,
      );
      return Number(r!.n);
    };
    expect(await mails()).toBe(1);
    const rowsBefore = Number((await snapshot(order.orderNo))!.outbox);
    const twice = await Promise.all([0, 1].map(() => codeOf(resendDeliveryMail(t.db, actorOf(a), { orderNo: order.orderNo }))));
    expect(twice.sort()).toEqual(['ok', 'rate_limited']);
    expect(await mails()).toBe(2);
    // Only the e-mail: webhooks and other consumers of the delivery are not told again.
    expect(Number((await snapshot(order.orderNo))!.outbox)).toBe(rowsBefore + 1);
    const err = await resendDeliveryMail(t.db, actorOf(a), { orderNo: order.orderNo }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('rate_limited');
    expect((err as AppError).retryAfter).toBeGreaterThan(0);
    expect(await mails()).toBe(2);

    // A minute later it may be sent again: one more row, with its own dedupe key.
    await t.db.execute(sql`UPDATE order_events SET created_at = created_at - interval '61 seconds' WHERE type = 'mail_resent'`);
    await resendDeliveryMail(t.db, actorOf(a), { orderNo: order.orderNo });
    expect(await mails()).toBe(3);
    const rows = await t.db.execute<{ dedupe_key: string; payload: Record<string, unknown> }>(
      sql`SELECT dedupe_key, payload FROM outbox WHERE consumer = 'mail.delivery' AND payload->>'orderNo' = ${order.orderNo} ORDER BY id`,
    );
    expect(new Set(rows.map((r) => r.dedupe_key)).size).toBe(3);
    expect(rows.slice(1).every((r) => r.dedupe_key.startsWith('mail.delivery:resend:') && r.payload.resend === true)).toBe(true);
    const [audits] = await t.db.execute<{ n: string }>(
      sql`SELECT count(*) AS n FROM audit_log WHERE action = 'order.resend_mail' AND target_id = ${order.orderNo}`,
    );
    expect(audits!.n).toBe('2');
  });

  it('an order that is not delivered has no e-mail to resend', async () => {
    const auto = await seedProduct(t.db, a.merchantId, { keys: 2 });
    const pending = await buy(a, auto.id, { pay: false });
    const before = await snapshot(pending.orderNo);
    expect(await codeOf(resendDeliveryMail(t.db, actorOf(a), { orderNo: pending.orderNo }))).toBe('conflict');
    expect(await snapshot(pending.orderNo)).toEqual(before);
  });
});

describe('refundOrder', () => {
  it('voiding the keys: they leave the stock for good and are never sold to another order', async () => {
    const product = await seedProduct(t.db, a.merchantId, { keys: 1, maxQty: 1 });
    const first = await buy(a, product.id, { email: 'first@example.test' });
    expect(await stockOf(t.db, product.id)).toEqual({ available: 0, reserved: 0, sold: 1, void: 0 });

    // Refunded twice at once: one refund, the key moved once.
    const results = await Promise.all([0, 1].map(() => codeOf(refundOrder(t.db, actorOf(a), { orderNo: first.orderNo, keys: 'void' }))));
    expect(results.sort()).toEqual(['conflict', 'ok']);
    expect(await stockOf(t.db, product.id)).toEqual({ available: 0, reserved: 0, sold: 0, void: 1 });
    const detail = await getMerchantOrder(t.db, a.merchantId, first.orderNo);
    expect(detail.order.status).toBe('refunded');
    expect(detail.order.refundedAt).not.toBeNull();
    expect(detail.events.at(-1)).toMatchObject({
      type: 'refunded',
      fromStatus: 'delivered',
      toStatus: 'refunded',
      detail: { keys: 1, keysTo: 'void' },
    });
    expect((await getOrderForBuyer(t.db, first.orderNo, first.token)).keys).toBeUndefined();

    // The key the first buyer saw is not for sale again: the next buyers find no stock.
    const racers = await Promise.all(
      [1, 2, 3].map((i) =>
        codeOf(createOrder(t.db, { productId: product.id, quantity: 1, email: `r${i}@example.test`, channel: a.demoChannelId }, { merchantId: a.merchantId })),
      ),
    );
    expect(racers).toEqual(['out_of_stock', 'out_of_stock', 'out_of_stock']);
    const [owners] = await t.db.execute<{ n: string }>(sql`SELECT count(DISTINCT order_id) AS n FROM card_keys WHERE product_id = ${product.id}`);
    expect(Number(owners!.n)).toBe(1);
  });

  it('keys stay sold: stock unchanged; an awaiting order can be refunded; a pending or refunded one cannot', async () => {
    // A merchant webhook listens to refunds.
    await t.db.execute(
      sql`INSERT INTO webhook_endpoints (merchant_id, name, credentials, events) VALUES (${a.merchantId}, 'refunds', 'x', '{order.refunded}')`,
    );
    const product = await seedProduct(t.db, a.merchantId, { keys: 3 });
    const manual = await seedProduct(t.db, a.merchantId, { deliveryType: 'manual' });
    const order = await buy(a, product.id, { quantity: 2 });
    const result = await refundOrder(t.db, actorOf(a), { orderNo: order.orderNo, keys: 'keep' });
    expect(result).toMatchObject({ keys: 2, keysTo: 'sold', remaining: 0 });
    expect(await stockOf(t.db, product.id)).toEqual({ available: 1, reserved: 0, sold: 2, void: 0 });
    const [audit] = await t.db.execute<{ detail: Record<string, unknown>; ip: string }>(
      sql`SELECT detail, ip FROM audit_log WHERE action = 'order.refund' AND target_id = ${order.orderNo}`,
    );
    expect(audit).toMatchObject({ ip: '203.0.113.9', detail: { from: 'delivered', keys: 2, keysTo: 'sold' } });
    const refundEvents = await t.db.execute<{ payload: Record<string, unknown> }>(
      sql`SELECT payload FROM outbox WHERE topic = 'order.refunded' AND payload->>'orderNo' = ${order.orderNo}`,
    );
    expect(refundEvents.map((r) => r.payload)).toEqual([expect.objectContaining({ orderNo: order.orderNo, keys: 2, keysTo: 'sold' })]);

    const waiting = await buy(a, manual.id);
    expect(await refundOrder(t.db, actorOf(a), { orderNo: waiting.orderNo, keys: 'void' })).toMatchObject({ keys: 0, keysTo: 'void', remaining: 0 });

    // With a webhook listening, a manual delivery fans out its own event too (not swallowed by
    // the dedupe key of the earlier awaiting_fulfillment event).
    const waiting2 = await buy(a, manual.id);
    await deliverManually(t.db, actorOf(a), { orderNo: waiting2.orderNo, text: 'CODE-1' });
    const fanouts = await t.db.execute<{ topic: string }>(
      sql`SELECT topic FROM outbox WHERE consumer = 'webhook.fanout' AND payload->>'orderNo' = ${waiting2.orderNo} ORDER BY id`,
    );
    expect(fanouts.map((r) => r.topic)).toEqual(['order.awaiting_fulfillment', 'order.delivered']);

    const pending = await buy(a, product.id, { pay: false });
    for (const no of [pending.orderNo, order.orderNo]) {
      const before = await snapshot(no);
      expect(await codeOf(refundOrder(t.db, actorOf(a), { orderNo: no, keys: 'void' }))).toBe('conflict');
      expect(await snapshot(no)).toEqual(before);
    }
    expect(await stockOf(t.db, product.id)).toEqual({ available: 0, reserved: 1, sold: 2, void: 0 });
  });
});
