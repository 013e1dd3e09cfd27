import type { Coupon, CouponListRow } from '@/lib/coupons';
import type { AgentListItem, WithdrawalRow } from '@/lib/agents';
import type { Product } from '@/lib/catalog';
import type { BuyerOrderView } from '@/lib/orders';
import type { ChannelSummary } from '@/lib/payments';

/** The storefront API's order shape (SPEC section 4). */
export function apiOrderView(view: BuyerOrderView) {
  const { expiresAt: _expiresAt, instructions, ...rest } = view;
  return { ...rest, ...(instructions ? { instructions } : {}) };
}

/** A product for the merchant API: every field but the dynamic-delivery signing secret (sealed or not, it stays in the console). */
export function apiProductView(product: Product) {
  const { deliverySecret: _secret, ...rest } = product;
  return rest;
}

/** A channel as the API shows it: the console's summary, credentials as the same last-four hints. */
export function apiChannelView(c: ChannelSummary) {
  return {
    id: c.id,
    kind: c.kind,
    name: c.name,
    enabled: c.enabled,
    usable: c.usable,
    priority: c.priority,
    minAmount: c.minAmount,
    maxAmount: c.maxAmount,
    feeBps: c.feeBps,
    config: Object.fromEntries(c.config.map((f) => [f.name, f.hint])),
    warnings: c.warnings,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/** A coupon as the merchant API shows it: its terms and its counters (`used` includes payments honoured over the limit). */
export function apiCouponView(
  c: Omit<CouponListRow, 'state'> & { state?: CouponListRow['state'] } & Partial<
      Pick<Coupon, 'productIds' | 'categoryIds' | 'agentShops' | 'stackWholesale' | 'allowFree' | 'note'>
    >,
) {
  return {
    id: c.id,
    code: c.code,
    batchId: c.batchId,
    type: c.type,
    value: c.value,
    currency: c.currency,
    maxDiscount: c.maxDiscount,
    minAmount: c.minAmount,
    scope: c.scope,
    ...(c.productIds ? { productIds: c.productIds, categoryIds: c.categoryIds } : {}),
    startsAt: c.startsAt?.toISOString() ?? null,
    endsAt: c.endsAt?.toISOString() ?? null,
    totalLimit: c.totalLimit,
    perEmailLimit: c.perEmailLimit,
    ...(c.agentShops !== undefined ? { agentShops: c.agentShops, stackWholesale: c.stackWholesale, allowFree: c.allowFree, note: c.note } : {}),
    enabled: c.enabled,
    ...(c.state ? { state: c.state } : {}),
    used: c.usedCount + c.overLimitCount,
    reserved: c.reservedCount,
    overLimit: c.overLimitCount,
    createdAt: c.createdAt.toISOString(),
  };
}

/** An agent as the merchant API shows it (its login e-mail, never its password). */
export function apiAgentView(a: AgentListItem) {
  return {
    id: a.id,
    slug: a.slug,
    name: a.name,
    rank: a.level,
    levelName: a.levelName,
    status: a.status,
    parentId: a.parentId,
    email: a.email,
    contact: a.contact,
    note: a.applicationNote,
    reviewReason: a.reviewReason,
    createdAt: a.createdAt.toISOString(),
    approvedAt: a.approvedAt?.toISOString() ?? null,
    balance: a.balance,
  };
}

export function apiWithdrawalView(w: WithdrawalRow) {
  return {
    id: w.id,
    agentId: w.agentId,
    agent: { name: w.agentName, slug: w.agentSlug },
    amount: w.amount,
    fee: w.fee,
    method: w.method,
    account: w.account,
    accountName: w.accountName,
    status: w.status,
    reference: w.reference,
    reason: w.reason,
    agentOwes: -w.owed,
    createdAt: w.createdAt.toISOString(),
    decidedAt: w.decidedAt?.toISOString() ?? null,
    paidAt: w.paidAt?.toISOString() ?? null,
  };
}
