// The signature on every request we send to a merchant's own URL (merchant webhooks and
// dynamic delivery): `X-OpenFaka-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
// "<t>.<body>")>`, documented with verification code in docs/api.md. The timestamp lets
// the receiver refuse replays older than a few minutes.
import 'server-only';
import { createHmac } from 'node:crypto';
import { randomToken } from './hashing';

export const SIGNATURE_HEADER = 'X-OpenFaka-Signature';

export function signRequestBody(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/** A new signing secret for a merchant endpoint or a dynamic-delivery product (`whsec_…`). */
export function newSigningSecret(): string {
  return `whsec_${randomToken()}`;
}
