// The risk log: every decision that stopped or challenged a buyer (and passes that needed a
// solved challenge), with its score and reasons, for the merchant to read and act on. Written
// after the refused request's transaction rolled back, so a refusal is recorded even though
// nothing else of the request was.
import 'server-only';
import net from 'node:net';
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { riskEvents, type RiskEvent, type RiskReason } from '@/db/schema';
import { decodeCursor, keysetPage, pageSize } from '@/lib/cursor';
import { errorSummary } from '@/lib/errors';
import { unmapIpv4 } from '@/lib/ip';
import { log } from '@/lib/log';
import { normaliseEmail } from './email';
import { addressKey } from './ratelimit';

import type { RiskAction, RiskStage } from './client';
export { RISK_STAGES, type RiskStage } from './client';

export type RiskDecision = {
  merchantId: string;
  stage: RiskStage;
  action: RiskAction;
  score?: number;
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
      score: d.score ?? 0,
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

export type RiskEventFilter = {
  stage?: string | null;
  action?: string | null;
  /** An address (an IPv6 one is matched by its /64, as the log keeps it), or an e-mail in any of its spellings. */
  buyer?: string | null;
};

/** The merchant's risk log, newest first, a keyset page at a time, optionally narrowed to a stage, an action or a buyer. */
export async function listRiskEvents(
  db: DbOrTx,
  merchantId: string,
  opts: { cursor?: string | null; limit?: number } & RiskEventFilter = {},
): Promise<{ events: RiskEvent[]; nextCursor: string | null }> {
  const limit = pageSize(opts.limit, 50, 200);
  const after = decodeCursor(opts.cursor, cursorSchema);
  const buyer = opts.buyer?.trim() || null;
  const address = buyer && !buyer.includes('@') ? unmapIpv4(buyer) : null;
  const rows = await db
    .select()
    .from(riskEvents)
    .where(
      and(
        eq(riskEvents.merchantId, merchantId),
        after ? sql`${riskEvents.id} < ${after.id}` : undefined,
        opts.stage ? eq(riskEvents.stage, opts.stage) : undefined,
        opts.action ? eq(riskEvents.action, opts.action) : undefined,
        buyer?.includes('@') ? eq(riskEvents.emailNorm, normaliseEmail(buyer)) : undefined,
        address ? eq(riskEvents.address, net.isIP(address) ? addressKey(address) : address) : undefined,
      ),
    )
    .orderBy(desc(riskEvents.id))
    .limit(limit + 1);
  const { page, nextCursor } = keysetPage(rows, limit, (r) => ({ id: r.id }));
  return { events: page, nextCursor };
}

/** The risk decisions recorded for one of the merchant's orders (the order page shows why it was held or challenged). */
export async function riskEventsOfOrder(db: DbOrTx, merchantId: string, orderNo: string): Promise<RiskEvent[]> {
  return db
    .select()
    .from(riskEvents)
    .where(and(eq(riskEvents.merchantId, merchantId), eq(riskEvents.orderNo, orderNo)))
    .orderBy(desc(riskEvents.id))
    .limit(20);
}
