// Withdrawals: an agent asks to be paid out of its available balance; the merchant approves,
// pays (with its payment reference) or rejects (with a reason). The request holds the money
// (available → held) in the transaction that checks it, under the agent's balance lock: the
// minimum, the balance, no debt, one open request (also a partial unique index), so no
// number of concurrent requests can overdraw. Each step tells the agent (outbox).
import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx, Tx } from '@/db/client';
import { agentLevels, agentWithdrawals, merchants, type AgentWithdrawal, type WithdrawalMethod, type WithdrawalStatus } from '@/db/schema';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { AppError, pgError, validationError } from '@/lib/errors';
import { enqueue } from '@/lib/outbox';
import { actingAgent } from './session';
import { lockBalances, offsetDebt, postTxn } from './ledger';
import { applyBp } from './pricing';

export const WITHDRAWAL_METHODS = ['alipay', 'wechat', 'usdt_trc20', 'bank'] as const satisfies readonly WithdrawalMethod[];

/** The payout methods a merchant offers its agents (merchants.settings.agentWithdrawMethods; all by default). */
export function allowedMethods(settings: { agentWithdrawMethods?: string[] }): WithdrawalMethod[] {
  const chosen = settings.agentWithdrawMethods?.filter((m): m is WithdrawalMethod => (WITHDRAWAL_METHODS as readonly string[]).includes(m));
  return chosen && chosen.length > 0 ? chosen : [...WITHDRAWAL_METHODS];
}

const requestSchema = z.object({
  amount: z.number().int().min(1).max(10_000_000_000),
  method: z.enum(WITHDRAWAL_METHODS),
  account: z.string().trim().min(3).max(200),
  accountName: z.string().trim().max(60).optional().default(''),
});

async function notifyAgent(tx: DbOrTx, w: AgentWithdrawal, step: WithdrawalStatus): Promise<void> {
  await enqueue(tx, {
    merchantId: w.merchantId,
    topic: 'agent.withdrawal',
    eventKey: `${w.id}:${step}`,
    payload: { withdrawalId: w.id, agentId: w.agentId, status: step, amount: w.amount, fee: w.fee, reference: w.reference, reason: w.reason },
  });
}

/** The agent asks for a payout. `insufficient_balance`, `withdrawal_open`, `owes_money` or `validation_failed` change nothing. */
export async function requestWithdrawal(db: Db, actor: Actor, input: z.input<typeof requestSchema>): Promise<AgentWithdrawal> {
  const parsed = requestSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { amount, method, account, accountName } = parsed.data;
  try {
    return await db.transaction(async (tx) => {
      const agent = await actingAgent(tx, actor);
      if (agent.status !== 'active') throw new AppError('forbidden', 'Your agent account is not active.');
      const [[level], [merchant]] = await Promise.all([
        tx
          .select()
          .from(agentLevels)
          .where(and(eq(agentLevels.merchantId, agent.merchantId), eq(agentLevels.rank, agent.level))),
        tx.select({ settings: merchants.settings }).from(merchants).where(eq(merchants.id, agent.merchantId)),
      ]);
      if (!allowedMethods(merchant!.settings).includes(method)) {
        throw new AppError('validation_failed', 'The merchant does not pay out by this method.', { fields: { method: 'not_allowed' } });
      }
      if (amount < level!.withdrawMin) {
        throw new AppError('validation_failed', 'Below the minimum withdrawal.', {
          fields: { amount: { code: 'below_minimum', min: level!.withdrawMin, currency: 'CNY' } },
        });
      }
      const balances = await lockBalances(tx, agent.merchantId, [agent.id]);
      const b = balances.get(agent.id)!;
      const open = await tx
        .select({ id: agentWithdrawals.id })
        .from(agentWithdrawals)
        .where(and(eq(agentWithdrawals.agentId, agent.id), inArray(agentWithdrawals.status, ['pending', 'approved'])));
      if (open.length > 0) throw new AppError('withdrawal_open', 'You have a withdrawal in progress already.');
      if (b.owed < 0) throw new AppError('owes_money', 'Refunds left a debt; it is repaid from your next earnings before you can withdraw.');
      if (amount > b.available) throw new AppError('insufficient_balance', 'More than your available balance.');
      const fee = Math.min(applyBp(amount, level!.withdrawFeeBp), amount - 1);
      const [w] = await tx
        .insert(agentWithdrawals)
        .values({ merchantId: agent.merchantId, agentId: agent.id, amount, fee, method, account, accountName })
        .returning();
      await postTxn(tx, balances, { merchantId: agent.merchantId, agentId: agent.id, kind: 'hold', key: `hold:${w!.id}`, amount, withdrawalId: w!.id }, [
        { agentId: agent.id, account: 'available', amount: -amount },
        { agentId: agent.id, account: 'held', amount },
      ]);
      await recordAudit(tx, actor, { action: 'withdrawal.request', targetType: 'withdrawal', targetId: w!.id, detail: { amount, fee, method } });
      await notifyAgent(tx, w!, 'pending');
      return w!;
    });
  } catch (err) {
    // The partial unique index is the last line: a second open request that raced past the check.
    if (pgError(err).constraint === 'agent_withdrawals_open_key') throw new AppError('withdrawal_open', 'You have a withdrawal in progress already.');
    throw err;
  }
}

const decisionSchema = z.object({
  id: z.guid(),
  decision: z.enum(['approve', 'pay', 'reject', 'cancel']),
  reference: z.string().trim().max(200).optional(),
  reason: z.string().trim().max(500).optional(),
});

/**
 * Moves a withdrawal on: the merchant approves (pending → approved), pays (pending|approved →
 * paid, a reference required: held money leaves as payout, less the fee) or rejects (reason
 * required: held → available); the agent may cancel its own pending request. A conditional
 * step: a withdrawal that moved meanwhile is a `conflict`.
 */
export async function decideWithdrawal(db: Db, actor: Actor, input: z.input<typeof decisionSchema>): Promise<AgentWithdrawal> {
  const parsed = decisionSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { id, decision, reference, reason } = parsed.data;
  if (decision === 'pay' && !reference) throw new AppError('validation_failed', 'Give the payment reference.', { fields: { reference: 'required' } });
  if (decision === 'reject' && !reason) throw new AppError('validation_failed', 'Give a reason.', { fields: { reason: 'required' } });
  return db.transaction(async (tx) => {
    const scope = decision === 'cancel' ? await agentScope(tx, actor) : { merchantId: merchantOf(actor), agentId: null };
    const [w] = await tx
      .select()
      .from(agentWithdrawals)
      .where(
        and(
          eq(agentWithdrawals.id, id),
          eq(agentWithdrawals.merchantId, scope.merchantId),
          scope.agentId ? eq(agentWithdrawals.agentId, scope.agentId) : undefined,
        ),
      )
      .for('update');
    if (!w) throw new AppError('not_found', 'No such withdrawal.');
    const from: Record<typeof decision, WithdrawalStatus[]> = {
      approve: ['pending'],
      pay: ['pending', 'approved'],
      reject: ['pending', 'approved'],
      cancel: ['pending'],
    };
    if (!from[decision].includes(w.status)) throw new AppError('conflict', `This withdrawal is ${w.status}.`);
    const to: WithdrawalStatus = decision === 'approve' ? 'approved' : decision === 'pay' ? 'paid' : decision === 'reject' ? 'rejected' : 'cancelled';
    const balances = await lockBalances(tx, w.merchantId, [w.agentId]);
    const head = { merchantId: w.merchantId, agentId: w.agentId, withdrawalId: w.id, amount: w.amount, actor: actor.id };
    if (to === 'paid') {
      await postTxn(tx, balances, { ...head, kind: 'pay', key: `paid:${w.id}`, memo: reference }, [
        { agentId: w.agentId, account: 'held', amount: -w.amount },
        { agentId: w.agentId, account: 'payout', amount: w.amount - w.fee },
        { agentId: w.agentId, account: 'fee_income', amount: w.fee },
      ]);
    } else if (to === 'rejected' || to === 'cancelled') {
      await postTxn(tx, balances, { ...head, kind: 'unhold', key: `release:${w.id}`, memo: reason ?? null }, [
        { agentId: w.agentId, account: 'held', amount: -w.amount },
        { agentId: w.agentId, account: 'available', amount: w.amount },
      ]);
      // Money back in available repays a debt a refund left meanwhile.
      await offsetDebt(tx, balances, { merchantId: w.merchantId, agentId: w.agentId, key: `offset:release:${w.id}` });
    }
    const [updated] = await tx
      .update(agentWithdrawals)
      .set({
        status: to,
        decidedAt: to === 'paid' && w.decidedAt ? w.decidedAt : sql`now()`,
        ...(to === 'paid' ? { paidAt: sql`now()`, reference } : {}),
        ...(to === 'rejected' ? { reason } : {}),
      })
      .where(and(eq(agentWithdrawals.id, w.id), eq(agentWithdrawals.status, w.status)))
      .returning();
    await recordAudit(tx, actor, {
      action: `withdrawal.${decision}`,
      targetType: 'withdrawal',
      targetId: w.id,
      detail: { amount: w.amount, ...(reference ? { reference } : {}), ...(reason ? { reason } : {}) },
    });
    await notifyAgent(tx, updated!, to);
    return updated!;
  });
}

async function agentScope(tx: Tx, actor: Actor): Promise<{ merchantId: string; agentId: string }> {
  const agent = await actingAgent(tx, actor);
  return { merchantId: agent.merchantId, agentId: agent.id };
}

export type WithdrawalRow = AgentWithdrawal & { agentName: string; agentSlug: string; owed: number };

/** A merchant's withdrawals (or one agent's), newest first, with what the agent owes now (a refund after the request). */
export async function listWithdrawals(
  db: DbOrTx,
  scope: { merchantId: string; agentId?: string; status?: WithdrawalStatus },
  limit = 100,
): Promise<WithdrawalRow[]> {
  const rows = await db.execute<Record<string, unknown>>(sql`
    SELECT w.*, a.name AS agent_name, a.slug AS agent_slug, coalesce(b.owed, 0) AS owed
      FROM agent_withdrawals w JOIN agents a ON a.id = w.agent_id LEFT JOIN agent_balances b ON b.agent_id = w.agent_id
     WHERE w.merchant_id = ${scope.merchantId}
       ${scope.agentId ? sql`AND w.agent_id = ${scope.agentId}` : sql``}
       ${scope.status ? sql`AND w.status = ${scope.status}` : sql``}
     ORDER BY w.created_at DESC LIMIT ${limit}`);
  return rows.map((r) => ({
    id: String(r.id),
    merchantId: String(r.merchant_id),
    agentId: String(r.agent_id),
    amount: Number(r.amount),
    fee: Number(r.fee),
    method: r.method as WithdrawalMethod,
    account: String(r.account),
    accountName: String(r.account_name),
    status: r.status as WithdrawalStatus,
    reference: (r.reference as string | null) ?? null,
    reason: (r.reason as string | null) ?? null,
    createdAt: new Date(String(r.created_at)),
    decidedAt: r.decided_at ? new Date(String(r.decided_at)) : null,
    paidAt: r.paid_at ? new Date(String(r.paid_at)) : null,
    agentName: String(r.agent_name),
    agentSlug: String(r.agent_slug),
    owed: Number(r.owed),
  }));
}
