// The channel interface: what the order engine may ask of a payment provider. A channel
// knows nothing of our tables; the engine knows nothing of providers.
import type { z } from 'zod';

export type NotificationInput = {
  method: 'GET' | 'POST';
  /** Query string parameters. */
  query: Record<string, string>;
  /** Form or JSON body parameters (POST). */
  body: Record<string, string>;
};

export type VerifiedNotification = {
  ok: true;
  /** Our order number, as sent to the provider. */
  outTradeNo: string;
  /** The provider's transaction number: with the channel, the idempotency key of a payment. */
  tradeNo: string;
  /** Integer minor units. */
  amount: number;
  currency: string;
  /** The provider says the money arrived. */
  paid: boolean;
  /** The notification's parameters without the signature, kept on the payment row. */
  raw: Record<string, string>;
};

export type NotificationResult = VerifiedNotification | { ok: false; reason: 'bad_signature' | 'malformed' | 'wrong_merchant' };

export type PaymentAction =
  | { type: 'redirect'; url: string }
  | { type: 'qr'; payload: string }
  /** The built-in demo channel: the pay page shows a button that sends a signed notification. */
  | { type: 'demo' };

export type PaymentRequest = {
  channelId: string;
  orderNo: string;
  amount: number;
  currency: string;
  subject: string;
  notifyUrl: string;
  returnUrl: string;
};

export type QueriedPayment = { paid: boolean; tradeNo?: string; amount?: number; currency?: string };

export type Reply = { status: number; body: string; contentType: string };

/**
 * What a channel's "test" found: `ok` reachable and the credentials accepted, `rejected`
 * reachable but the credentials refused, `unreachable` no answer (network, timeout, HTTP
 * error), `unexpected` an answer we do not understand. `providerMessage` is the provider's
 * own words (never a credential) for the merchant to read.
 */
export type ConnectionTest = { status: 'ok' | 'rejected' | 'unreachable' | 'unexpected'; providerMessage?: string };

export interface ChannelDriver<C = unknown> {
  kind: string;
  /** Validates a merchant's configuration for this channel. */
  configSchema: z.ZodType<C>;
  /** Fills generated fields (e.g. the demo channel's signing secret). */
  prepareConfig?(config: C): C;
  /** Configuration with secrets masked, for display. */
  describeConfig(config: C): Record<string, string>;
  /** Config fields that are credentials: never shown again, and a blank value on edit keeps the stored one. */
  secretFields?: readonly string[];
  /** Config fields that decide where the secrets are sent: changing one requires the secrets again. */
  destinationFields?: readonly string[];
  currencies: readonly string[];
  createPayment(config: C, request: PaymentRequest): PaymentAction;
  verifyNotification(config: C, input: NotificationInput): NotificationResult;
  /** What the provider expects back, for an accepted or a rejected notification. */
  reply(accepted: boolean): Reply;
  /** Asks the provider about an order whose notification may have been lost. Called outside any transaction. */
  queryPayment?(config: C, orderNo: string, fetchImpl: typeof fetch): Promise<QueriedPayment | null>;
  /** Asks the provider whether it knows these credentials, touching no order. Called outside any transaction. */
  testConnection?(config: C, fetchImpl: typeof fetch): Promise<ConnectionTest>;
}

/** Minor units as a decimal string: 1234 → "12.34". */
export function formatMoney(amount: number): string {
  const whole = Math.floor(amount / 100);
  const frac = String(amount % 100).padStart(2, '0');
  return `${whole}.${frac}`;
}

/** "12.34" / "12.3" / "12" → 1234 / 1230 / 1200; anything else → null. Never through floats. */
export function parseMoney(value: string | undefined): number | null {
  if (value === undefined) return null;
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export function mask(secret: string): string {
  if (secret.length <= 4) return '****';
  return `${secret.slice(0, 2)}****${secret.slice(-2)}`;
}
