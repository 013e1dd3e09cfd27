import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, index, integer, pgEnum, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { merchants } from './accounts';
import { agents } from './agents';
import { orders } from './orders';

/**
 * What an order placed in an agent's shop pays whom, fixed when the order is created: the
 * ledger reads only this, never re-prices. `commission` is the agent's (sale − cost, less a
 * discount), `parentShare` the parent's (its cost below the agent's); not `eligible` (an
 * agent or its parent buying with its own e-mail) earns nothing.
 */
export const orderAgentSnapshots = pgTable(
  'order_agent_snapshots',
  {
    orderId: uuid('order_id')
      .primaryKey()
      .references(() => orders.id),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id),
    rank: smallint('rank').notNull(),
    parentId: uuid('parent_id').references(() => agents.id),
    quantity: integer('quantity').notNull(),
    unitCost: bigint('unit_cost', { mode: 'number' }).notNull(),
    unitSale: bigint('unit_sale', { mode: 'number' }).notNull(),
    parentUnitCost: bigint('parent_unit_cost', { mode: 'number' }),
    commission: bigint('commission', { mode: 'number' }).notNull(),
    parentShare: bigint('parent_share', { mode: 'number' }).notNull().default(0),
    eligible: boolean('eligible').notNull(),
    blockReason: text('block_reason'),
    /** When the accrued commission becomes available (delivery + the level's hold); `releasedAt` once it has. */
    releaseAt: timestamp('release_at', { withTimezone: true }),
    releasedAt: timestamp('released_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('order_agent_snapshots_agent_idx').on(t.agentId, t.createdAt),
    index('order_agent_snapshots_release_idx')
      .on(t.releaseAt)
      .where(sql`${t.releaseAt} IS NOT NULL AND ${t.releasedAt} IS NULL`),
    index('order_agent_snapshots_parent_idx')
      .on(t.parentId)
      .where(sql`${t.parentId} IS NOT NULL`),
    check('order_agent_snapshots_money_check', sql`${t.commission} >= 0 AND ${t.parentShare} >= 0`),
  ],
);
export type OrderAgentSnapshot = typeof orderAgentSnapshots.$inferSelect;

export const ledgerTxnKind = pgEnum('ledger_txn_kind', ['accrue', 'release', 'reverse', 'offset', 'hold', 'pay', 'unhold', 'adjust']);
export type LedgerTxnKind = (typeof ledgerTxnKind.enumValues)[number];
/** Agent accounts (pending, available, held, owed ≤ 0) and the merchant's side of each movement. */
export const ledgerAccount = pgEnum('ledger_account', ['pending', 'available', 'held', 'owed', 'commission_expense', 'payout', 'fee_income']);
export type LedgerAccount = (typeof ledgerAccount.enumValues)[number];

/**
 * One money movement of one agent, under a unique idempotency key (`accrue:{order}:{agent}`,
 * `reverse:{refund}:{agent}`, `hold:{withdrawal}`…): a retried event finds it and does nothing.
 * Append-only: a trigger refuses UPDATE and DELETE (migration 0020).
 */
export const ledgerTxns = pgTable(
  'ledger_txns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id),
    kind: ledgerTxnKind('kind').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** What moved, for reading: the amount of the transaction's first leg. */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    orderId: uuid('order_id').references(() => orders.id),
    refundId: uuid('refund_id'),
    withdrawalId: uuid('withdrawal_id'),
    actor: text('actor'),
    memo: text('memo'),
    /** clock_timestamp(): the movements of one transaction (an accrual and its release) keep their order. */
    createdAt: timestamp('created_at', { withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
  },
  (t) => [
    uniqueIndex('ledger_txns_key').on(t.merchantId, t.idempotencyKey),
    index('ledger_txns_agent_idx').on(t.agentId, t.createdAt),
    index('ledger_txns_order_idx')
      .on(t.orderId, t.agentId)
      .where(sql`${t.orderId} IS NOT NULL`),
  ],
);
export type LedgerTxn = typeof ledgerTxns.$inferSelect;

/** Signed legs; every transaction's legs sum to zero (a deferred constraint trigger, migration 0020). */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    txnId: uuid('txn_id')
      .notNull()
      .references(() => ledgerTxns.id),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    /** The agent whose account this is; the merchant-side accounts carry the agent the movement was for. */
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id),
    account: ledgerAccount('account').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ledger_entries_txn_idx').on(t.txnId), index('ledger_entries_agent_account_idx').on(t.agentId, t.account)],
);
export type LedgerEntry = typeof ledgerEntries.$inferSelect;

/**
 * The agent's balances, a cache of its entries' sums kept in the same transaction, locked
 * (`FOR UPDATE`, in agent id order) by every movement; the checks make an overdraft fail at
 * the database. A job recomputes it from the entries and alerts on any difference.
 */
export const agentBalances = pgTable(
  'agent_balances',
  {
    agentId: uuid('agent_id')
      .primaryKey()
      .references(() => agents.id),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    pending: bigint('pending', { mode: 'number' }).notNull().default(0),
    available: bigint('available', { mode: 'number' }).notNull().default(0),
    held: bigint('held', { mode: 'number' }).notNull().default(0),
    owed: bigint('owed', { mode: 'number' }).notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('agent_balances_merchant_idx').on(t.merchantId),
    check('agent_balances_sign_check', sql`${t.pending} >= 0 AND ${t.available} >= 0 AND ${t.held} >= 0 AND ${t.owed} <= 0`),
  ],
);
export type AgentBalance = typeof agentBalances.$inferSelect;

export const withdrawalMethod = pgEnum('withdrawal_method', ['alipay', 'wechat', 'usdt_trc20', 'bank']);
export type WithdrawalMethod = (typeof withdrawalMethod.enumValues)[number];
export const withdrawalStatus = pgEnum('withdrawal_status', ['pending', 'approved', 'paid', 'rejected', 'cancelled']);
export type WithdrawalStatus = (typeof withdrawalStatus.enumValues)[number];

/** An agent's request to be paid out; one open (pending or approved) per agent. */
export const agentWithdrawals = pgTable(
  'agent_withdrawals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    fee: bigint('fee', { mode: 'number' }).notNull().default(0),
    method: withdrawalMethod('method').notNull(),
    account: text('account').notNull(),
    accountName: text('account_name').notNull().default(''),
    status: withdrawalStatus('status').notNull().default('pending'),
    reference: text('reference'),
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    paidAt: timestamp('paid_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('agent_withdrawals_open_key')
      .on(t.agentId)
      .where(sql`${t.status} IN ('pending', 'approved')`),
    index('agent_withdrawals_merchant_idx').on(t.merchantId, t.status, t.createdAt),
    check('agent_withdrawals_amount_check', sql`${t.amount} > 0 AND ${t.fee} >= 0 AND ${t.fee} < ${t.amount}`),
  ],
);
export type AgentWithdrawal = typeof agentWithdrawals.$inferSelect;

export const refundStatus = pgEnum('refund_status', ['requested', 'done', 'failed']);
export type RefundStatus = (typeof refundStatus.enumValues)[number];

/**
 * One refund of an order (whole or part); the `done` ones sum to orders.refunded_amount, never
 * above the amount paid. A refund through the provider is `requested` first (committed before
 * the provider is called, so its number is taken under the order lock and a crash leaves a
 * trace the reconcile job finishes), then `done` or `failed`.
 */
export const orderRefunds = pgTable(
  'order_refunds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    /** 1, 2, … per order: the provider's refund number is `RF{orderNo}` then `RF{orderNo}-2`…, so a repeated request is one refund there and here. */
    seq: integer('seq').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    status: refundStatus('status').notNull().default('done'),
    reason: text('reason').notNull().default(''),
    /** What becomes of the order's keys if this refund completes it (`keep` | `void`). */
    keys: text('keys').notNull().default('keep'),
    viaProvider: text('via_provider'),
    /** The caller's Idempotency-Key (API header, or the console form's): a repeat returns the first refund. */
    idempotencyKey: text('idempotency_key'),
    providerMessage: text('provider_message'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('order_refunds_order_seq_key').on(t.orderId, t.seq),
    uniqueIndex('order_refunds_idempotency_key')
      .on(t.orderId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} IS NOT NULL AND ${t.status} <> 'failed'`),
    index('order_refunds_requested_idx')
      .on(t.createdAt)
      .where(sql`${t.status} = 'requested'`),
    check('order_refunds_amount_check', sql`${t.amount} > 0`),
  ],
);
export type OrderRefund = typeof orderRefunds.$inferSelect;
