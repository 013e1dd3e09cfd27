// What a payment test checks after each step: the order's status and how many payments,
// deliveries and payment attempts it has.
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';

export async function paymentState(db: Db, orderNo: string) {
  const [row] = await db.execute<{ status: string; payments: string; delivered: string; attempts: string }>(sql`
    SELECT o.status,
           (SELECT count(*) FROM payments p WHERE p.order_id = o.id) AS payments,
           (SELECT count(*) FROM order_events e WHERE e.order_id = o.id AND e.type = 'delivered') AS delivered,
           (SELECT count(*) FROM payment_attempts a WHERE a.order_id = o.id) AS attempts
      FROM orders o WHERE o.order_no = ${orderNo}`);
  return { status: row!.status, payments: Number(row!.payments), delivered: Number(row!.delivered), attempts: Number(row!.attempts) };
}

/** Lets a pending order lapse now (its expiry moved into the past; the expire job does the rest). */
export async function lapse(db: Db, orderNo: string) {
  await db.execute(sql`UPDATE orders SET expires_at = now() - interval '1 minute' WHERE order_no = ${orderNo}`);
}
