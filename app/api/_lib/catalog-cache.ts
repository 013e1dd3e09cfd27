import 'server-only';
import { revalidateTag } from 'next/cache';

/**
 * Marks a merchant's cached storefront listing stale after a product or stock change.
 * Outside a Next.js server (the route handlers' own tests) there is no cache to mark.
 */
export function invalidateCatalog(merchantId: string): void {
  try {
    revalidateTag(`catalog:${merchantId}`, 'max');
  } catch {
    // no incremental cache in this process
  }
}
