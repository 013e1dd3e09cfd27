// Secrets at rest: card keys and channel credentials sealed with AES-256-GCM under
// KEY_ENCRYPTION_KEY (key id stored beside the ciphertext, so keys can be rotated by
// prepending a new one), HMAC fingerprints for duplicate detection without decrypting,
// buyer access tokens derived from the order id, and constant-time comparisons.
import 'server-only';
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { getConfig } from '@/lib/config';

type Keyring = { current: { id: string; key: Buffer }; byId: Map<string, Buffer>; fingerprintKey: Buffer; tokenKey: Buffer };

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
  };
  keyringSource = source;
  return keyring;
}

export type Sealed = { keyId: string; data: Buffer };

export function seal(plaintext: string): Sealed {
  const { current } = getKeyring();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', current.key, iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { keyId: current.id, data: Buffer.concat([iv, cipher.getAuthTag(), ct]) };
}

export function open(sealed: Sealed): string {
  const key = getKeyring().byId.get(sealed.keyId);
  if (!key) throw new Error(`No KEY_ENCRYPTION_KEY with id ${sealed.keyId} is configured`);
  const iv = sealed.data.subarray(0, 12);
  const tag = sealed.data.subarray(12, 28);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.data.subarray(28)), decipher.final()]).toString('utf8');
}

/** Sealed value as one text field: `keyId:base64`. Used for channel credentials. */
export function sealToText(plaintext: string): string {
  const s = seal(plaintext);
  return `${s.keyId}:${s.data.toString('base64')}`;
}

export function openFromText(text: string): string {
  const i = text.indexOf(':');
  return open({ keyId: text.slice(0, i), data: Buffer.from(text.slice(i + 1), 'base64') });
}

/** The fingerprint of a card key within a product: equal keys, equal fingerprints. */
export function fingerprint(productId: string, normalizedKey: string): Buffer {
  return createHmac('sha256', getKeyring().fingerprintKey).update(productId).update('\0').update(normalizedKey).digest();
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * The buyer's access token for an order. Derived (not random) so that a retried
 * create-order request with the same Idempotency-Key can return the same token; only its
 * hash is stored.
 */
export function orderAccessToken(orderId: string): string {
  return createHmac('sha256', getKeyring().tokenKey).update(orderId).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** Hash for the buyer's optional order query password (scrypt, random salt). */
export async function hashQueryPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyQueryPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, saltB64, hashB64] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !hashB64) return false;
  const expected = Buffer.from(hashB64, 'base64');
  const actual = await scryptAsync(password, Buffer.from(saltB64, 'base64'), expected.length);
  return timingSafeEqual(expected, actual);
}
