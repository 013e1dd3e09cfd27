// 易支付 (epay), the protocol most 发卡 sites use (彩虹易支付 and compatibles):
// submit.php redirect; MD5 over the parameters sorted by name, empty values and
// sign/sign_type left out, joined as k=v&…, merchant key appended; notifications by GET
// (common) or POST; reply `success` or the server retries for about an hour; lost
// notifications are recovered with api.php?act=order.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { getConfig } from '@/lib/config';
import { amountToInput, parseExactAmount } from '@/lib/money';
import { validateOutboundUrl } from '@/lib/outbound';
import type { ChannelDriver, ConnectionTest, NotificationInput } from '../channel';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The key travels in the query string of api.php: https only, and public in production
 * (a merchant-given address, validateOutboundUrl). Plain http only for a gateway on this
 * machine, outside production (the tests' simulator).
 */
function gatewayProblem(value: string): 'invalid_url' | 'not_https' | 'private_address' | null {
  const checked = validateOutboundUrl(value);
  if (!checked.ok) return checked.reason;
  if (checked.url.protocol === 'https:') return null;
  return LOCAL_HOSTS.has(checked.url.hostname) && !getConfig().isProduction ? null : 'not_https';
}

export const EPAY_TYPES = ['', 'alipay', 'wxpay', 'qqpay'] as const;

export const epayConfigSchema = z.object({
  gateway: z
    .string()
    .trim()
    .min(1)
    .superRefine((v, ctx) => {
      const problem = gatewayProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform((u) => u.replace(/\/+$/, '')),
  pid: z.string().trim().min(1).max(64),
  // Anyone can read a signed submit.php URL off a pay page; a short key falls to an offline
  // MD5 search, after which notifications can be forged. 彩虹易支付 issues 32 characters.
  key: z.string().min(16).max(256),
  /** Payment type passed to submit.php (alipay, wxpay, qqpay…); empty lets the cashier choose. */
  type: z.string().max(32).optional(),
});
export type EpayConfig = z.infer<typeof epayConfigSchema>;

export function epaySign(params: Record<string, string>, key: string): string {
  const base = Object.keys(params)
    .filter((k) => k !== 'sign' && k !== 'sign_type' && params[k] !== undefined && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return createHash('md5')
    .update(base + key, 'utf8')
    .digest('hex');
}

function signatureMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function paramsOf(input: NotificationInput): Record<string, string> {
  // 彩虹易支付 sends a GET query string; some forks POST a form. Take whichever carries a sign.
  return input.body.sign ? input.body : input.query;
}

export const epay: ChannelDriver<EpayConfig> = {
  kind: 'epay',
  action: 'redirect',
  creates: 'local',
  // The cashier of a typeless channel offers several methods: "other".
  method: (c) => (c.type === 'alipay' || c.type === 'wxpay' || c.type === 'qqpay' ? c.type : 'other'),
  fields: [
    { name: 'gateway', input: 'url', required: true, placeholder: 'https://pay.example.com' },
    { name: 'pid', input: 'text', required: true },
    { name: 'key', input: 'secret', required: true },
    { name: 'type', input: 'select', required: false, options: EPAY_TYPES },
  ],
  configSchema: epayConfigSchema,
  currencies: ['CNY'],
  destinationFields: ['gateway'],
  warnings: (c) => (c.key.length < 32 ? ['weak_key'] : []),

  createPayment(config, req) {
    const params: Record<string, string> = {
      pid: config.pid,
      type: config.type ?? '',
      out_trade_no: req.orderNo,
      notify_url: req.notifyUrl,
      return_url: req.returnUrl,
      name: req.subject.slice(0, 100),
      money: amountToInput(req.amount, 'CNY'),
    };
    const sign = epaySign(params, config.key);
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== '') query.set(k, v);
    query.set('sign', sign);
    query.set('sign_type', 'MD5');
    return { action: { type: 'redirect', url: `${config.gateway}/submit.php?${query.toString()}` } };
  },

  verifyNotification(config, input) {
    const p = paramsOf(input);
    if (!p.sign || !p.out_trade_no || !p.trade_no || !p.money || !p.trade_status) return { ok: false, reason: 'malformed' };
    if (!signatureMatches(epaySign(p, config.key), p.sign)) return { ok: false, reason: 'bad_signature' };
    if (p.pid !== config.pid) return { ok: false, reason: 'wrong_merchant' };
    const amount = parseExactAmount(p.money, 'CNY');
    if (amount === null) return { ok: false, reason: 'malformed' };
    const raw = Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'sign'));
    return {
      ok: true,
      outTradeNo: p.out_trade_no,
      tradeNo: p.trade_no,
      amount,
      currency: 'CNY',
      paid: p.trade_status === 'TRADE_SUCCESS',
      raw,
    };
  },

  reply: (accepted) => ({ status: accepted ? 200 : 400, body: accepted ? 'success' : 'fail', contentType: 'text/plain; charset=utf-8' }),

  async queryPayment(config, attempt, fetchImpl) {
    // The protocol puts the key in the query string; this URL is never logged.
    const url = `${config.gateway}/api.php?${new URLSearchParams({ act: 'order', pid: config.pid, key: config.key, out_trade_no: attempt.outTradeNo })}`;
    const res = await fetchImpl(url, { signal: AbortSignal.timeout(8000) });
    if (!res.ok) throw new Error(`epay order query answered HTTP ${res.status}`);
    const data = (await res.json()) as Record<string, unknown>;
    if (Number(data.code) !== 1) return null;
    const amount = parseExactAmount(String(data.money ?? ''), 'CNY');
    return {
      paid: Number(data.status) === 1,
      tradeNo: data.trade_no ? String(data.trade_no) : undefined,
      amount: amount ?? undefined,
      currency: 'CNY',
    };
  },

  async testConnection(config, fetchImpl): Promise<ConnectionTest> {
    // An order number no shop ever issued: the server checks pid and key first, then looks
    // the order up. 彩虹易支付 answers code -3 for a bad pid/key and -1 "订单号不存在" for an
    // unknown order; forks vary in codes, so the message decides when the code does not.
    const url = `${config.gateway}/api.php?${new URLSearchParams({ act: 'order', pid: config.pid, key: config.key, out_trade_no: `TEST${randomBytes(8).toString('hex')}` })}`;
    let res: Response;
    try {
      res = await fetchImpl(url, { signal: AbortSignal.timeout(5000), redirect: 'manual' });
    } catch {
      return { status: 'unreachable' };
    }
    if (!res.ok) return { status: 'unexpected', providerMessage: `HTTP ${res.status}` };
    let data: Record<string, unknown>;
    try {
      data = (await res.json()) as Record<string, unknown>;
    } catch {
      return { status: 'unexpected', providerMessage: 'not JSON' };
    }
    const code = Number(data.code);
    const msg = typeof data.msg === 'string' ? data.msg.slice(0, 200) : undefined;
    if (code === 1) return { status: 'ok', providerMessage: msg };
    if (code === -3 || /key|pid|密钥|签名|商户/i.test(msg ?? '')) return { status: 'rejected', providerMessage: msg };
    if (/订单|order/i.test(msg ?? '')) return { status: 'ok', providerMessage: msg };
    return { status: 'unexpected', providerMessage: msg };
  },
};
