// WeChat Pay API v3, Native (扫码支付). Requests carry `Authorization: WECHATPAY2-SHA256-RSA2048`
// signed with the merchant's API key over `METHOD\nPATH\nTIMESTAMP\nNONCE\nBODY\n`. Answers and
// notifications are signed by WeChat Pay over `TIMESTAMP\nNONCE\nBODY\n` with the platform
// key named by `Wechatpay-Serial` (a platform certificate or a 微信支付公钥 PUB_KEY_ID_…);
// timestamps more than 300 s off and `WECHATPAY/SIGNTEST/` probes are refused. The
// notification's resource is AES-256-GCM sealed with the APIv3 key. Reply 2xx with no body,
// or 4xx with {"code":"FAIL"} and WeChat retries (15 times over a day).
import { createDecipheriv, createSign, createVerify, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ProviderError, type ChannelDriver, type ConnectionTest, type NotificationInput, type QueriedPayment } from '../channel';
import { callProvider, httpsUrl, parseJson, privateKeyField, privateKeyOf, providerWords, publicKeyField, publicKeyOf } from './shared';

export const WECHAT_BASE = 'https://api.mch.weixin.qq.com';
const MAX_CLOCK_SKEW_S = 300;

export const wechatConfigSchema = z.object({
  mchid: z
    .string()
    .trim()
    .regex(/^\d{8,12}$/),
  appid: z
    .string()
    .trim()
    .regex(/^wx[0-9a-zA-Z]{16}$/),
  /** The serial number of the merchant API certificate (hex). */
  merchantSerialNo: z
    .string()
    .trim()
    .regex(/^[0-9A-Fa-f]{8,64}$/)
    .transform((s) => s.toUpperCase()),
  privateKey: privateKeyField,
  apiV3Key: z.string().refine((v) => Buffer.byteLength(v, 'utf8') === 32, { message: 'invalid_format' }),
  /** WeChat Pay's public key (微信支付公钥) or platform certificate, PEM. */
  platformPublicKey: publicKeyField,
  /** Its id: PUB_KEY_ID_… for a 微信支付公钥, or the platform certificate's serial. */
  platformSerial: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z_]{8,64}$/),
  baseUrl: httpsUrl(WECHAT_BASE),
});
export type WechatConfig = z.infer<typeof wechatConfigSchema>;

/** The merchant's request signature and the Authorization header that carries it. */
export function wechatAuthorization(
  config: Pick<WechatConfig, 'mchid' | 'merchantSerialNo' | 'privateKey'>,
  method: string,
  pathWithQuery: string,
  body: string,
  at = new Date(),
): string {
  const key = privateKeyOf(config.privateKey);
  if (!key) throw new ProviderError('refused', 'the merchant private key does not parse');
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const nonce = randomBytes(16).toString('hex').toUpperCase();
  const signature = createSign('RSA-SHA256').update(`${method}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${body}\n`, 'utf8').sign(key, 'base64');
  return `WECHATPAY2-SHA256-RSA2048 mchid="${config.mchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${config.merchantSerialNo}"`;
}

type SignedHeaders = { timestamp?: string; nonce?: string; signature?: string; serial?: string };

/** Whether WeChat Pay signed these bytes: the serial is ours, the time within 300 s, the signature good. */
function verifyWechatSignature(config: WechatConfig, h: SignedHeaders, body: string): 'ok' | 'bad_signature' | 'stale' | 'probe' {
  if (!h.timestamp || !h.nonce || !h.signature || !h.serial) return 'bad_signature';
  // WeChat Pay sends these to check that a merchant verifies at all.
  if (h.signature.startsWith('WECHATPAY/SIGNTEST/')) return 'probe';
  if (h.serial !== config.platformSerial) return 'bad_signature';
  const ts = Number(h.timestamp);
  if (!/^\d{1,12}$/.test(h.timestamp) || Math.abs(Date.now() / 1000 - ts) > MAX_CLOCK_SKEW_S) return 'stale';
  const key = publicKeyOf(config.platformPublicKey);
  if (!key) return 'bad_signature';
  try {
    return createVerify('RSA-SHA256').update(`${h.timestamp}\n${h.nonce}\n${body}\n`, 'utf8').verify(key, h.signature, 'base64') ? 'ok' : 'bad_signature';
  } catch {
    return 'bad_signature';
  }
}

/** AES-256-GCM with the APIv3 key: the notification's resource. Null when it does not open. */
export function openResource(apiV3Key: string, r: { ciphertext?: unknown; nonce?: unknown; associated_data?: unknown }): unknown {
  if (typeof r.ciphertext !== 'string' || typeof r.nonce !== 'string') return null;
  try {
    const data = Buffer.from(r.ciphertext, 'base64');
    if (data.length < 17) return null;
    const d = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(r.nonce, 'utf8'));
    d.setAuthTag(data.subarray(-16));
    d.setAAD(Buffer.from(typeof r.associated_data === 'string' ? r.associated_data : '', 'utf8'));
    return JSON.parse(Buffer.concat([d.update(data.subarray(0, -16)), d.final()]).toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

/** One signed API call; the answer's own signature is verified (success answers must carry one). */
async function api(config: WechatConfig, method: 'GET' | 'POST', pathWithQuery: string, payload: unknown, fetchImpl: typeof fetch) {
  const body = payload === undefined ? '' : JSON.stringify(payload);
  const answer = await callProvider(fetchImpl, `${config.baseUrl}${pathWithQuery}`, {
    method,
    headers: {
      Authorization: wechatAuthorization(config, method, pathWithQuery, body),
      Accept: 'application/json',
      ...(payload === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: payload === undefined ? undefined : body,
  });
  const h = (n: string) => answer.headers.get(n) ?? undefined;
  const signed = { timestamp: h('wechatpay-timestamp'), nonce: h('wechatpay-nonce'), signature: h('wechatpay-signature'), serial: h('wechatpay-serial') };
  const ok = answer.status >= 200 && answer.status < 300;
  if (ok || signed.signature) {
    const verdict = verifyWechatSignature(config, signed, answer.text);
    if (verdict !== 'ok') throw new ProviderError('unavailable', `the answer does not verify with the WeChat Pay public key (${verdict})`);
  }
  const json = answer.text ? parseJson(answer.text) : {};
  return { status: answer.status, json, words: providerWords(json.code, json.message) || `HTTP ${answer.status}` };
}

function notificationHeaders(input: NotificationInput): SignedHeaders {
  const h = input.headers ?? {};
  return { timestamp: h['wechatpay-timestamp'], nonce: h['wechatpay-nonce'], signature: h['wechatpay-signature'], serial: h['wechatpay-serial'] };
}

function beijingIso(at: Date): string {
  return `${new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

export const wechat: ChannelDriver<WechatConfig> = {
  kind: 'wechat',
  action: 'qr',
  creates: 'remote',
  method: () => 'wxpay',
  fields: [
    { name: 'mchid', input: 'text', required: true, placeholder: '1900000001' },
    { name: 'appid', input: 'text', required: true, placeholder: 'wx0000000000000000' },
    { name: 'merchantSerialNo', input: 'text', required: true },
    { name: 'privateKey', input: 'pem', secret: true, required: true },
    { name: 'apiV3Key', input: 'secret', required: true },
    { name: 'platformPublicKey', input: 'pem', required: true },
    { name: 'platformSerial', input: 'text', required: true, placeholder: 'PUB_KEY_ID_…' },
    { name: 'baseUrl', input: 'url', required: false, placeholder: WECHAT_BASE },
  ],
  configSchema: wechatConfigSchema,
  currencies: ['CNY'],
  destinationFields: ['baseUrl'],

  async createPayment(config, req, fetchImpl) {
    const answer = await api(
      config,
      'POST',
      '/v3/pay/transactions/native',
      {
        appid: config.appid,
        mchid: config.mchid,
        description: [...req.subject].slice(0, 40).join(''),
        out_trade_no: req.orderNo,
        time_expire: beijingIso(req.expiresAt),
        notify_url: req.notifyUrl,
        amount: { total: req.amount, currency: 'CNY' },
      },
      fetchImpl,
    );
    if (answer.status !== 200) throw new ProviderError('refused', answer.words);
    if (typeof answer.json.code_url !== 'string' || !answer.json.code_url) throw new ProviderError('unavailable', 'the answer has no code_url');
    return { action: { type: 'qr', payload: answer.json.code_url, app: 'wechat' } };
  },

  verifyNotification(config, input) {
    if (input.rawBody === undefined) return { ok: false, reason: 'malformed' };
    const verdict = verifyWechatSignature(config, notificationHeaders(input), input.rawBody);
    if (verdict !== 'ok') return { ok: false, reason: verdict };
    const envelope = input.json as { id?: unknown; event_type?: unknown; resource?: Record<string, unknown> } | undefined;
    if (!envelope?.resource) return { ok: false, reason: 'malformed' };
    const tx = openResource(config.apiV3Key, envelope.resource) as Record<string, unknown> | null;
    // The signature held but the resource does not open: not sealed with this merchant's APIv3 key.
    if (!tx) return { ok: false, reason: 'wrong_merchant' };
    if (tx.mchid !== config.mchid || tx.appid !== config.appid) return { ok: false, reason: 'wrong_merchant' };
    const amount = tx.amount as { total?: unknown; currency?: unknown } | undefined;
    if (
      typeof tx.out_trade_no !== 'string' ||
      typeof tx.transaction_id !== 'string' ||
      typeof amount?.total !== 'number' ||
      !Number.isSafeInteger(amount.total)
    ) {
      return { ok: false, reason: 'malformed' };
    }
    return {
      ok: true,
      outTradeNo: tx.out_trade_no,
      tradeNo: tx.transaction_id,
      amount: amount.total,
      currency: typeof amount.currency === 'string' ? amount.currency : 'CNY',
      paid: envelope.event_type === 'TRANSACTION.SUCCESS' && tx.trade_state === 'SUCCESS',
      raw: {
        id: String(envelope.id ?? ''),
        event_type: String(envelope.event_type ?? ''),
        trade_state: String(tx.trade_state ?? ''),
        transaction_id: tx.transaction_id,
      },
    };
  },

  // The HTTP status decides: 2xx is taken, anything else retried. (200, not 204: a 204 may carry no body at all.)
  reply: (accepted) =>
    accepted
      ? { status: 200, body: '', contentType: 'text/plain; charset=utf-8' }
      : { status: 400, body: '{"code":"FAIL","message":"失败"}', contentType: 'application/json' },

  async queryPayment(config, attempt, fetchImpl): Promise<QueriedPayment | null> {
    const answer = await api(
      config,
      'GET',
      `/v3/pay/transactions/out-trade-no/${encodeURIComponent(attempt.outTradeNo)}?mchid=${config.mchid}`,
      undefined,
      fetchImpl,
    );
    if (answer.status === 404) return { paid: false };
    if (answer.status !== 200) throw new ProviderError('refused', answer.words);
    const j = answer.json;
    if (j.out_trade_no !== attempt.outTradeNo || j.mchid !== config.mchid) throw new ProviderError('unavailable', 'the answer is about another trade');
    const amount = j.amount as { total?: unknown; currency?: unknown } | undefined;
    return {
      paid: j.trade_state === 'SUCCESS',
      tradeNo: typeof j.transaction_id === 'string' ? j.transaction_id : undefined,
      amount: typeof amount?.total === 'number' ? amount.total : undefined,
      currency: typeof amount?.currency === 'string' ? amount.currency : 'CNY',
    };
  },

  async refund(config, attempt, refund, fetchImpl) {
    const answer = await api(
      config,
      'POST',
      '/v3/refund/domestic/refunds',
      {
        out_trade_no: attempt.outTradeNo,
        out_refund_no: refund.refundNo,
        reason: [...refund.reason].slice(0, 80).join(''),
        amount: { refund: refund.amount, total: attempt.amount, currency: 'CNY' },
      },
      fetchImpl,
    );
    if (answer.status !== 200) throw new ProviderError('refused', answer.words);
    const status = String(answer.json.status ?? '');
    if (status === 'SUCCESS') return { status: 'succeeded', providerMessage: status };
    if (status === 'PROCESSING') return { status: 'pending', providerMessage: status };
    throw new ProviderError('refused', providerWords('refund', status));
  },

  async testConnection(config, fetchImpl): Promise<ConnectionTest> {
    try {
      const answer = await api(
        config,
        'GET',
        `/v3/pay/transactions/out-trade-no/TEST${randomBytes(8).toString('hex')}?mchid=${config.mchid}`,
        undefined,
        fetchImpl,
      );
      if (answer.status === 404 || answer.status === 200) return { status: 'ok', providerMessage: answer.words };
      if (answer.status === 401 || answer.status === 403) return { status: 'rejected', providerMessage: answer.words };
      return { status: 'unexpected', providerMessage: answer.words };
    } catch (e) {
      if (e instanceof ProviderError) return { status: e.providerMessage.includes('verify') ? 'rejected' : 'unreachable', providerMessage: e.providerMessage };
      throw e;
    }
  },
};
