// One buyer, however the address is dressed up: per-e-mail limits (coupon uses, and the caps
// of the risk rules) count `A.B+promo@GoogleMail.com` and `ab@gmail.com` as the same person.

/** Providers that ignore dots in the local part (Gmail; googlemail.com is the same mailbox). */
const DOTLESS_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * Lower case and trimmed; a `+tag` suffix dropped; for Gmail, dots in the local part dropped
 * and googlemail.com mapped to gmail.com. Not an address to send to — only a key to count by.
 */
export function normaliseEmail(email: string): string {
  const trimmed = email.trim().toLowerCase();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return trimmed;
  let local = trimmed.slice(0, at);
  let domain = trimmed.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (DOTLESS_DOMAINS.has(domain)) {
    local = local.replace(/\./g, '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}
