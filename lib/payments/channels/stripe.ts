// Stripe Checkout through the official `stripe` package, its HTTP calls made by our guarded
// fetch (address checks, deadline). A Checkout Session per attempt; the buyer is redirected to
// its `url`. Webhooks: `Stripe-Signature` (HMAC-SHA256 over `t.rawBody`, 300 s tolerance)
// checked by `constructEvent` on the exact bytes; `checkout.session.completed` (or
// `…async_payment_succeeded`) with `payment_status: paid` pays, for the session bound to the
// attempt, with `amount_total` and `currency` equal to the attempt's. Every other verified
// event is acknowledged with 2xx (Stripe retries anything else for three days).
import Stripe from 'stripe';
import { z } from 'zod';
import { ProviderError, type ChannelDriver, type ConnectionTest, type QueriedPayment } from '../channel';
import { httpsUrl, providerWords } from './shared';

export const STRIPE_API = 'https://api.stripe.com';
const TOLERANCE_S = 300;
const PAID_EVENTS = new Set(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);

export const stripeConfigSchema = z.object({
  secretKey: z
    .string()
    .trim()
    .regex(/^(sk|rk)_(live|test)_[0-9A-Za-z]{10,250}$/),
  webhookSecret: z
    .string()
    .trim()
    .regex(/^whsec_[0-9A-Za-z+/=]{10,250}$/),
  apiBase: httpsUrl(STRIPE_API),
});
export type StripeConfig = z.infer<typeof stripeConfigSchema>;

function client(config: StripeConfig, fetchImpl: typeof fetch): Stripe {
  const base = new URL(config.apiBase);
  return new Stripe(config.secretKey, {
    host: base.hostname,
    port: base.port || 443,
    protocol: 'https',
    httpClient: Stripe.createFetchHttpClient(fetchImpl),
    // One try, bounded: a failure is reported (and, with failover, tried elsewhere), not retried here.
    maxNetworkRetries: 0,
    timeout: 8000,
    telemetry: false,
  });
}

/** A Stripe SDK error as ours: no answer or a 5xx is `unavailable`; any other refusal is the provider's no. */
function asProviderError(e: unknown): ProviderError {
  if (e instanceof ProviderError) return e;
  if (e instanceof Stripe.errors.StripeError) {
    const down = e instanceof Stripe.errors.StripeConnectionError || e instanceof Stripe.errors.StripeAPIError || (e.statusCode ?? 0) >= 500;
    return new ProviderError(down ? 'unavailable' : 'refused', providerWords(e.type, e.code, e.message));
  }
  return new ProviderError('unavailable', 'no answer');
}

// The webhook signature needs no network and no key of the account: one instance checks them.
const verifier = new Stripe('sk_test_webhookverification', { telemetry: false });

export const stripe: ChannelDriver<StripeConfig> = {
  kind: 'stripe',
  action: 'redirect',
  creates: 'remote',
  method: () => 'card',
  fields: [
    { name: 'secretKey', input: 'secret', required: true, placeholder: 'sk_live_…' },
    { name: 'webhookSecret', input: 'secret', required: true, placeholder: 'whsec_…' },
    { name: 'apiBase', input: 'url', required: false, placeholder: STRIPE_API },
  ],
  configSchema: stripeConfigSchema,
  // Charged in the order's own currency (no conversion); the account must support it.
  currencies: ['USD', 'EUR', 'GBP', 'HKD', 'SGD', 'CNY', 'JPY'],
  destinationFields: ['apiBase'],

  async createPayment(config, req, fetchImpl) {
    try {
      // Checkout needs 30 minutes at least; a payment after the order lapsed is handled as any late payment.
      const expiresAt = Math.max(Math.floor(req.expiresAt.getTime() / 1000), Math.floor(Date.now() / 1000) + 31 * 60);
      const session = await client(config, fetchImpl).checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [
            { quantity: 1, price_data: { currency: req.currency.toLowerCase(), unit_amount: req.amount, product_data: { name: req.subject.slice(0, 250) } } },
          ],
          client_reference_id: req.orderNo,
          metadata: { out_trade_no: req.orderNo },
          payment_intent_data: { metadata: { out_trade_no: req.orderNo } },
          success_url: req.returnUrl,
          cancel_url: req.returnUrl,
          ...(req.email ? { customer_email: req.email } : {}),
          expires_at: expiresAt,
        },
        // A retried create (same attempt) gets the same session.
        { idempotencyKey: `checkout-${req.orderNo}` },
      );
      if (!session.url || session.client_reference_id !== req.orderNo) throw new ProviderError('unavailable', 'the session has no url for this order');
      return { action: { type: 'redirect', url: session.url }, providerRef: session.id };
    } catch (e) {
      throw asProviderError(e);
    }
  },

  verifyNotification(config, input) {
    const header = input.headers?.['stripe-signature'];
    if (input.rawBody === undefined || !header) return { ok: false, reason: 'malformed' };
    let event: Stripe.Event;
    try {
      event = verifier.webhooks.constructEvent(input.rawBody, header, config.webhookSecret, TOLERANCE_S);
    } catch (e) {
      return { ok: false, reason: e instanceof Error && /timestamp/i.test(e.message) ? 'stale' : 'bad_signature' };
    }
    // Expired sessions, failed async payments and every other type: acknowledged, nothing to apply.
    if (!PAID_EVENTS.has(event.type)) return { ok: 'ignored', what: event.type };
    const session = event.data.object as Stripe.Checkout.Session;
    // `completed` with a bank debit still on its way: the `async_payment_succeeded` event follows.
    if (session.payment_status !== 'paid') return { ok: 'ignored', what: `${event.type} (${session.payment_status})` };
    if (!session.client_reference_id || session.amount_total == null || !session.currency) return { ok: false, reason: 'malformed' };
    const paymentIntent = typeof session.payment_intent === 'string' ? session.payment_intent : session.payment_intent?.id;
    return {
      ok: true,
      outTradeNo: session.client_reference_id,
      // The PaymentIntent: `completed` and `async_payment_succeeded` of one payment are one payment.
      tradeNo: paymentIntent ?? session.id,
      providerRef: session.id,
      amount: session.amount_total,
      currency: session.currency.toUpperCase(),
      paid: true,
      raw: { event: event.id, type: event.type, session: session.id, payment_status: String(session.payment_status) },
    };
  },

  reply: (accepted) => ({ status: accepted ? 200 : 400, body: accepted ? '{"received":true}' : '{"received":false}', contentType: 'application/json' }),

  async queryPayment(config, attempt, fetchImpl): Promise<QueriedPayment | null> {
    if (!attempt.providerRef) return null;
    try {
      const session = await client(config, fetchImpl).checkout.sessions.retrieve(attempt.providerRef);
      if (session.client_reference_id !== attempt.outTradeNo) throw new ProviderError('unavailable', 'the session is about another order');
      const pi = typeof session.payment_intent === 'string' ? session.payment_intent : session.payment_intent?.id;
      return {
        paid: session.payment_status === 'paid',
        tradeNo: pi ?? session.id,
        amount: session.amount_total ?? undefined,
        currency: session.currency?.toUpperCase(),
      };
    } catch (e) {
      throw asProviderError(e);
    }
  },

  async refund(config, attempt, refund, fetchImpl) {
    try {
      const r = await client(config, fetchImpl).refunds.create(
        { payment_intent: attempt.tradeNo, amount: refund.amount, metadata: { out_trade_no: attempt.outTradeNo, reason: refund.reason.slice(0, 400) } },
        { idempotencyKey: refund.refundNo },
      );
      if (r.status === 'succeeded') return { status: 'succeeded', providerMessage: r.id };
      if (r.status === 'pending' || r.status === 'requires_action') return { status: 'pending', providerMessage: r.id };
      throw new ProviderError('refused', providerWords('refund', r.status, r.failure_reason));
    } catch (e) {
      throw asProviderError(e);
    }
  },

  async testConnection(config, fetchImpl): Promise<ConnectionTest> {
    try {
      await client(config, fetchImpl).balance.retrieve();
      return { status: 'ok' };
    } catch (e) {
      const err = asProviderError(e);
      return { status: err.kind === 'refused' ? 'rejected' : 'unreachable', providerMessage: err.providerMessage };
    }
  },
};
