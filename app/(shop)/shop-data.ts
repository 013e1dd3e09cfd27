import 'server-only';
import { getDb } from '@/db/client';
import { getDefaultMerchant } from '@/lib/accounts';

/** The default merchant, whose shop the storefront serves. */
export async function currentShop() {
  return getDefaultMerchant(getDb());
}
