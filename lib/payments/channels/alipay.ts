// 支付宝当面付 (Alipay face-to-face, precreate QR) over the OpenAPI gateway, public-key mode.
// Requests: every parameter but `sign`, empty ones dropped, sorted by name, joined k=v&…
// raw (no URL-encoding), signed RSA-SHA256 with the app's private key. Answers: the JSON
// under `<method>_response` is verified over its exact bytes as sent (escaped slashes and
// all) with the Alipay public key. Notifications: a form, verified over every received
// parameter but `sign` and `sign_type`, then app_id (and seller_id when set) must be ours.
// Reply `success`, or Alipay retries 8 times over ~25 h.
import { createSign, createVerify, randomBytes, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { amountToInput, parseExactAmount } from '@/lib/money';
import { ProviderError, type ChannelDriver, type ConnectionTest, type QueriedPayment } from '../channel';
import { callProvider, httpsUrl, minutesUntil, parseJson, privateKeyField, privateKeyOf, providerWords, publicKeyField, publicKeyOf } from './shared';

export const ALIPAY_GATEWAY = 'https://openapi.alipay.com/gateway.do';

export const alipayConfigSchema = z.object({
  appId: z
    .string()
    .trim()
    .regex(/^\d{6,32}$/),
  privateKey: privateKeyField,
  alipayPublicKey: publicKeyField,
  gateway: httpsUrl(ALIPAY_GATEWAY),
  /** The merchant's 2088… PID: when set, a notification must name it as `seller_id`. */
  sellerId: z
    .string()
    .trim()
    .regex(/^2088\d{12}$/)
    .optional()
    .or(z.literal('').transform(() => undefined)),
});
export type AlipayConfig = z.infer<typeof alipayConfigSchema>;

/** The string Alipay signs: parameters sorted by name, `k=v` joined with `&`, values raw. */
export function alipaySignContent(params: Record<string, string>, omit: readonly string[] = ['sign']): string {
  return Object.keys(params)
    .filter((k) => !omit.includes(k) && params[k] !== undefined)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

export function rsaSign(content: string, key: KeyObject | string): string {
  return createSign('RSA-SHA256').update(content, 'utf8').sign(key, 'base64');
}

export function rsaVerify(content: string, signature: string, key: KeyObject): boolean {
  try {
    return createVerify('RSA-SHA256').update(content, 'utf8').verify(key, signature, 'base64');
  } catch {
    return false;
  }
}

/** Alipay's timestamp: `yyyy-MM-dd HH:mm:ss` in GMT+8. */
function beijingTime(at = new Date()): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
}

/**
 * The signed part of a gateway answer: the raw text of the value under `key`, from its `{`
 * to the `}` before the last `,"sign"`. Taken from the text, never re-serialised: Alipay
 * signs the bytes it sent.
 */
export function signedPartOf(text: string, key: string): string | null {
  const at = text.indexOf(`"${key}"`);
  if (at < 0) return null;
  const start = text.indexOf('{', at + key.length + 2);
  const signAt = text.lastIndexOf(',"sign"');
  const end = signAt > start ? text.lastIndexOf('}', signAt) : -1;
  return start >= 0 && end > start ? text.slice(start, end + 1) : null;
}

type GatewayAnswer = { body: Record<string, unknown>; code: string; words: string };

/**
 * One gateway call. A transport failure, an answer that does not parse or a success whose
 * signature does not verify is `unavailable`; an error code comes back to the caller.
 */
async function gateway(
  config: AlipayConfig,
  method: string,
  biz: Record<string, unknown>,
  fetchImpl: typeof fetch,
  extra: Record<string, string> = {},
): Promise<GatewayAnswer> {
  const key = privateKeyOf(config.privateKey);
  if (!key) throw new ProviderError('refused', 'the app private key does not parse');
  const params: Record<string, string> = {
    app_id: config.appId,
    method,
    format: 'JSON',
    charset: 'utf-8',
    sign_type: 'RSA2',
    timestamp: beijingTime(),
    version: '1.0',
    biz_content: JSON.stringify(biz),
    ...extra,
  };
  params.sign = rsaSign(alipaySignContent(params), key);
  const answer = await callProvider(fetchImpl, `${config.gateway}?charset=utf-8`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8', Accept: 'application/json' },
    body: new URLSearchParams(params).toString(),
  });
  const responseKey = `${method.replace(/\./g, '_')}_response`;
  const json = parseJson(answer.text);
  const body = json[responseKey] ?? json.error_response;
  if (!body || typeof body !== 'object') throw new ProviderError('unavailable', `HTTP ${answer.status}, no ${responseKey}`);
  const b = body as Record<string, unknown>;
  const code = String(b.code ?? '');
  const words = providerWords(code, b.msg, b.sub_code, b.sub_msg);
  if (typeof json.sign === 'string') {
    const part = signedPartOf(answer.text, json[responseKey] ? responseKey : 'error_response');
    const alipayKey = publicKeyOf(config.alipayPublicKey);
    if (!part || !alipayKey || !rsaVerify(part, json.sign, alipayKey))
      throw new ProviderError('unavailable', 'the answer does not verify with the Alipay public key');
  } else if (code === '10000') {
    // Alipay signs every successful answer; an unsigned one is not from Alipay.
    throw new ProviderError('unavailable', 'the answer is not signed');
  }
  return { body: b, code, words };
}

const PAID = new Set(['TRADE_SUCCESS', 'TRADE_FINISHED']);

export const alipay: ChannelDriver<AlipayConfig> = {
  kind: 'alipay',
  action: 'qr',
  creates: 'remote',
  method: () => 'alipay',
  fields: [
    { name: 'appId', input: 'text', required: true, placeholder: '2021000000000000' },
    { name: 'privateKey', input: 'pem', secret: true, required: true },
    { name: 'alipayPublicKey', input: 'pem', required: true },
    { name: 'sellerId', input: 'text', required: false, placeholder: '2088000000000000' },
    { name: 'gateway', input: 'url', required: false, placeholder: ALIPAY_GATEWAY },
  ],
  configSchema: alipayConfigSchema,
  currencies: ['CNY'],
  destinationFields: ['gateway'],

  async createPayment(config, req, fetchImpl) {
    const answer = await gateway(
      config,
      'alipay.trade.precreate',
      {
        out_trade_no: req.orderNo,
        total_amount: amountToInput(req.amount, 'CNY'),
        subject: req.subject.slice(0, 128),
        timeout_express: `${minutesUntil(req.expiresAt)}m`,
        ...(config.sellerId ? { seller_id: config.sellerId } : {}),
      },
      fetchImpl,
      { notify_url: req.notifyUrl },
    );
    if (answer.code !== '10000') throw new ProviderError(answer.code === '20000' ? 'unavailable' : 'refused', answer.words);
    if (answer.body.out_trade_no !== req.orderNo || typeof answer.body.qr_code !== 'string' || !answer.body.qr_code) {
      throw new ProviderError('unavailable', 'the answer has no qr_code for this order');
    }
    return { action: { type: 'qr', payload: answer.body.qr_code, app: 'alipay' } };
  },

  verifyNotification(config, input) {
    const p = input.body;
    if (!p.sign || !p.out_trade_no || !p.trade_no || !p.total_amount || !p.trade_status || !p.app_id) return { ok: false, reason: 'malformed' };
    const key = publicKeyOf(config.alipayPublicKey);
    if (!key) return { ok: false, reason: 'bad_signature' };
    // The documented rule leaves sign_type out; the official SDK also accepts it kept in.
    const verified = rsaVerify(alipaySignContent(p, ['sign', 'sign_type']), p.sign, key) || rsaVerify(alipaySignContent(p, ['sign']), p.sign, key);
    if (!verified) return { ok: false, reason: 'bad_signature' };
    if (p.app_id !== config.appId || (config.sellerId && p.seller_id !== config.sellerId)) return { ok: false, reason: 'wrong_merchant' };
    const amount = parseExactAmount(p.total_amount, 'CNY');
    if (amount === null) return { ok: false, reason: 'malformed' };
    const raw = Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'sign'));
    return { ok: true, outTradeNo: p.out_trade_no, tradeNo: p.trade_no, amount, currency: 'CNY', paid: PAID.has(p.trade_status), raw };
  },

  reply: (accepted) => ({ status: 200, body: accepted ? 'success' : 'fail', contentType: 'text/plain; charset=utf-8' }),

  async queryPayment(config, attempt, fetchImpl): Promise<QueriedPayment | null> {
    const answer = await gateway(config, 'alipay.trade.query', { out_trade_no: attempt.outTradeNo }, fetchImpl);
    // ACQ.TRADE_NOT_EXIST: in face-to-face payment the trade exists once the buyer scans.
    if (answer.code === '40004' && answer.body.sub_code === 'ACQ.TRADE_NOT_EXIST') return { paid: false };
    if (answer.code !== '10000') throw new ProviderError('refused', answer.words);
    if (answer.body.out_trade_no !== attempt.outTradeNo) throw new ProviderError('unavailable', 'the answer is about another trade');
    const status = String(answer.body.trade_status ?? '');
    const amount = parseExactAmount(String(answer.body.total_amount ?? ''), 'CNY');
    return { paid: PAID.has(status), tradeNo: answer.body.trade_no ? String(answer.body.trade_no) : undefined, amount: amount ?? undefined, currency: 'CNY' };
  },

  async refund(config, attempt, refund, fetchImpl) {
    const answer = await gateway(
      config,
      'alipay.trade.refund',
      {
        out_trade_no: attempt.outTradeNo,
        refund_amount: amountToInput(refund.amount, 'CNY'),
        out_request_no: refund.refundNo,
        refund_reason: refund.reason.slice(0, 256),
      },
      fetchImpl,
    );
    if (answer.code !== '10000') throw new ProviderError(answer.code === '20000' ? 'unavailable' : 'refused', answer.words);
    // fund_change "N" on a repeated out_request_no: this refund was made before.
    return { status: 'succeeded', providerMessage: providerWords('fund_change', answer.body.fund_change) };
  },

  async testConnection(config, fetchImpl): Promise<ConnectionTest> {
    // An order number no shop ever issued: the gateway checks the app and its signature first.
    try {
      const answer = await gateway(config, 'alipay.trade.query', { out_trade_no: `TEST${randomBytes(8).toString('hex')}` }, fetchImpl);
      if (answer.code === '10000' || (answer.code === '40004' && answer.body.sub_code === 'ACQ.TRADE_NOT_EXIST'))
        return { status: 'ok', providerMessage: answer.words };
      if (answer.code === '40002' || answer.code === '40006' || answer.code === '20001') return { status: 'rejected', providerMessage: answer.words };
      return { status: 'unexpected', providerMessage: answer.words };
    } catch (e) {
      if (e instanceof ProviderError) return { status: e.providerMessage.includes('verify') ? 'rejected' : 'unreachable', providerMessage: e.providerMessage };
      throw e;
    }
  },
};
