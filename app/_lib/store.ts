import 'server-only';
import type { Db } from '@/db/client';
import { getDefaultMerchant } from '@/lib/accounts';
import { findAgentShop, type Agent } from '@/lib/agents';
import { AppError } from '@/lib/errors';

/** The shop the storefront API serves: the default merchant's, or one of its agents' (`?agent=`). */
export async function storeMerchant(db: Db, agentSlug: string | null | undefined): Promise<{ merchantId: string; agent: Agent | null }> {
  const merchant = await getDefaultMerchant(db);
  if (!merchant) throw new AppError('not_found', 'This shop is not open yet.');
  if (!agentSlug) return { merchantId: merchant.id, agent: null };
  const agent = await findAgentShop(db, merchant.id, agentSlug);
  if (!agent) throw new AppError('not_found', 'No such agent shop.');
  return { merchantId: merchant.id, agent };
}
