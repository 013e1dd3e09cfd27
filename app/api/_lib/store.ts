import 'server-only';
import type { Db } from '@/db/client';
import { getDefaultMerchant } from '@/lib/accounts';
import { AppError } from '@/lib/errors';

/** The shop the storefront API serves: the default merchant (agent shops arrive with agents). */
export async function storeMerchant(db: Db, agent: string | null | undefined): Promise<{ merchantId: string }> {
  if (agent) throw new AppError('not_found', 'No such agent shop.');
  const merchant = await getDefaultMerchant(db);
  if (!merchant) throw new AppError('not_found', 'This shop is not open yet.');
  return { merchantId: merchant.id };
}
