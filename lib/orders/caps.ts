// The risk caps on unpaid orders (SPEC §8, invariant 11), counted inside the order's own
// transaction so that parallel requests cannot all slip under them: one buyer — a client
// address (IPv6 by its /64) or a normalised e-mail — may hold only so many unpaid orders, and
// only so much of a product's stock. The counts run under advisory locks on what they count,
// taken first in checkout and always in the same order (address, then e-mail).
import 'server-only';
import { sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import type { Product, RiskReason } from '@/db/schema';
import { refusedBy, RiskRefusal, type RiskPolicy } from '@/lib/risk';

/** A refusal by a cap, with the reason the risk log records. */
export class TooManyPending extends RiskRefusal {
  constructor(reason: RiskReason, message: string) {
    super('too_many_pending', message, refusedBy(reason));
  }
}

export type Buyer = { merchantId: string; buyerKey: string | null; emailNorm: string };
export type CapCounts = { byAddress: number; byEmail: number; units: number };

/**
 * The two statements that take the buyer's locks and count what it holds, to be sent
 * pipelined with the order's first read (one wait for the database). PostgreSQL runs them in
 * order and the count's snapshot is taken after the locks are held, so it sees every order
 * committed by a transaction that held them before.
 */
export function capQueries(tx: Tx, buyer: Buyer, productId: string) {
  const keys = [...(buyer.buyerKey ? [`caps:${buyer.merchantId}:address:${buyer.buyerKey}`] : []), `caps:${buyer.merchantId}:email:${buyer.emailNorm}`];
  const live = sql`merchant_id = ${buyer.merchantId} AND status = 'pending' AND expires_at > now()`;
  return [
    // Address, then e-mail: every order takes them in this order, so two never wait on each other crosswise.
    tx.execute(
      sql`SELECT ${sql.join(
        keys.map((k) => sql`pg_advisory_xact_lock(hashtext(${k}))`),
        sql`, `,
      )}`,
    ),
    tx.execute<{ by_address: number; by_email: number; units: number }>(sql`
      SELECT ${buyer.buyerKey ? sql`(SELECT count(*)::int FROM orders WHERE ${live} AND buyer_key = ${buyer.buyerKey})` : sql`0`} AS by_address,
             (SELECT count(*)::int FROM orders WHERE ${live} AND email_norm = ${buyer.emailNorm}) AS by_email,
             (SELECT coalesce(sum(quantity), 0)::int FROM orders
               WHERE ${live} AND product_id = ${productId}
                 AND (email_norm = ${buyer.emailNorm} ${buyer.buyerKey ? sql`OR buyer_key = ${buyer.buyerKey}` : sql``})) AS units`),
  ] as const;
}

/** The counts from `capQueries`' second statement. */
export function capCounts(rows: { by_address: number; by_email: number; units: number }[]): CapCounts {
  const r = rows[0];
  return { byAddress: r?.by_address ?? 0, byEmail: r?.by_email ?? 0, units: r?.units ?? 0 };
}

/**
 * Refuses the order (`429 too_many_pending`) when the buyer already holds as many unpaid
 * orders as the policy allows, or when, with this order, it would hold more than its share
 * of the product's stock (one unit is always allowed). Orders past their expiry do not count
 * (they are released at the next sweep or read).
 */
export async function enforceCaps(
  tx: Tx,
  counts: CapCounts,
  product: Pick<Product, 'id' | 'deliveryType'>,
  quantity: number,
  policy: RiskPolicy,
): Promise<void> {
  if (counts.byAddress >= policy.pendingPerAddress) {
    throw new TooManyPending(
      { code: 'pending_per_address', detail: { held: counts.byAddress, limit: policy.pendingPerAddress } },
      `This address already has ${counts.byAddress} unpaid orders. Pay for one of them, or wait until they expire, then order again.`,
    );
  }
  if (counts.byEmail >= policy.pendingPerEmail) {
    throw new TooManyPending(
      { code: 'pending_per_email', detail: { held: counts.byEmail, limit: policy.pendingPerEmail } },
      `This e-mail already has ${counts.byEmail} unpaid orders. Pay for one of them, or wait until they expire, then order again.`,
    );
  }
  // Stock held from the shelf: only products that sell from stock have a share to protect.
  if (product.deliveryType !== 'auto') return;
  const wanted = counts.units + quantity;
  if (wanted <= 1) return;
  // wanted ≤ share × (available + held) ⇔ available ≥ ⌈wanted × 100 / share⌉ − held: the
  // available keys are counted only up to that bound (never the whole shelf of a big product).
  const needed = Math.ceil((wanted * 100) / policy.stockSharePercent) - counts.units;
  const [stock] = await tx.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM card_keys WHERE product_id = ${product.id} AND status = 'available' LIMIT ${needed}) s`);
  if ((stock?.n ?? 0) < needed) {
    throw new TooManyPending(
      { code: 'stock_share', detail: { held: counts.units, wanted: quantity, sharePercent: policy.stockSharePercent } },
      `One buyer may hold at most ${policy.stockSharePercent}% of this product's stock unpaid. Pay for your earlier order first, or order fewer.`,
    );
  }
}
