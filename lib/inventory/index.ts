// Card keys: import (sealed, fingerprinted, de-duplicated), allocation to orders (reserve,
// sell, release, generate), stock counts, and the merchant's masked view with audited
// reveals, voids and exports. Plaintext leaves only through the few readers SPEC
// invariant 7 allows.
export { importKeys, parseKeyLines, MAX_KEY_LENGTH, MAX_KEYS_PER_IMPORT, type ImportResult } from './import';
export { reserveKeys, sellReservedKeys, releaseKeys, generateKey, generateKeysForOrder, revealOrderKeys, DEFAULT_GENERATOR } from './allocate';
export { stockOf, shelfCounts, stockByProduct, hasAvailableKey, LOW_STOCK, type Stock } from './stock';
export {
  KEY_STATUSES,
  MAX_VOID_PER_CALL,
  isKeyStatus,
  maskKey,
  listKeyProducts,
  productStock,
  listKeys,
  revealKey,
  voidKeys,
  beginKeyExport,
  exportKeyBatches,
  type KeyRow,
} from './console';
export { storeSoldKeys } from './sold';
export { FINGERPRINT_SETTING } from './fingerprints';
export type { CardKeyStatus } from '@/db/schema';
