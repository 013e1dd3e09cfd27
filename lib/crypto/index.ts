// Cryptography in one place: sealing secrets at rest, fingerprints and access tokens, hashes
// and constant-time comparison, and the signature of requests we send to merchants.
export {
  seal,
  open,
  sealToText,
  openFromText,
  sealedFromText,
  currentSealKeyId,
  initialFingerprintKey,
  fingerprintWith,
  orderAccessToken,
  keyedDigest,
  type Sealed,
  type SealContext,
} from './seal';
export { sealedIn } from './contexts';
export { sha256Hex, safeEqual, randomToken, hashQueryPassword, verifyQueryPassword } from './hashing';
export { signRequestBody, newSigningSecret, SIGNATURE_HEADER } from './signature';
