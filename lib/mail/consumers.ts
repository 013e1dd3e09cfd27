// The outbox consumers that send e-mail: the buyer's delivery e-mail (`mail.delivery`) and
// the merchant's alerts (`mail.merchant`). Each runs after commit, outside any transaction.
import 'server-only';
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { agents, merchants, orders, products, users } from '@/db/schema';
import { getConfig } from '@/lib/config';
import { orderAccessToken } from '@/lib/crypto';
import { translate } from '@/lib/i18n';
import { deliveredItems } from '@/lib/orders';
import { formatAmount } from '@/lib/money';
import type { ClaimedRow, Consumer } from '@/lib/outbox';
import { escapeHtml, sendMail } from './transport';

async function deliveryMail(db: Db, row: ClaimedRow): Promise<void> {
  const orderId = String(row.payload.orderId);
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
  if (!order) throw new Error('order not found');
  const [product] = await db.select().from(products).where(eq(products.id, order.productId));
  const [merchant] = await db.select({ name: merchants.name, settings: merchants.settings }).from(merchants).where(eq(merchants.id, order.merchantId));
  // Keys and any text the merchant delivered by hand (manual products).
  const keys = await deliveredItems(db, order);
  const t = (key: string, vars: Record<string, string | number> = {}) => translate(order.locale, key, vars);
  const url = `${getConfig().appUrl}/order/${order.orderNo}?token=${orderAccessToken(order.id)}`;
  const title = product?.title ?? '';
  const instructions = product?.instructions ?? '';
  // What the buyer paid, when a coupon made it less than the list: the e-mail is their receipt.
  const paidLine =
    order.discount > 0
      ? t('mail.deliveryDiscount', {
          amount: formatAmount(order.amount, order.currency, order.locale),
          discount: formatAmount(order.discount, order.currency, order.locale),
        })
      : '';
  const text = [
    t('mail.deliveryIntro', { product: title }),
    '',
    ...keys,
    '',
    ...(paidLine ? [paidLine, ''] : []),
    ...(instructions ? [t('order.instructions') + ':', instructions, ''] : []),
    t('mail.deliveryLink', { url }),
    t('mail.deliveryFooter'),
  ].join('\n');
  const html = `<p>${escapeHtml(t('mail.deliveryIntro', { product: title }))}</p>
<pre style="font-family:ui-monospace,Menlo,Consolas,monospace;background:#f4f4f5;padding:12px;border-radius:8px">${keys.map(escapeHtml).join('\n')}</pre>
${paidLine ? `<p>${escapeHtml(paidLine)}</p>` : ''}
${instructions ? `<p><strong>${escapeHtml(t('order.instructions'))}</strong></p><p style="white-space:pre-wrap">${escapeHtml(instructions)}</p>` : ''}
<p><a href="${escapeHtml(url)}">${escapeHtml(t('order.title'))}</a></p>
<p style="color:#71717a">${escapeHtml(t('mail.deliveryFooter'))}</p>`;
  await sendMail({
    to: order.email,
    fromName: merchant?.settings.mailFromName || merchant?.name,
    subject: t('mail.deliverySubject', { orderNo: order.orderNo }),
    text,
    html,
    // A resend is a new message: mail systems drop a second message with a Message-ID they have seen.
    messageId: row.payload.resend ? `<delivery-${order.id}-${row.id}@openfaka>` : `<delivery-${order.id}@openfaka>`,
  });
}

async function merchantMail(db: Db, row: ClaimedRow): Promise<void> {
  if (!row.merchantId) return;
  const [merchant] = await db.select().from(merchants).where(eq(merchants.id, row.merchantId));
  const to = merchant?.settings.contactEmail;
  if (!to) return; // nobody to tell; the console shows the same state
  const p = row.payload as Record<string, string | number>;
  const money = (v: unknown) => (v != null ? formatAmount(Number(v), String(p.currency ?? 'CNY')) : '—');
  const vars = { ...p, product: String(p.title ?? ''), amount: p.amount != null ? money(p.amount) : '', providerAmount: money(p.providerAmount) };
  const [subjectKey, bodyKey] =
    row.topic === 'order.awaiting_fulfillment'
      ? ['mail.merchantAwaitingSubject', 'mail.merchantAwaitingBody']
      : row.topic === 'order.review_required'
        ? ['mail.merchantReviewSubject', 'mail.merchantReviewBody']
        : row.topic === 'payment.duplicate'
          ? ['mail.merchantDuplicateSubject', 'mail.merchantDuplicateBody']
          : row.topic === 'delivery.failed'
            ? ['mail.merchantFailedSubject', 'mail.merchantFailedBody']
            : row.topic === 'channel.health'
              ? ['mail.merchantChannelSubject', 'mail.merchantChannelBody']
              : row.topic === 'payment.mismatch'
                ? ['mail.merchantMismatchSubject', 'mail.merchantMismatchBody']
                : row.topic === 'order.manual_payment'
                  ? ['mail.merchantManualSubject', 'mail.merchantManualBody']
                  : row.topic === 'agent.joined'
                    ? ['mail.merchantAgentJoinedSubject', 'mail.merchantAgentJoinedBody']
                    : row.topic === 'agent.ledger_drift'
                      ? ['mail.merchantLedgerDriftSubject', 'mail.merchantLedgerDriftBody']
                      : ['mail.merchantLowStockSubject', 'mail.merchantLowStockBody'];
  const body = translate('zh-CN', bodyKey, vars) + '\n\n' + translate('en', bodyKey, vars);
  await sendMail({
    to,
    subject: translate('zh-CN', subjectKey, vars),
    text: body,
    html: `<p style="white-space:pre-wrap">${escapeHtml(body)}</p>`,
    messageId: `<${row.consumer}-${row.id}@openfaka>`,
  });
}

/** `mail.account`: tells a console account's owner that sign-in was paused after wrong passwords. */
async function accountMail(db: Db, row: ClaimedRow): Promise<void> {
  const p = row.payload as { userId?: string; until?: string; attempts?: number; ip?: string | null };
  const [user] = await db
    .select({ email: users.email })
    .from(users)
    .where(eq(users.id, String(p.userId)));
  if (!user) return;
  const until = new Date(String(p.until));
  const vars = {
    attempts: Number(p.attempts ?? 0),
    ip: p.ip ?? '—',
    until: `${until.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })} (UTC+8)`,
    untilEn: `${until.toISOString().replace('T', ' ').slice(0, 16)} UTC`,
  };
  const body = translate('zh-CN', 'mail.accountLockedBody', vars) + '\n\n' + translate('en', 'mail.accountLockedBody', vars);
  await sendMail({
    to: user.email,
    subject: translate('zh-CN', 'mail.accountLockedSubject', vars),
    text: body,
    html: `<p style="white-space:pre-wrap">${escapeHtml(body)}</p>`,
    messageId: `<${row.consumer}-${row.id}@openfaka>`,
  });
}

/** `mail.paymentLink`: a queued order can be paid again; the buyer gets the pay page's link in their language. */
async function paymentLinkMail(db: Db, row: ClaimedRow): Promise<void> {
  const [order] = await db
    .select()
    .from(orders)
    .where(eq(orders.id, String(row.payload.orderId)));
  if (!order || order.status !== 'pending') return; // paid or lapsed meanwhile: nothing to ask for
  const [merchant] = await db.select({ name: merchants.name }).from(merchants).where(eq(merchants.id, order.merchantId));
  const t = (key: string, vars: Record<string, string | number> = {}) => translate(order.locale, key, vars);
  const url = `${getConfig().appUrl}/pay/${order.orderNo}`;
  const vars = { orderNo: order.orderNo, shop: merchant?.name ?? '', amount: formatAmount(order.amount, order.currency, order.locale), url };
  const text = t('mail.paymentLinkBody', vars);
  await sendMail({
    to: order.email,
    subject: t('mail.paymentLinkSubject', vars),
    text,
    html: `<p style="white-space:pre-wrap">${escapeHtml(text)}</p><p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>`,
    messageId: `<${row.consumer}-${row.id}@openfaka>`,
  });
}

/**
 * `mail.agent`: an agent hears of its application's decision and of each step of its
 * withdrawals, at its login's e-mail, in both languages (an agent has no locale of its own).
 */
async function agentMail(db: Db, row: ClaimedRow): Promise<void> {
  const p = row.payload as {
    agentId?: string;
    status?: string;
    decision?: string;
    amount?: number;
    fee?: number;
    reference?: string | null;
    reason?: string | null;
  };
  const [agent] = await db
    .select({ name: agents.name, slug: agents.slug, email: users.email, shop: merchants.name })
    .from(agents)
    .innerJoin(users, eq(users.id, agents.userId))
    .innerJoin(merchants, eq(merchants.id, agents.merchantId))
    .where(eq(agents.id, String(p.agentId)));
  if (!agent) return; // no login to write to
  const [subjectKey, bodyKey] =
    row.topic === 'agent.application_decided'
      ? ['mail.agentApplicationSubject', 'mail.agentApplicationBody']
      : ['mail.agentWithdrawalSubject', 'mail.agentWithdrawalBody'];
  const vars = {
    name: agent.name,
    shop: agent.shop,
    url: `${getConfig().appUrl}/a/${agent.slug}`,
    console: `${getConfig().appUrl}/console`,
    decision: p.decision ?? '',
    status: p.status ?? '',
    amount: p.amount != null ? formatAmount(p.amount, 'CNY') : '',
    net: p.amount != null ? formatAmount(p.amount - (p.fee ?? 0), 'CNY') : '',
    reference: p.reference ?? '—',
    reason: p.reason ?? '—',
  };
  const body = translate('zh-CN', bodyKey, vars) + '\n\n' + translate('en', bodyKey, vars);
  await sendMail({
    to: agent.email,
    fromName: agent.shop,
    subject: translate('zh-CN', subjectKey, vars),
    text: body,
    html: `<p style="white-space:pre-wrap">${escapeHtml(body)}</p>`,
    messageId: `<${row.consumer}-${row.id}@openfaka>`,
  });
}

/** The e-mail consumers `drainOutbox` runs, by name (see `subscriptions` in lib/outbox). */
export function mailConsumers(db: Db): Record<string, Consumer> {
  return {
    'mail.agent': (row) => agentMail(db, row),
    'mail.paymentLink': (row) => paymentLinkMail(db, row),
    'mail.delivery': (row) => deliveryMail(db, row),
    'mail.merchant': (row) => merchantMail(db, row),
    'mail.account': (row) => accountMail(db, row),
  };
}
