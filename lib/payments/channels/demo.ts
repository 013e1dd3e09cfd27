// The built-in demo channel: no money moves. Its pay page has a button that sends a
// notification signed with the channel's own secret, through the same path as a real
// provider's. Disabled in production unless DEMO_CHANNEL_ENABLED is set.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { randomToken } from '@/lib/crypto';
import type { ChannelDriver } from '../channel';

export const demoConfigSchema = z.object({ secret: z.string().min(16).optional() });
export type DemoConfig = z.infer<typeof demoConfigSchema>;

function canonical(p: Record<string, string>): string {
  return ['out_trade_no', 'trade_no', 'amount', 'currency', 'status'].map((k) => `${k}=${p[k] ?? ''}`).join('&');
}

export function demoSign(params: Record<string, string>, secret: string): string {
  return createHmac('sha256', secret).update(canonical(params)).digest('hex');
}

/** The notification the demo pay button sends. */
export function demoNotification(secret: string, order: { orderNo: string; amount: number; currency: string }, tradeNo: string): Record<string, string> {
  const p: Record<string, string> = {
    out_trade_no: order.orderNo,
    trade_no: tradeNo,
    amount: String(order.amount),
    currency: order.currency,
    status: 'paid',
  };
  return { ...p, sign: demoSign(p, secret) };
}

export const demo: ChannelDriver<DemoConfig> = {
  kind: 'demo',
  action: 'demo',
  creates: 'local',
  method: () => 'other',
  // Nothing to fill in: the signing secret is made when the channel is created.
  fields: [],
  generatedSecrets: ['secret'],
  configSchema: demoConfigSchema,
  prepareConfig: (c) => ({ secret: c.secret ?? randomToken() }),
  currencies: ['CNY', 'USD', 'EUR', 'HKD', 'USDT'],
  createPayment: () => ({ action: { type: 'demo' } }),

  verifyNotification(config, input) {
    const p = Object.keys(input.body).length > 0 ? input.body : input.query;
    if (!config.secret) return { ok: false, reason: 'malformed' };
    if (!p.sign || !p.out_trade_no || !p.trade_no || !p.amount || !p.currency || !p.status) return { ok: false, reason: 'malformed' };
    const expected = Buffer.from(demoSign(p, config.secret));
    const given = Buffer.from(p.sign);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad_signature' };
    if (!/^\d{1,15}$/.test(p.amount)) return { ok: false, reason: 'malformed' };
    const raw = Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'sign'));
    return { ok: true, outTradeNo: p.out_trade_no, tradeNo: p.trade_no, amount: Number(p.amount), currency: p.currency, paid: p.status === 'paid', raw };
  },

  reply: (accepted) => ({ status: accepted ? 200 : 400, body: accepted ? 'success' : 'fail', contentType: 'text/plain; charset=utf-8' }),

  // Demo payments exist only when the button is pressed: there is nothing to ask.
  queryPayment: async () => null,
};
