// USDT on TRON (TRC-20) through an epusdt server (assimon/epusdt, the one 独角数卡 uses), run
// by the merchant. The shop asks it for a transaction in CNY; it answers the wallet address
// and the exact USDT amount (bumped by 0.0001 until unique per wallet, because the amount is
// how a chain transfer is matched), and calls back when the transfer is seen. Requests and
// callbacks are JSON, signed MD5 over every non-empty field but `signature`, sorted, joined
// k=v&…, with the API token appended. Only `status: 2` is paid, and only for the trade_id
// the server gave this attempt. Reply `ok` or it retries (5 times).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { amountToInput, parseExactAmount } from '@/lib/money';
import { ProviderError, type ChannelDriver, type ConnectionTest, type NotificationInput } from '../channel';
import { callProvider, httpsUrl, parseJson, providerWords } from './shared';

export const usdtConfigSchema = z.object({
  baseUrl: httpsUrl(''),
  /** epusdt's api_auth_token: signs both ways. */
  token: z.string().min(16).max(256),
});
export type UsdtConfig = z.infer<typeof usdtConfigSchema>;

const CREATE_PATH = '/api/v1/order/create-transaction';
export const USDT_NETWORK = 'TRON (TRC-20)';

/**
 * A value as epusdt's Go server writes it into the string it signs: numbers the shortest
 * way (`42`, `7.9104`; Go's FormatFloat 'f' -1), text as it is; null and empty left out.
 */
function signValue(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  return null;
}

export function epusdtSign(fields: Record<string, unknown>, token: string): string {
  const base = Object.keys(fields)
    .filter((k) => k !== 'signature' && signValue(fields[k]) !== null)
    .sort()
    .map((k) => `${k}=${signValue(fields[k])}`)
    .join('&');
  return createHash('md5')
    .update(base + token, 'utf8')
    .digest('hex');
}

/** CNY minor units as the number epusdt reads (`8880` → `88.8`, `4200` → `42`), from text, never through arithmetic on floats. */
function cnyNumber(fen: number): number {
  return Number(amountToInput(fen, 'CNY').replace(/\.?0+$/, ''));
}

function sameSignature(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

const ERRORS: Record<number, string> = {
  401: 'signature refused (check the API token)',
  10002: 'duplicate order',
  10003: 'no wallet address available',
  10004: 'amount too small',
  10005: 'no free amount slot',
  10006: 'exchange rate unavailable',
  10008: 'not found',
  10009: 'bad parameters',
};

async function createTransaction(config: UsdtConfig, fields: Record<string, unknown>, fetchImpl: typeof fetch) {
  const body = JSON.stringify({ ...fields, signature: epusdtSign(fields, config.token) });
  const answer = await callProvider(fetchImpl, `${config.baseUrl}${CREATE_PATH}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body,
  });
  const json = parseJson(answer.text);
  return { code: Number(json.status_code), message: json.message, data: json.data as Record<string, unknown> | undefined };
}

function notificationFields(input: NotificationInput): Record<string, unknown> | null {
  const j = input.json;
  return j && typeof j === 'object' && !Array.isArray(j) ? (j as Record<string, unknown>) : null;
}

export const usdt: ChannelDriver<UsdtConfig> = {
  kind: 'usdt',
  action: 'crypto',
  creates: 'remote',
  method: () => 'usdt',
  fields: [
    { name: 'baseUrl', input: 'url', required: true, placeholder: 'https://epusdt.example.com' },
    { name: 'token', input: 'secret', required: true },
  ],
  configSchema: usdtConfigSchema,
  currencies: ['CNY'],
  destinationFields: ['baseUrl'],

  async createPayment(config, req, fetchImpl) {
    // Never an empty field: the server signs what it received, and drops only nulls.
    const answer = await createTransaction(
      config,
      { order_id: req.orderNo, amount: cnyNumber(req.amount), notify_url: req.notifyUrl, redirect_url: req.returnUrl },
      fetchImpl,
    );
    if (answer.code !== 200)
      throw new ProviderError(answer.code === 400 ? 'unavailable' : 'refused', providerWords(answer.code, ERRORS[answer.code] ?? answer.message));
    const d = answer.data ?? {};
    const actual = typeof d.actual_amount === 'number' ? String(d.actual_amount) : typeof d.actual_amount === 'string' ? d.actual_amount : '';
    if (d.order_id !== req.orderNo || typeof d.trade_id !== 'string' || !d.trade_id || typeof d.token !== 'string' || !/^\d+(\.\d{1,6})?$/.test(actual)) {
      throw new ProviderError('unavailable', 'the answer lacks the trade, the address or the amount');
    }
    // The server's expiry, but never past the order's.
    const serverExpiry = typeof d.expiration_time === 'number' ? new Date(d.expiration_time * 1000) : req.expiresAt;
    const expiresAt = serverExpiry < req.expiresAt ? serverExpiry : req.expiresAt;
    return {
      action: { type: 'crypto', network: USDT_NETWORK, address: d.token, amount: actual, currency: 'USDT', expiresAt: expiresAt.toISOString() },
      providerRef: d.trade_id,
    };
  },

  verifyNotification(config, input) {
    const f = notificationFields(input);
    if (!f || typeof f.trade_id !== 'string' || typeof f.order_id !== 'string' || f.amount === undefined || f.status === undefined)
      return { ok: false, reason: 'malformed' };
    if (!sameSignature(epusdtSign(f, config.token), f.signature)) return { ok: false, reason: 'bad_signature' };
    const amount = parseExactAmount(signValue(f.amount) ?? undefined, 'CNY');
    if (amount === null) return { ok: false, reason: 'malformed' };
    const raw: Record<string, string> = {};
    for (const [k, v] of Object.entries(f)) if (k !== 'signature' && signValue(v) !== null) raw[k] = signValue(v)!;
    // BEpusdt-style servers also call back with status 1 (waiting): only 2 is paid.
    return { ok: true, outTradeNo: f.order_id, tradeNo: f.trade_id, providerRef: f.trade_id, amount, currency: 'CNY', paid: Number(f.status) === 2, raw };
  },

  reply: (accepted) => ({ status: accepted ? 200 : 400, body: accepted ? 'ok' : 'fail', contentType: 'text/plain; charset=utf-8' }),

  async queryPayment(config, attempt, fetchImpl) {
    // Unauthenticated and amount-less: trusted only for the trade_id bound to this attempt at creation.
    if (!attempt.providerRef) return null;
    const answer = await callProvider(fetchImpl, `${config.baseUrl}/pay/check-status/${encodeURIComponent(attempt.providerRef)}`, {
      method: 'GET',
      headers: { Accept: 'application/json' },
    });
    const json = parseJson(answer.text);
    const data = json.data as Record<string, unknown> | undefined;
    if (Number(json.status_code) !== 200 || !data) return null;
    if (data.trade_id !== attempt.providerRef) throw new ProviderError('unavailable', 'the answer is about another trade');
    return Number(data.status) === 2 ? { paid: true, tradeNo: attempt.providerRef, amount: attempt.amount, currency: attempt.currency } : { paid: false };
  },

  async testConnection(config, fetchImpl): Promise<ConnectionTest> {
    // A properly signed request for an amount no server accepts: the signature is checked
    // first (401 for a wrong token), then the amount (10004/10009), so nothing is created.
    try {
      const answer = await createTransaction(
        config,
        { order_id: `TEST${randomBytes(6).toString('hex')}`, amount: 0.001, notify_url: 'https://example.invalid/notify' },
        fetchImpl,
      );
      const words = providerWords(answer.code, ERRORS[answer.code] ?? answer.message);
      if (answer.code === 401) return { status: 'rejected', providerMessage: words };
      if (answer.code === 10004 || answer.code === 10009 || answer.code === 200) return { status: 'ok', providerMessage: words };
      return { status: 'unexpected', providerMessage: words };
    } catch (e) {
      if (e instanceof ProviderError) return { status: 'unreachable', providerMessage: e.providerMessage };
      throw e;
    }
  },
};
