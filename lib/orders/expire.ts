import 'server-only';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { orderEvents } from '@/db/schema';
import { releaseCouponUses } from '@/lib/coupons';
import { releaseKeys } from '@/lib/inventory';
import { log } from '@/lib/log';

/**
 * Unpaid orders past their expiry become `expired` and their reserved keys go back to
 * stock (SPEC invariant 6) and their coupon uses to their codes (invariant 9). Batches under SKIP LOCKED, so concurrent sweepers and a
 * notification holding an order's lock never block each other.
 */
export async function expireOrders(db: Db, options: { batchSize?: number; orderId?: string; productId?: string } = {}): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  let total = 0;
  for (;;) {
    let expiredNos: string[] = [];
    const n = await db.transaction(async (tx) => {
      const rows = await tx.execute<{ id: string; merchant_id: string; order_no: string }>(sql`
        UPDATE orders o SET status = 'expired', updated_at = now()
          FROM (SELECT id FROM orders
                 WHERE status = 'pending' AND expires_at <= now()
                   ${options.orderId ? sql`AND id = ${options.orderId}` : sql``}
                   ${options.productId ? sql`AND product_id = ${options.productId}` : sql``}
                 ORDER BY expires_at
                 LIMIT ${batchSize}
                 FOR UPDATE SKIP LOCKED) due
         WHERE o.id = due.id
     RETURNING o.id, o.merchant_id, o.order_no`);
      if (rows.length === 0) return 0;
      const ids = rows.map((r) => r.id);
      const released = await releaseKeys(tx, ids);
      await releaseCouponUses(tx, ids);
      await tx.insert(orderEvents).values(
        rows.map((r) => ({
          orderId: r.id,
          merchantId: r.merchant_id,
          type: 'expired',
          fromStatus: 'pending' as const,
          toStatus: 'expired' as const,
          detail: {},
        })),
      );
      void released;
      expiredNos = rows.map((r) => r.order_no);
      return rows.length;
    });
    // Logged after commit, so a rolled-back batch leaves no false lines.
    for (const orderNo of expiredNos) log('info', 'order expired', { orderNo });
    total += n;
    if (n < batchSize || options.orderId) return total;
  }
}
