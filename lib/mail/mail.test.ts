import { eq } from 'drizzle-orm';
import { merchants } from '@/db/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '@/lib/config';
import { createCoupons } from '@/lib/coupons';
import { drainOutbox } from '@/lib/outbox';
import { applyPayment, createOrder } from '@/lib/orders';
import { mailConsumers, resetMailTransport } from '@/lib/mail';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';
import { startSmtpSink, unfolded } from '@/test/smtp-sink';

let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let t: TestDb;
const received = () => smtp.received;

beforeAll(async () => {
  // A real SMTP server on loopback: what nodemailer sends is what arrives here.
  smtp = await startSmtpSink();
  process.env.SMTP_URL = smtp.url;
  process.env.MAIL_FROM = 'Shop <shop@example.test>';
  resetConfig();
  resetMailTransport();
  t = await createTestDatabase();
});

afterAll(async () => {
  delete process.env.SMTP_URL;
  resetConfig();
  resetMailTransport();
  await smtp.close();
  await dropTestDatabase(t);
});

describe('delivery e-mail', () => {
  it('a delivered order e-mails the buyer its keys, the instructions and the order link, once', async () => {
    smtp.received.length = 0;
    const m = await seedMerchant(t.db);
    await t.db
      .update(merchants)
      .set({ settings: { mailFromName: 'Acme Keys' } })
      .where(eq(merchants.id, m.merchantId));
    const product = await seedProduct(t.db, m.merchantId, { keys: 2, keyPrefix: 'MAILKEY-', instructions: 'Redeem in the app.' });
    const order = await createOrder(
      t.db,
      { productId: product.id, quantity: 2, email: 'buyer@example.test', channel: m.demoChannelId },
      { merchantId: m.merchantId },
    );
    await applyPayment(t.db, m.demoChannelId, { outTradeNo: order.orderNo, tradeNo: 'MAIL-1', amount: order.amount, currency: 'CNY', raw: {} });

    const drained = await drainOutbox(t.db, { consumers: mailConsumers(t.db) });
    expect(drained).toMatchObject({ done: 1, failed: 0 });
    expect(await drainOutbox(t.db, { consumers: mailConsumers(t.db) })).toMatchObject({ claimed: 0 });

    expect(received()).toHaveLength(1);
    const mail = received()[0]!;
    expect(mail.to).toEqual(['buyer@example.test']);
    expect(mail.from).toBe('shop@example.test');
    // The merchant's sender name is shown to the buyer, at MAIL_FROM's address.
    expect(mail.raw).toMatch(/^From: "?Acme Keys"? <shop@example\.test>/m);
    const text = unfolded(mail.raw);
    const contains = (s: string) => text.includes(s.replace(/=/g, '=3D')) || text.includes(s);
    expect(contains('MAILKEY-0')).toBe(true);
    expect(contains('MAILKEY-1')).toBe(true);
    expect(contains(`/order/${order.orderNo}?token=`)).toBe(true);
    expect(mail.raw).toMatch(/Content-Type: text\/plain/i);
    expect(mail.raw).toMatch(/Content-Type: text\/html/i);
  });

  it('a coupon order’s e-mail says what the buyer paid and what the coupon took off', async () => {
    smtp.received.length = 0;
    const m = await seedMerchant(t.db);
    const product = await seedProduct(t.db, m.merchantId, { keys: 1, price: 2000 });
    await createCoupons(t.db, m.actor, { code: 'MAILFIVE', type: 'fixed', value: 500 });
    const order = await createOrder(
      t.db,
      { productId: product.id, quantity: 1, email: 'saver@example.test', channel: m.demoChannelId, couponCode: 'MAILFIVE' },
      { merchantId: m.merchantId, locale: 'en' },
    );
    await applyPayment(t.db, m.demoChannelId, { outTradeNo: order.orderNo, tradeNo: 'MAIL-C', amount: order.amount, currency: 'CNY', raw: {} });
    await drainOutbox(t.db, { consumers: mailConsumers(t.db) });
    expect(received()).toHaveLength(1);
    const text = unfolded(received()[0]!.raw);
    expect(text).toMatch(/You paid \S*15\.00; your coupon took off \S*5\.00\./);
  });

  it('an SMTP failure leaves the row for a retry with backoff', async () => {
    smtp.received.length = 0;
    const m = await seedMerchant(t.db);
    const product = await seedProduct(t.db, m.merchantId, { keys: 1 });
    const order = await createOrder(t.db, { productId: product.id, email: 'later@example.test', channel: m.demoChannelId }, { merchantId: m.merchantId });
    await applyPayment(t.db, m.demoChannelId, { outTradeNo: order.orderNo, tradeNo: 'MAIL-2', amount: order.amount, currency: 'CNY', raw: {} });
    const saved = process.env.SMTP_URL;
    process.env.SMTP_URL = 'smtp://127.0.0.1:9'; // nothing listens there
    resetConfig();
    resetMailTransport();
    try {
      expect(await drainOutbox(t.db, { consumers: mailConsumers(t.db) })).toMatchObject({ failed: 1, done: 0 });
    } finally {
      process.env.SMTP_URL = saved;
      resetConfig();
      resetMailTransport();
    }
    expect(received()).toHaveLength(0);
  });
});
