// What the drivers of called providers (Alipay, WeChat Pay, epusdt, Stripe) share: their
// base URLs (https, public in production), keys given as PEM or as the bare base64 the
// providers' tools print, and one way to call a provider that turns every kind of no
// answer into ProviderError('unavailable').
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { validateOutboundUrl } from '@/lib/outbound';
import { ProviderError } from '../channel';

/**
 * A provider's base URL as a config field: https only (credentials or signed requests go
 * there), and a public address in production (validateOutboundUrl). Trailing slashes dropped.
 */
export function httpsUrl(defaultUrl: string) {
  return z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : defaultUrl))
    .superRefine((v, ctx) => {
      const checked = validateOutboundUrl(v);
      if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.reason });
      else if (checked.url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'not_https' });
    })
    .transform((u) => u.replace(/\/+$/, ''));
}

const bare = (text: string) => text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

/** A private key from PEM (PKCS#8 or PKCS#1) or bare base64 DER, or null. */
export function privateKeyOf(text: string): KeyObject | null {
  try {
    if (text.includes('-----BEGIN')) return createPrivateKey(text.trim());
    const der = Buffer.from(bare(text), 'base64');
    try {
      return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    } catch {
      return createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
    }
  } catch {
    return null;
  }
}

/** A public key from PEM (public key or X.509 certificate) or bare base64 SPKI DER, or null. */
export function publicKeyOf(text: string): KeyObject | null {
  try {
    if (text.includes('-----BEGIN')) return createPublicKey(text.trim());
    return createPublicKey({ key: Buffer.from(bare(text), 'base64'), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}

/** A config field holding a private key: must parse as one. Kept as given (trimmed). */
export const privateKeyField = z
  .string()
  .trim()
  .min(1)
  .max(10_000)
  .refine((v) => privateKeyOf(v) !== null, { message: 'invalid_format' });

/** A config field holding a public key or certificate: must parse as one. */
export const publicKeyField = z
  .string()
  .trim()
  .min(1)
  .max(10_000)
  .refine((v) => publicKeyOf(v) !== null, { message: 'invalid_format' });

export type ProviderAnswer = { status: number; text: string; headers: Headers };

/**
 * One call to a provider's API with a deadline. A network error, a timeout or an HTTP 5xx is
 * ProviderError('unavailable'); any other status comes back for the driver to read.
 */
export async function callProvider(
  fetchImpl: typeof fetch,
  url: string,
  init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; timeoutMs?: number },
): Promise<ProviderAnswer> {
  let res: Response;
  try {
    res = await fetchImpl(url, {
      method: init.method,
      headers: init.headers,
      body: init.body,
      signal: AbortSignal.timeout(init.timeoutMs ?? 8000),
      redirect: 'manual',
    });
  } catch {
    throw new ProviderError('unavailable', 'no answer (network error or timeout)');
  }
  const text = await res.text().catch(() => {
    throw new ProviderError('unavailable', 'the answer was cut off');
  });
  if (res.status >= 500) throw new ProviderError('unavailable', `HTTP ${res.status}`);
  return { status: res.status, text, headers: res.headers };
}

/** JSON from a provider's answer, or ProviderError('unavailable'). */
export function parseJson(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ProviderError('unavailable', 'the answer is not JSON');
}

/** A provider's message for the merchant: a short single line of its own words. */
export function providerWords(...parts: unknown[]): string {
  return parts
    .filter((p) => typeof p === 'string' || typeof p === 'number')
    .join(' ')
    .replace(/\s+/g, ' ')
    .slice(0, 200);
}

/** Minutes from now until `at`, at least 1: how long a provider's payment may stay open. */
export function minutesUntil(at: Date): number {
  return Math.max(1, Math.floor((at.getTime() - Date.now()) / 60_000));
}
