// The channel interface: what the order engine and the console may ask of a payment
// provider's driver. A driver knows nothing of our tables; the engine knows nothing of
// providers. A driver also declares what the console form and the pay page need (its
// config fields, which of them are secrets, the kind of payment action), so neither has
// an `if (kind === …)` of its own.
import type { z } from 'zod';

export type NotificationInput = {
  method: 'GET' | 'POST';
  /** Query string parameters. */
  query: Record<string, string>;
  /** Form body parameters (POST with a form body); empty for JSON. */
  body: Record<string, string>;
  /** Request headers, names in lower case (WeChat Pay and Stripe sign in headers). */
  headers?: Record<string, string>;
  /** The body exactly as received: signatures over bytes are checked against this. */
  rawBody?: string;
  /** A JSON body as parsed, not flattened (epusdt, WeChat Pay, Stripe). */
  json?: unknown;
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
  /**
   * The provider's own id of the payment when the notification carries one (epusdt's
   * trade_id): it must equal the one bound to the attempt when the payment was created.
   */
  providerRef?: string;
};

export type NotificationRejection = 'bad_signature' | 'malformed' | 'wrong_merchant' | 'stale' | 'probe';
/**
 * A notification that verified but is not about a payment to apply (a Stripe event of a
 * type we do not act on): answered with success so the provider stops sending it, changing nothing.
 */
export type IgnoredNotification = { ok: 'ignored'; what: string };
export type NotificationResult = VerifiedNotification | IgnoredNotification | { ok: false; reason: NotificationRejection };

export type PaymentAction =
  | { type: 'redirect'; url: string }
  /** A QR code to scan; `app` names the wallet whose app opens the payload on this phone. */
  | { type: 'qr'; payload: string; app?: 'alipay' | 'wechat' }
  /** A transfer on a blockchain: this exact amount to this address before `expiresAt`. */
  | { type: 'crypto'; network: string; address: string; amount: string; currency: string; expiresAt: string }
  /** The built-in demo channel: the pay page shows a button that sends a signed notification. */
  | { type: 'demo' };

export type PaymentActionType = PaymentAction['type'];

export type PaymentRequest = {
  channelId: string;
  /** What the provider knows this payment by: the order number, or `{orderNo}-{n}` for a later attempt. */
  orderNo: string;
  amount: number;
  currency: string;
  subject: string;
  notifyUrl: string;
  returnUrl: string;
  /** When the order lapses: the provider's payment should not outlive it. */
  expiresAt: Date;
  /** The buyer's e-mail, for providers that prefill it (Stripe). */
  email?: string;
};

/** A payment created at the provider: what the pay page shows and the provider's id for it. */
export type StartedPayment = { action: PaymentAction; providerRef?: string };

/** The attempt a query or refund is about, as the provider knows it. */
export type AttemptRef = { outTradeNo: string; providerRef?: string | null; amount: number; currency: string };

export type QueriedPayment = { paid: boolean; tradeNo?: string; amount?: number; currency?: string };

/** The outcome of asking the provider to send money back. */
export type ProviderRefund = { status: 'succeeded' | 'pending'; providerMessage?: string };

/**
 * A provider call that did not give what was asked. `unavailable`: no usable answer
 * (network, timeout, HTTP 5xx, an answer that does not parse or whose signature is wrong),
 * worth trying again or elsewhere; `refused`: the provider answered and said no (bad
 * parameters, credentials refused, duplicate order). `providerMessage` is the provider's
 * own words, never a credential.
 */
export class ProviderError extends Error {
  constructor(
    readonly kind: 'unavailable' | 'refused',
    readonly providerMessage: string,
  ) {
    super(`payment provider ${kind}: ${providerMessage}`);
    this.name = 'ProviderError';
  }
}

export type Reply = { status: number; body: string; contentType: string };

/**
 * What a channel's "test" found: `ok` reachable and the credentials accepted, `rejected`
 * reachable but the credentials refused, `unreachable` no answer (network, timeout, HTTP
 * error), `unexpected` an answer we do not understand. `providerMessage` is the provider's
 * own words (never a credential) for the merchant to read.
 */
export type ConnectionTest = { status: 'ok' | 'rejected' | 'unreachable' | 'unexpected'; providerMessage?: string };

/**
 * One configuration field as the console form shows it. Labels and help come from the
 * catalogue (`console.channels.config.<kind>.<name>`). A `secret` is never shown again
 * once saved (only a hint of its last characters) and a blank value on edit keeps it.
 */
export type ConfigField = {
  name: string;
  /** `pem`: a multi-line key or certificate (PEM or bare base64); secret when `secret` is set. */
  input: 'text' | 'url' | 'secret' | 'select' | 'textarea' | 'pem';
  /** For `pem`: a credential, never shown again once saved. */
  secret?: boolean;
  required: boolean;
  /** For `select`: the values offered ('' is "let the provider choose"). */
  options?: readonly string[];
  placeholder?: string;
};

export interface ChannelDriver<C = unknown> {
  kind: string;
  /** The fields a merchant fills in, in form order. */
  fields: readonly ConfigField[];
  /** How the buyer pays: what the pay page renders. */
  action: PaymentActionType;
  /**
   * `remote`: the payment is created by calling the provider, once per attempt, and stored
   * (payment_attempts); its notifications must name a stored attempt of this channel.
   * `local`: the action is computed here (a signed redirect, the demo button).
   */
  creates: 'remote' | 'local';
  /** What the buyer pays with (SPEC §5 "Routing"). */
  method(config: C): PaymentMethod;
  /** Validates a merchant's configuration for this channel. Refinements use field codes as messages. */
  configSchema: z.ZodType<C>;
  /** Fills generated fields (e.g. the demo channel's signing secret). */
  prepareConfig?(config: C): C;
  /** Config fields that are credentials and not typed in by the merchant (generated by prepareConfig). */
  generatedSecrets?: readonly string[];
  /** Config fields that decide where the secrets are sent: changing one requires the secrets again. */
  destinationFields?: readonly string[];
  currencies: readonly string[];
  /** Problems with a saved configuration worth telling the merchant (codes, worded by the console). */
  warnings?(config: C): string[];
  /**
   * The payment action for an attempt. A `remote` driver calls the provider (outside any
   * transaction) and throws ProviderError when it cannot; a `local` one computes it.
   */
  createPayment(config: C, request: PaymentRequest, fetchImpl: typeof fetch): StartedPayment | Promise<StartedPayment>;
  verifyNotification(config: C, input: NotificationInput): NotificationResult | Promise<NotificationResult>;
  /** What the provider expects back, for an accepted or a rejected notification. */
  reply(accepted: boolean): Reply;
  /** Asks the provider about a payment whose notification may have been lost. Called outside any transaction. */
  queryPayment?(config: C, attempt: AttemptRef, fetchImpl: typeof fetch): Promise<QueriedPayment | null>;
  /**
   * Asks the provider to send `amount` of a paid attempt back to the buyer. `refundNo` is
   * unique per refund and makes a retried call a no-op at the provider.
   */
  refund?(
    config: C,
    attempt: AttemptRef & { tradeNo: string },
    refund: { refundNo: string; amount: number; reason: string },
    fetchImpl: typeof fetch,
  ): Promise<ProviderRefund>;
  /** Asks the provider whether it knows these credentials, touching no order. Called outside any transaction. */
  testConnection?(config: C, fetchImpl: typeof fetch): Promise<ConnectionTest>;
}

export const PAYMENT_METHODS = ['alipay', 'wxpay', 'usdt', 'card', 'qqpay', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** The names of a driver's credential fields: typed-in secrets and generated ones. */
export function secretFieldsOf(driver: Pick<ChannelDriver, 'fields' | 'generatedSecrets'>): string[] {
  return [...driver.fields.filter((f) => f.input === 'secret' || (f.input === 'pem' && f.secret)).map((f) => f.name), ...(driver.generatedSecrets ?? [])];
}
