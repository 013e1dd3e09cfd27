import { getLocale, getTranslations } from 'next-intl/server';
import type { CouponReport } from '@/lib/coupons';
import { formatAmount } from '@/lib/money';

/** A coupon's or a batch's figures: reserved → paid, what it cost, what it brought in. */
export async function ReportStats({ report, currency, codes }: { report: CouponReport; currency: string; codes?: { total: number; used: number } }) {
  const [t, locale] = await Promise.all([getTranslations('console.coupons.report'), getLocale()]);
  const conversion = report.reservations > 0 ? Math.round((report.paid / report.reservations) * 1000) / 10 : null;
  const items = [
    ...(codes ? [{ label: t('codesUsed'), value: `${codes.used} / ${codes.total}` }] : []),
    { label: t('reservations'), value: String(report.reservations), hint: t('reservationsHint', { pending: report.pending, released: report.released }) },
    { label: t('paid'), value: String(report.paid), hint: conversion === null ? undefined : t('conversion', { percent: conversion }) },
    { label: t('discountGiven'), value: formatAmount(report.discountGiven, currency, locale) },
    { label: t('revenue'), value: formatAmount(report.revenue, currency, locale), hint: t('buyers', { n: report.buyers }) },
    ...(report.overLimit > 0 || report.refunded > 0
      ? [
          {
            label: t('exceptions'),
            value: String(report.overLimit + report.refunded),
            hint: t('exceptionsHint', { over: report.overLimit, refunded: report.refunded }),
          },
        ]
      : []),
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-[repeat(auto-fit,minmax(9rem,1fr))]">
      {items.map((i) => (
        <div key={i.label} className="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-zinc-200">
          <dt className="text-xs text-zinc-500">{i.label}</dt>
          <dd className="mt-1 text-lg font-semibold text-zinc-900 tabular-nums">{i.value}</dd>
          {i.hint ? <dd className="mt-0.5 text-xs text-zinc-500">{i.hint}</dd> : null}
        </div>
      ))}
    </dl>
  );
}
