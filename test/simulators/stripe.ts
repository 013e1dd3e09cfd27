// Stripe's side of Checkout, for tests: the API the official `stripe` package calls (form
// bodies with bracket keys, Bearer secret key, Idempotency-Key), Checkout Sessions, refunds,
// the balance, a hosted page whose button stands in for the buyer's card, and webhooks to the
// endpoint the merchant registered, signed `t=…,v1=HMAC-SHA256(whsec, t.body)` and retried on
// a compressed schedule until the shop answers 2xx. Self-contained (node:crypto only).
import { createHmac, randomBytes } from 'node:crypto';
import {
  armed,
  HANG,
  notifyUntilAccepted,
  sendCopies,
  startHttpsSimulator,
  type Delivery,
  type SimRequest,
  type SimResponse,
  type TransportFaults,
} from './server';

export const STRIPE_RETRY_SECONDS = [60, 300, 1800, 3600, 7200, 14400, 28800, 43200, 86400] as const;

type Session = {
  id: string;
  object: 'checkout.session';
  url: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid';
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  customer_email: string | null;
  metadata: Record<string, string>;
  payment_intent: string | null;
  expires_at: number;
  success_url: string;
  cancel_url: string;
};

export type StripeFaults = TransportFaults & {
  badSign?: boolean;
  skewSeconds?: number;
  amount?: number;
  currency?: string;
  paymentStatus?: 'unpaid';
  /** Sends this event type instead of checkout.session.completed. */
  type?: string;
  copies?: number;
  dropNotify?: boolean;
};

/** `a[b][0][c]=1` form keys as the nested object they stand for. */
function parseForm(body: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, '').split('[');
    let node = out;
    path.forEach((p, i) => {
      if (i === path.length - 1) node[p] = value;
      else node = (node[p] ??= {}) as Record<string, unknown>;
    });
  }
  return out;
}

const error = (status: number, type: string, message: string): SimResponse => ({ status, body: JSON.stringify({ error: { type, message } }) });

export async function startStripeSimulator(opts: { timeScale?: number } = {}) {
  const secretKey = `sk_test_${randomBytes(16).toString('hex')}`;
  const webhookSecret = `whsec_${randomBytes(24).toString('base64').replace(/[+/=]/g, 'x')}`;
  const sessions = new Map<string, Session>();
  const refunds: Record<string, unknown>[] = [];
  const idempotent = new Map<string, SimResponse>();
  const calls: { method: string; path: string; form: Record<string, unknown> }[] = [];
  const deliveries: Delivery[] = [];
  const faults: StripeFaults = {};
  const pending: Promise<unknown>[] = [];
  const state = { webhookUrl: '' };
  let base = '';

  const api = (req: SimRequest): SimResponse => {
    if (req.headers.authorization !== `Bearer ${secretKey}`) return error(401, 'invalid_request_error', 'Invalid API Key provided: sk_test_****');
    const key = req.method === 'POST' ? req.headers['idempotency-key'] : undefined;
    if (typeof key === 'string' && idempotent.has(key)) return idempotent.get(key)!;
    const form = parseForm(req.body);
    calls.push({ method: req.method, path: req.url.pathname, form });
    const answer = route(req, form);
    if (typeof key === 'string' && (answer.status ?? 200) < 500) idempotent.set(key, answer);
    return answer;
  };

  const route = (req: SimRequest, form: Record<string, unknown>): SimResponse => {
    const json = (v: unknown): SimResponse => ({ body: JSON.stringify(v) });
    if (req.method === 'POST' && req.url.pathname === '/v1/checkout/sessions') {
      const item = (form.line_items as Record<string, Record<string, unknown>> | undefined)?.['0'];
      const price = item?.price_data as Record<string, unknown> | undefined;
      const unit = Number(price?.unit_amount);
      if (form.mode !== 'payment' || !price || !Number.isInteger(unit) || unit < 1 || typeof price.currency !== 'string' || !form.success_url) {
        return error(400, 'invalid_request_error', 'Missing required param: line_items[0][price_data].');
      }
      const expiresAt = Number(form.expires_at);
      const now = Math.floor(Date.now() / 1000);
      if (form.expires_at !== undefined && (expiresAt < now + 1800 || expiresAt > now + 86400)) {
        return error(400, 'invalid_request_error', 'The `expires_at` timestamp must be between 30 minutes and 24 hours from now.');
      }
      const id = `cs_test_${randomBytes(12).toString('hex')}`;
      const s: Session = {
        id,
        object: 'checkout.session',
        url: `${base}/c/pay/${id}`,
        status: 'open',
        payment_status: 'unpaid',
        amount_total: unit * Number(item?.quantity ?? 1),
        currency: price.currency,
        client_reference_id: typeof form.client_reference_id === 'string' ? form.client_reference_id : null,
        customer_email: typeof form.customer_email === 'string' ? form.customer_email : null,
        metadata: (form.metadata as Record<string, string>) ?? {},
        payment_intent: null,
        expires_at: form.expires_at !== undefined ? expiresAt : now + 86400,
        success_url: String(form.success_url),
        cancel_url: String(form.cancel_url ?? ''),
      };
      sessions.set(id, s);
      return json(s);
    }
    const m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(req.url.pathname);
    if (req.method === 'GET' && m) {
      const s = sessions.get(m[1]!);
      return s ? json(s) : error(404, 'invalid_request_error', `No such checkout.session: '${m[1]}'`);
    }
    if (req.method === 'POST' && req.url.pathname === '/v1/refunds') {
      const paid = [...sessions.values()].find((s) => s.payment_intent && s.payment_intent === form.payment_intent);
      if (!paid) return error(400, 'invalid_request_error', `No such payment_intent: '${String(form.payment_intent)}'`);
      const r = {
        id: `re_${randomBytes(10).toString('hex')}`,
        object: 'refund',
        amount: Number(form.amount ?? paid.amount_total),
        payment_intent: paid.payment_intent,
        status: 'succeeded',
        currency: paid.currency,
      };
      refunds.push(r);
      return json(r);
    }
    if (req.method === 'GET' && req.url.pathname === '/v1/balance')
      return json({ object: 'balance', livemode: false, available: [{ amount: 0, currency: 'usd' }], pending: [] });
    return error(404, 'invalid_request_error', `Unrecognized request URL (${req.method}: ${req.url.pathname}).`);
  };

  const event = (s: Session): string =>
    JSON.stringify({
      id: `evt_${randomBytes(12).toString('hex')}`,
      object: 'event',
      api_version: '2025-01-01',
      created: Math.floor(Date.now() / 1000),
      type: faults.type ?? 'checkout.session.completed',
      livemode: false,
      data: {
        object: {
          ...s,
          amount_total: faults.amount ?? s.amount_total,
          currency: faults.currency ?? s.currency,
          payment_status: faults.paymentStatus ?? s.payment_status,
        },
      },
    });

  const signature = (payload: string) => {
    const t = Math.floor(Date.now() / 1000) + (faults.skewSeconds ?? 0);
    const v1 = createHmac('sha256', faults.badSign ? 'whsec_not_the_secret' : webhookSecret)
      .update(`${t}.${payload}`)
      .digest('hex');
    return `t=${t},v1=${v1}`;
  };

  const timeScale = opts.timeScale ?? 0.00001;
  /** The buyer pays on the hosted page: the session completes and its event goes to the endpoint. */
  const pay = (sessionId: string): Promise<boolean[]> => {
    const s = sessions.get(sessionId);
    if (!s) throw new Error(`no session ${sessionId}`);
    if (s.payment_status !== 'paid') Object.assign(s, { status: 'complete', payment_status: 'paid', payment_intent: `pi_${randomBytes(12).toString('hex')}` });
    if (faults.dropNotify) return Promise.resolve([]);
    const payload = event(s);
    const one = () =>
      notifyUntilAccepted(
        state.webhookUrl,
        { headers: { 'Content-Type': 'application/json; charset=utf-8', 'Stripe-Signature': signature(payload) }, body: payload },
        (d) => d.status >= 200 && d.status < 300,
        STRIPE_RETRY_SECONDS.map((x) => x * 1000),
        timeScale,
        deliveries,
      );
    return sendCopies(faults.copies, one, pending);
  };

  const server = await startHttpsSimulator((req) => {
    if (armed(faults, 'timeouts')) return HANG;
    if (req.url.pathname.startsWith('/v1/')) {
      if (armed(faults, 'http500')) return error(500, 'api_error', 'An unknown error occurred');
      return api(req);
    }
    const m = /^\/c\/pay\/([^/]+)$/.exec(req.url.pathname);
    const s = m ? sessions.get(m[1]!) : undefined;
    if (m && s) {
      if (req.method === 'POST') {
        void pay(s.id);
        return { status: 303, headers: { Location: s.success_url } };
      }
      return {
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
        body: `<!doctype html><meta charset="utf-8"><title>Stripe Checkout (simulator)</title><body><h1>Pay ${(s.amount_total / 100).toFixed(2)} ${s.currency.toUpperCase()}</h1><form method="post"><button id="pay">Pay</button></form></body>`,
      };
    }
    return { status: 404, body: '{}' };
  });
  base = server.base;

  return {
    apiBase: server.base,
    config: { secretKey, webhookSecret, apiBase: server.base },
    /** The endpoint the merchant registered in the Stripe dashboard. */
    set webhookUrl(url: string) {
      state.webhookUrl = url;
    },
    sessions,
    sessionOf: (orderNo: string) => [...sessions.values()].find((s) => s.client_reference_id === orderNo),
    calls,
    refunds,
    deliveries,
    faults,
    pay,
    settle: () => Promise.all(pending),
    close: server.close,
  };
}
