// Small reads the merchant's agent console needs beside reads.ts: what waits for the
// merchant (applications, open withdrawals) for the programme's tab badges, and withdrawals
// counted by state for the status filter.
import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { agents, agentWithdrawals, type WithdrawalStatus } from '@/db/schema';

/** What waits for the merchant: applications to review, withdrawals to approve or pay. */
export async function programmeQueue(db: DbOrTx, merchantId: string): Promise<{ applications: number; withdrawals: number }> {
  const [[apps], [open]] = await Promise.all([
    db
      .select({ n: sql<string>`count(*)` })
      .from(agents)
      .where(and(eq(agents.merchantId, merchantId), eq(agents.status, 'pending'))),
    db
      .select({ n: sql<string>`count(*)` })
      .from(agentWithdrawals)
      .where(and(eq(agentWithdrawals.merchantId, merchantId), sql`${agentWithdrawals.status} IN ('pending', 'approved')`)),
  ]);
  return { applications: Number(apps?.n ?? 0), withdrawals: Number(open?.n ?? 0) };
}

/** A merchant's withdrawals counted by state (every state present, 0 when none). */
export async function withdrawalCounts(db: DbOrTx, merchantId: string): Promise<Record<WithdrawalStatus, number>> {
  const rows = await db
    .select({ status: agentWithdrawals.status, n: sql<string>`count(*)` })
    .from(agentWithdrawals)
    .where(eq(agentWithdrawals.merchantId, merchantId))
    .groupBy(agentWithdrawals.status);
  const counts: Record<WithdrawalStatus, number> = { pending: 0, approved: 0, paid: 0, rejected: 0, cancelled: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}
