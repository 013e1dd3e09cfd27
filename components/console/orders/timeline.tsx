import { getFormatter, getTranslations } from 'next-intl/server';
import type { MerchantOrderDetail } from '@/lib/orders';

const dot: Record<string, string> = {
  created: 'bg-zinc-400',
  paid: 'bg-brand-500',
  delivered: 'bg-emerald-500',
  awaiting_fulfillment: 'bg-amber-500',
  expired: 'bg-zinc-300',
  refunded: 'bg-red-500',
  duplicate_payment: 'bg-red-500',
  mail_resent: 'bg-sky-400',
  coupon_over_limit: 'bg-amber-500',
  review_waiting: 'bg-brand-500',
  review_approved: 'bg-emerald-500',
  review_rejected: 'bg-red-500',
  manual_queue: 'bg-amber-500',
};
const KNOWN = new Set(Object.keys(dot));

/** The order's events (order_events), oldest first, each with the facts the merchant needs. */
export async function OrderTimeline({ events }: { events: MerchantOrderDetail['events'] }) {
  const t = await getTranslations('console.orders');
  const format = await getFormatter();
  const notes = (e: MerchantOrderDetail['events'][number]): string[] => {
    const d = e.detail as Record<string, unknown>;
    const out: string[] = [];
    if (typeof d.tradeNo === 'string') out.push(t('events.tradeNo', { tradeNo: d.tradeNo }));
    if (d.late === true) out.push(t('events.late'));
    if (typeof d.coupon === 'string') out.push(t('events.coupon', { code: d.coupon }));
    if (typeof d.via === 'string' && ['manual', 'reserved', 'late_reservation', 'generated', 'webhook'].includes(d.via)) out.push(t(`events.via.${d.via}`));
    if (typeof d.reason === 'string' && ['manual', 'no_stock', 'delivery_error', 'no_delivery_url', 'review_rejected'].includes(d.reason))
      out.push(t(`events.reason.${d.reason}`));
    // The merchant's own words for a review decision.
    else if (e.type.startsWith('review_') && typeof d.reason === 'string' && d.reason) out.push(t('events.reviewReason', { reason: d.reason }));
    if (e.type === 'review_waiting' && d.rejected === true) out.push(t('events.rejectedPaid'));
    if (e.type === 'refunded') {
      if (typeof d.viaProvider === 'string') out.push(d.providerStatus === 'pending' ? t('events.viaProviderPending') : t('events.viaProvider'));
      const keys = Number(d.keys ?? 0);
      if (keys > 0)
        out.push(d.keysTo === 'available' ? t('events.keysBack', { keys }) : d.keysTo === 'void' ? t('events.keysVoid', { keys }) : t('events.keysKept'));
    }
    return out;
  };
  if (events.length === 0) return <p className="text-sm text-zinc-500">{t('detail.noEvents')}</p>;
  return (
    <ol className="relative space-y-4 border-l border-zinc-200 pl-5">
      {events.map((e) => (
        <li key={e.id} className="relative">
          <span aria-hidden className={`absolute top-1.5 -left-[25px] size-2.5 rounded-full ring-4 ring-white ${dot[e.type] ?? 'bg-zinc-400'}`} />
          <p className="text-sm font-medium text-zinc-900">{KNOWN.has(e.type) ? t(`events.${e.type}`) : t('events.other', { type: e.type })}</p>
          <time dateTime={e.createdAt} className="block text-xs tabular-nums text-zinc-500">
            {format.dateTime(new Date(e.createdAt), { dateStyle: 'short', timeStyle: 'medium' })}
          </time>
          {notes(e).length ? <p className="mt-0.5 text-xs break-all text-zinc-500">{notes(e).join(' · ')}</p> : null}
        </li>
      ))}
    </ol>
  );
}
