import 'server-only';
import type { Db } from '@/db/client';
import { getDefaultMerchant } from '@/lib/accounts';
import { findAgentShop, type Agent } from '@/lib/agents';
import { AppError, isAppError } from '@/lib/errors';
import { addressKey, failureThrottle, getLimiter, recordRiskEvent, RULES, type RiskReason } from '@/lib/risk';

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

/**
 * Runs a storefront step that may judge a coupon code, within the address's allowance of
 * failed codes. The try that uses up the allowance is in the merchant's risk log (stage
 * `coupon_check`), once per window.
 */
export async function withinCouponTries<T>(db: Db, merchantId: string, ip: string, run: () => Promise<T>): Promise<T> {
  const limiter = getLimiter(db);
  const subject = addressKey(ip);
  const admitted = await couponTries.admits(limiter, subject);
  if (admitted !== true && !admitted.ok) {
    throw new AppError('rate_limited', 'Too many coupon codes tried from this address. Please wait a moment.', { retryAfter: admitted.retryAfter });
  }
  try {
    return await run();
  } catch (err) {
    if (isAppError(err) && err.fields?.couponCode && err.fields.couponCode.code !== 'exhausted') {
      const r = await couponTries.failed(limiter, subject);
      if (r.count === RULES.couponTry.limit) {
        await throttled(db, merchantId, 'coupon_check', subject, {
          code: 'coupon_tries',
          detail: { limit: RULES.couponTry.limit, seconds: RULES.couponTry.windowSeconds },
        });
      }
    }
    throw err;
  }
}

/**
 * Whether this is the first refusal of `key` this process logs in the current window (a
 * limiter backed by Redis reports every refusal alike, so the count cannot say it): the risk
 * log gets one row per throttled subject and window per instance, never one per request.
 */
const logged = new Map<string, number>(); // key → window end (ms)
function firstRefusal(key: string, retryAfterSeconds: number): boolean {
  const now = Date.now();
  if ((logged.get(key) ?? 0) > now) return false;
  logged.delete(key);
  logged.set(key, now + retryAfterSeconds * 1000);
  if (logged.size > 10_000) logged.delete(logged.keys().next().value!);
  return true;
}

/**
 * Runs an order lookup within the address's allowance of lookups and the order number's (10
 * in 10 minutes from any address, counted before the lookup runs, so a burst of parallel
 * guesses at one order's e-mail or password cannot slip past it). The request that goes over
 * either is in the shop's risk log (stage `order_lookup`), once per window.
 */
export async function withinLookupLimits<T>(db: Db, ip: string, orderNo: string, run: () => Promise<T>): Promise<T> {
  const limiter = getLimiter(db);
  const subject = addressKey(ip);
  const limit = await limiter.hit(RULES.lookup, subject);
  if (!limit.ok) {
    if (firstRefusal(`lookup:${subject}`, limit.retryAfter)) {
      await throttled(db, null, 'order_lookup', subject, { code: 'lookup_rate', detail: { limit: RULES.lookup.limit, seconds: RULES.lookup.windowSeconds } });
    }
    throw new AppError('rate_limited', 'Too many lookups. Please wait a moment.', { retryAfter: limit.retryAfter });
  }
  const number = orderNo.trim().slice(0, 40);
  if (number) {
    const guess = await limiter.hit(RULES.lookupGuess, number);
    if (!guess.ok) {
      if (firstRefusal(`guess:${number}`, guess.retryAfter)) {
        await throttled(db, null, 'order_lookup', subject, {
          code: 'lookup_guessing',
          detail: { orderNo: number, limit: RULES.lookupGuess.limit, seconds: RULES.lookupGuess.windowSeconds },
        });
      }
      throw new AppError('rate_limited', 'Too many lookups of this order. Please wait a moment.', { retryAfter: guess.retryAfter });
    }
  }
  return run();
}

/** Logs a throttled storefront step to the shop's risk log (the default merchant's when none is given). */
async function throttled(db: Db, merchantId: string | null, stage: 'coupon_check' | 'order_lookup', address: string, reason: RiskReason): Promise<void> {
  const shop = merchantId ?? (await getDefaultMerchant(db))?.id;
  if (shop) await recordRiskEvent(db, { merchantId: shop, stage, action: 'block', address, reasons: [reason] });
}
