import { headers } from 'next/headers';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { getFormatter, getLocale, getNow, getTranslations } from 'next-intl/server';
import { reconcileAfterResponse, withFollowUps } from '@/app/_lib/after-response';
import { AutoRefresh } from '@/components/shop/auto-refresh';
import { Countdown } from '@/components/shop/countdown';
import { PaymentActionView } from '@/components/shop/payment-action';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db/client';
import { isAppError } from '@/lib/errors';
import { formatAmount } from '@/lib/money';
import { getOrderStatus, paymentForOrder, type OrderPayment } from '@/lib/orders';
import { listStoreChannels, onePerMethod } from '@/lib/payments';

/** A phone or tablet browser: where a QR code on the screen cannot be scanned by the same device. */
const PHONE = /Android|iPhone|iPad|iPod|Mobile|HarmonyOS/i;

export const dynamic = 'force-dynamic';

export default async function PayPage({ params }: { params: Promise<{ orderNo: string }> }) {
  const { orderNo } = await params;
  const t = await getTranslations('pay');
  const format = await getFormatter();
  const locale = await getLocale();
  const now = (await getNow()).getTime();
  const db = getDb();
  const found = await getOrderStatus(db, orderNo).catch((e: unknown) => {
    if (isAppError(e) && e.code === 'not_found') notFound();
    throw e;
  });
  const { order, view } = found;
  if (order.status !== 'pending' && order.status !== 'expired') redirect(`/order/${orderNo}`);
  // The buyer is waiting: a lost notification is looked for now, not at the next periodic run.
  reconcileAfterResponse(orderNo);
  // Created at the provider on the first load and stored: a reload or the auto-refresh shows
  // the stored one (and shows a failure without asking the provider again).
  let payment: OrderPayment | null = null;
  if (order.status === 'pending') {
    payment = await withFollowUps(() => paymentForOrder(db, orderNo, { retryFailed: 'never' })).catch((e: unknown) => {
      if (isAppError(e) && (e.code === 'channel_unavailable' || e.code === 'conflict')) return null;
      throw e;
    });
  }
  const onPhone = PHONE.test((await headers()).get('user-agent') ?? '');
  // When this method could not take the payment: the shop's other ways of paying, one per method.
  const alternatives =
    payment?.state === 'failed' ? onePerMethod(await listStoreChannels(db, order.merchantId)).filter((c) => c.method !== payment!.channel.method) : [];
  // A crypto transfer is matched only until the provider's own expiry, which may come first.
  const action = payment?.action;
  const payBy = action?.type === 'crypto' && new Date(action.expiresAt) < order.expiresAt ? new Date(action.expiresAt) : order.expiresAt;
  return (
    <div className="mx-auto max-w-md space-y-4">
      <AutoRefresh active={order.status === 'pending'} />
      <Card className="space-y-5">
        <h1 className="text-lg font-semibold">{t('title')}</h1>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="text-zinc-500">{t('orderNo')}</dt>
          <dd className="break-all font-mono">{orderNo}</dd>
          <dt className="text-zinc-500">{t('product')}</dt>
          <dd>
            {view.productTitle} × {view.quantity}
          </dd>
          {order.discount > 0 ? (
            <>
              <dt className="text-zinc-500">{t('discount')}</dt>
              <dd className="text-emerald-700 tabular-nums">−{formatAmount(order.discount, order.currency, locale)}</dd>
            </>
          ) : null}
          <dt className="text-zinc-500">{t('amount')}</dt>
          <dd className="text-2xl font-semibold text-brand-700">{formatAmount(order.amount, order.currency, locale)}</dd>
        </dl>
        {order.status === 'expired' ? (
          <div className="space-y-3">
            <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-amber-200" role="status">
              {t('expired')}
            </p>
            <Link href="/" className={buttonClass('primary', 'w-full')}>
              {t('buyAgain')}
            </Link>
          </div>
        ) : (
          <div className="space-y-3">
            <p className="text-sm text-zinc-600" role="timer">
              {t('expiresIn', { minutes: Math.max(1, Math.ceil((payBy.getTime() - now) / 60000)) })} · <Countdown until={payBy.toISOString()} />
            </p>
            <PaymentActionView
              orderNo={orderNo}
              payment={payment}
              onPhone={onPhone}
              amount={formatAmount(order.amount, order.currency, locale)}
              queuedUntil={order.manualQueueAt ? format.dateTime(order.expiresAt, { dateStyle: 'short', timeStyle: 'short' }) : undefined}
              alternatives={alternatives}
            />
          </div>
        )}
      </Card>
    </div>
  );
}
