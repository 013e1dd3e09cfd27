// Secrets at rest: card keys and channel credentials sealed with AES-256-GCM under
// KEY_ENCRYPTION_KEY (key id stored beside the ciphertext, so keys can be rotated by
// prepending a new one and re-sealing, scripts/reseal) with the row they belong to as
// additional data, HMAC fingerprints for duplicate detection without decrypting, and buyer
// access tokens derived from the order id.
import 'server-only';
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { getConfig } from '@/lib/config';

type Keyring = {
  current: { id: string; key: Buffer };
  byId: Map<string, Buffer>;
  fingerprintKey: Buffer;
  tokenKey: Buffer;
  /** HMAC keys by purpose, derived from AUTH_SECRET on first use (keyedDigest). */
  purposes: Map<string, Buffer>;
};

let keyring: Keyring | undefined;
let keyringSource: string | undefined;

function derive(secret: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), info, 32));
}

function getKeyring(): Keyring {
  const config = getConfig();
  const source = config.keyEncryptionKeys.join(',') + '|' + config.authSecret;
  if (keyring && keyringSource === source) return keyring;
  const keys = config.keyEncryptionKeys.map((b64) => {
    const key = Buffer.from(b64, 'base64');
    return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
  });
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  // Fingerprints come from the oldest key so that prepending a new key keeps them stable.
  const oldest = keys[keys.length - 1]!.key;
  keyring = {
    current: keys[0]!,
    byId,
    fingerprintKey: derive(oldest, 'openfaka:card-key-fingerprint'),
    tokenKey: derive(Buffer.from(config.authSecret), 'openfaka:order-access-token'),
    purposes: new Map(),
  };
  keyringSource = source;
  return keyring;
}

export type Sealed = { keyId: string; data: Buffer };

/**
 * What a sealed value belongs to. It is bound into AES-GCM as additional data, so a
 * ciphertext copied into another row, column or merchant (by someone who can write the
 * database but does not hold KEY_ENCRYPTION_KEY) does not open there.
 */
export type SealContext = { table: string; id: string; merchantId: string | null };

/** Key-id suffix of a value sealed with its context; values without it predate contexts (opened without). */
const BOUND = '.a';

const additionalData = (c: SealContext) => Buffer.from(`openfaka/${c.table}/${c.merchantId ?? '-'}/${c.id}`, 'utf8');

export function seal(plaintext: string, context: SealContext): Sealed {
  const { current } = getKeyring();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', current.key, iv);
  cipher.setAAD(additionalData(context));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { keyId: current.id + BOUND, data: Buffer.concat([iv, cipher.getAuthTag(), ct]) };
}

export function open(sealed: Sealed, context: SealContext): string {
  const bound = sealed.keyId.endsWith(BOUND);
  const id = bound ? sealed.keyId.slice(0, -BOUND.length) : sealed.keyId;
  const key = getKeyring().byId.get(id);
  if (!key) throw new Error(`No KEY_ENCRYPTION_KEY with id ${id} is configured`);
  const iv = sealed.data.subarray(0, 12);
  const tag = sealed.data.subarray(12, 28);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  if (bound) decipher.setAAD(additionalData(context));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.data.subarray(28)), decipher.final()]).toString('utf8');
}

/** The key id of what seal() writes now: a value with any other is re-sealed by lib/reseal. */
export function currentSealKeyId(): string {
  return getKeyring().current.id + BOUND;
}

/** Sealed value as one text field: `keyId:base64`. Used for channel credentials. */
export function sealToText(plaintext: string, context: SealContext): string {
  const s = seal(plaintext, context);
  return `${s.keyId}:${s.data.toString('base64')}`;
}

export function openFromText(text: string, context: SealContext): string {
  return open(sealedFromText(text), context);
}

export function sealedFromText(text: string): Sealed {
  const i = text.indexOf(':');
  return { keyId: text.slice(0, i), data: Buffer.from(text.slice(i + 1), 'base64') };
}

/**
 * The key fingerprints were made with before it was stored in the database
 * (lib/inventory/fingerprints): derived from the oldest KEY_ENCRYPTION_KEY. Used once per
 * database, to store it; from then on it is a sealed row and outlives that key.
 */
export function initialFingerprintKey(): Buffer {
  return getKeyring().fingerprintKey;
}

/** The fingerprint of a card key within a product under a fingerprint key: equal keys, equal fingerprints. */
export function fingerprintWith(key: Buffer, productId: string, normalizedKey: string): Buffer {
  return createHmac('sha256', key).update(productId).update('\0').update(normalizedKey).digest();
}

/**
 * The buyer's access token for an order. Derived (not random) so that a retried
 * create-order request with the same Idempotency-Key can return the same token; only its
 * hash is stored.
 */
export function orderAccessToken(orderId: string): string {
  return createHmac('sha256', getKeyring().tokenKey).update(orderId).digest('base64url');
}

/**
 * A digest to store that nobody can recompute without AUTH_SECRET: HMAC-SHA256 (hex) of the
 * parts, NUL-separated, under a key derived for `purpose`. For values a guess could be
 * checked against offline if they were plainly hashed (an idempotency key with its request).
 */
export function keyedDigest(purpose: string, ...parts: string[]): string {
  const ring = getKeyring();
  let key = ring.purposes.get(purpose);
  if (!key) {
    key = derive(Buffer.from(getConfig().authSecret), `openfaka:${purpose}`);
    ring.purposes.set(purpose, key);
  }
  const mac = createHmac('sha256', key);
  parts.forEach((p, i) => mac.update(i ? `\0${p}` : p));
  return mac.digest('hex');
}
