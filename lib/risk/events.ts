// The risk log: every decision that stopped a buyer, with its reasons, for the merchant to
// read (and, later, to act on). Written after the refused request's transaction rolled back,
// so a refusal is recorded even though nothing else of the request was.
import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { riskEvents, type RiskEvent, type RiskReason } from '@/db/schema';
import { decodeCursor, keysetPage, pageSize } from '@/lib/cursor';
import { errorSummary } from '@/lib/errors';
import { log } from '@/lib/log';

export type RiskDecision = {
  merchantId: string;
  stage: 'order_create';
  action: 'block';
  address?: string | null;
  emailNorm?: string | null;
  productId?: string | null;
  orderNo?: string | null;
  reasons: RiskReason[];
};

/** Records a decision. Never fails its caller: a log that cannot be written is logged instead. */
export async function recordRiskEvent(db: DbOrTx, d: RiskDecision): Promise<void> {
  try {
    await db.insert(riskEvents).values({
      merchantId: d.merchantId,
      stage: d.stage,
      action: d.action,
      address: d.address ?? null,
      emailNorm: d.emailNorm ?? null,
      productId: d.productId ?? null,
      orderNo: d.orderNo ?? null,
      reasons: d.reasons,
    });
  } catch (err) {
    log('error', 'risk event not recorded', { error: errorSummary(err), stage: d.stage, action: d.action });
  }
}

const cursorSchema = z.object({ id: z.number().int() });

/** The merchant's risk log, newest first, a keyset page at a time. */
export async function listRiskEvents(
  db: DbOrTx,
  merchantId: string,
  opts: { cursor?: string | null; limit?: number } = {},
): Promise<{ events: RiskEvent[]; nextCursor: string | null }> {
  const limit = pageSize(opts.limit, 50, 200);
  const after = decodeCursor(opts.cursor, cursorSchema);
  const rows = await db
    .select()
    .from(riskEvents)
    .where(and(eq(riskEvents.merchantId, merchantId), after ? sql`${riskEvents.id} < ${after.id}` : undefined))
    .orderBy(desc(riskEvents.id))
    .limit(limit + 1);
  const { page, nextCursor } = keysetPage(rows, limit, (r) => ({ id: r.id }));
  return { events: page, nextCursor };
}
