// Where each sealed value lives, as the context bound into its ciphertext (seal.ts): one
// definition for the code that seals and opens it and for the re-sealing tool, so they
// cannot disagree. Card keys get their identity before the insert assigns an id: product
// and fingerprint are unique together (card_keys_product_fingerprint_key), so they name the
// row as exactly as its id would.
import type { SealContext } from './seal';

type Owned = { id: string; merchantId: string };

export const sealedIn = {
  cardKey: (r: { merchantId: string; productId: string; fingerprint: Buffer }): SealContext => ({
    table: 'card_keys.secret',
    id: `${r.productId}/${r.fingerprint.toString('hex')}`,
    merchantId: r.merchantId,
  }),
  channelConfig: (r: Owned): SealContext => ({ table: 'payment_channels.config', id: r.id, merchantId: r.merchantId }),
  webhookCredentials: (r: Owned): SealContext => ({ table: 'webhook_endpoints.credentials', id: r.id, merchantId: r.merchantId }),
  deliverySecret: (r: Owned): SealContext => ({ table: 'products.delivery_secret', id: r.id, merchantId: r.merchantId }),
  manualDelivery: (r: Owned): SealContext => ({ table: 'orders.manual_delivery', id: r.id, merchantId: r.merchantId }),
  setting: (key: string): SealContext => ({ table: 'platform_settings.value', id: key, merchantId: null }),
};
