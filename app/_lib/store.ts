import 'server-only';
import type { Db } from '@/db/client';
import { getDefaultMerchant } from '@/lib/accounts';
import { findAgentShop, type Agent } from '@/lib/agents';
import { AppError, isAppError } from '@/lib/errors';
import { addressKey, failureThrottle, getLimiter, RULES } from '@/lib/risk';

/** The shop the storefront API serves: the default merchant's, or one of its agents' (`?agent=`). */
export async function storeMerchant(db: Db, agentSlug: string | null | undefined): Promise<{ merchantId: string; agent: Agent | null }> {
  const merchant = await getDefaultMerchant(db);
  if (!merchant) throw new AppError('not_found', 'This shop is not open yet.');
  if (!agentSlug) return { merchantId: merchant.id, agent: null };
  const agent = await findAgentShop(db, merchant.id, agentSlug);
  if (!agent) throw new AppError('not_found', 'No such agent shop.');
  return { merchantId: merchant.id, agent };
}

// Coupon codes tried per address: only tries whose code does not apply count (a buyer who
// re-checks a valid code at every change of quantity is never slowed), so guessing codes
// through the apply button or through order creation runs into the limit, and nothing else does.
const couponTries = failureThrottle(RULES.couponTry);

/** Runs a storefront step that may judge a coupon code, within the address's allowance of failed codes. */
export async function withinCouponTries<T>(db: Db, ip: string, run: () => Promise<T>): Promise<T> {
  const limiter = getLimiter(db);
  const subject = addressKey(ip);
  const admitted = await couponTries.admits(limiter, subject);
  if (admitted !== true && !admitted.ok) {
    throw new AppError('rate_limited', 'Too many coupon codes tried from this address. Please wait a moment.', { retryAfter: admitted.retryAfter });
  }
  try {
    return await run();
  } catch (err) {
    if (isAppError(err) && err.fields?.couponCode && err.fields.couponCode.code !== 'exhausted') await couponTries.failed(limiter, subject);
    throw err;
  }
}
