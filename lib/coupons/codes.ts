// Codes a person can read aloud and type: no 0/O, 1/I/L to confuse, drawn from the
// system's CSPRNG (lib/inventory's key generator, node:crypto randomInt, unbiased), 12
// characters after the prefix: 31^12 ≈ 7.9 × 10^17 codes, far beyond guessing at the rate
// the storefront allows.
import { generateKey } from '@/lib/inventory';

export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const GENERATED_CODE_LENGTH = 12;
export const MAX_BATCH = 10_000;

export function randomCode(prefix = ''): string {
  return generateKey({ prefix, length: GENERATED_CODE_LENGTH, charset: CODE_ALPHABET, groups: 1, separator: '' });
}

/** `count` distinct codes (distinct within the batch; the database's unique index checks the rest). */
export function randomCodes(count: number, prefix = ''): string[] {
  const codes = new Set<string>();
  while (codes.size < count) codes.add(randomCode(prefix));
  return [...codes];
}
