// How a channel in gradual rollout is doing beside the others of its method: payments
// created and paid since the rollout began. The reconcile job rolls a channel back to 0 %
// by itself when its paid conversion is clearly worse: at least 200 payments created, and
// more than 5 points below its method's other channels over the same time.
import 'server-only';
import { and, eq, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/db/client';
import { recordAudit, systemActor } from '@/lib/audit';
import { enqueue } from '@/lib/outbox';
import { paymentChannels } from '@/db/schema';
import { forgetChannel, openChannel } from './checkout';

export const ROLLBACK = { minCreated: 200, pointsBelow: 5 } as const;

export type RolloutFigures = {
  channelId: string;
  rolloutPercent: number;
  since: string;
  created: number;
  paid: number;
  /** The method's other channels over the same time. */
  others: { created: number; paid: number };
};

type Row = {
  id: string;
  merchantId: string;
  name: string;
  kind: string;
  rolloutPercent: number;
  since: Date;
  created: number;
  paid: number;
  othersCreated: number;
  othersPaid: number;
};

async function figures(db: DbOrTx, merchantId: string | null): Promise<Row[]> {
  const rolling = await db
    .select()
    .from(paymentChannels)
    .where(
      and(
        lt(paymentChannels.rolloutPercent, 100),
        isNotNull(paymentChannels.rolloutStartedAt),
        eq(paymentChannels.enabled, true),
        merchantId ? eq(paymentChannels.merchantId, merchantId) : undefined,
      ),
    );
  if (rolling.length === 0) return [];
  // Every channel of the merchants concerned, read and unsealed once: "same method" is the
  // drivers' word (an epay channel's comes from its config).
  const merchantIds = [...new Set(rolling.map((r) => r.merchantId))];
  const all = (await db.select().from(paymentChannels).where(inArray(paymentChannels.merchantId, merchantIds))).map(openChannel);
  const methodOf = new Map(all.map((c) => [c.row.id, c.driver.method(c.config)]));
  const out: Row[] = [];
  for (const row of rolling) {
    const peers = all
      .filter((c) => c.row.merchantId === row.merchantId && c.row.id !== row.id && methodOf.get(c.row.id) === methodOf.get(row.id))
      .map((c) => c.row.id);
    const peerList = peers.length
      ? sql.join(
          peers.map((id) => sql`${id}::uuid`),
          sql`, `,
        )
      : sql`NULL::uuid`;
    const [c] = await db.execute<{ created: string; paid: string; others_created: string; others_paid: string }>(sql`
      SELECT count(*) FILTER (WHERE channel_id = ${row.id} AND status IN ('open', 'paid')) AS created,
             count(*) FILTER (WHERE channel_id = ${row.id} AND status = 'paid') AS paid,
             count(*) FILTER (WHERE channel_id IN (${peerList}) AND status IN ('open', 'paid')) AS others_created,
             count(*) FILTER (WHERE channel_id IN (${peerList}) AND status = 'paid') AS others_paid
        FROM payment_attempts WHERE merchant_id = ${row.merchantId} AND created_at >= ${row.rolloutStartedAt!.toISOString()}::timestamptz`);
    out.push({
      id: row.id,
      merchantId: row.merchantId,
      name: row.name,
      kind: row.kind,
      rolloutPercent: row.rolloutPercent,
      since: row.rolloutStartedAt!,
      created: Number(c!.created),
      paid: Number(c!.paid),
      othersCreated: Number(c!.others_created),
      othersPaid: Number(c!.others_paid),
    });
  }
  return out;
}

/** The merchant's channels in rollout with their figures, for the console. */
export async function rolloutFigures(db: DbOrTx, merchantId: string): Promise<RolloutFigures[]> {
  return (await figures(db, merchantId)).map((r) => ({
    channelId: r.id,
    rolloutPercent: r.rolloutPercent,
    since: r.since.toISOString(),
    created: r.created,
    paid: r.paid,
    others: { created: r.othersCreated, paid: r.othersPaid },
  }));
}

/** Rolls back (to 0 %) every channel whose rollout converts clearly worse than its method's others. */
export async function reviewRollouts(db: Db): Promise<{ rolledBack: string[] }> {
  const rolledBack: string[] = [];
  for (const r of await figures(db, null)) {
    const { created, othersCreated } = r;
    if (r.rolloutPercent === 0 || created < ROLLBACK.minCreated || othersCreated === 0) continue;
    const rate = (100 * r.paid) / created;
    const othersRate = (100 * r.othersPaid) / othersCreated;
    if (rate >= othersRate - ROLLBACK.pointsBelow) continue;
    const done = await db.transaction(async (tx) => {
      const [row] = await tx.execute(
        sql`UPDATE payment_channels SET rollout_percent = 0, updated_at = now() WHERE id = ${r.id} AND rollout_percent > 0 RETURNING id`,
      );
      if (!row) return false;
      const detail = {
        fromPercent: r.rolloutPercent,
        toPercent: 0,
        created,
        paidRate: Math.round(rate * 10) / 10,
        othersPaidRate: Math.round(othersRate * 10) / 10,
      };
      await recordAudit(tx, systemActor(r.merchantId), { action: 'channel.rollback', targetType: 'channel', targetId: r.id, detail });
      await enqueue(tx, {
        merchantId: r.merchantId,
        topic: 'channel.health',
        eventKey: `${r.id}:rolled_back:${Date.now()}`,
        payload: { channelId: r.id, channel: r.name, kind: r.kind, to: 'rolled_back', ...detail },
      });
      return true;
    });
    if (!done) continue;
    forgetChannel(r.id);
    rolledBack.push(r.id);
  }
  return { rolledBack };
}
