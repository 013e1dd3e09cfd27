'use client';

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatAmount } from '@/lib/money';

export type RevenuePoint = { label: string; tick: string; amount: number; orders: number };

/** Revenue bars over the period (one currency), fed with plain numbers by the server. */
export function RevenueChart({
  points,
  currency,
  locale,
  labels,
}: {
  points: RevenuePoint[];
  currency: string;
  locale: string;
  labels: { revenue: string; orders: string; summary: string };
}) {
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const digits = currency === 'JPY' || currency === 'KRW' ? 0 : 2;
  return (
    <figure className="h-64 w-full" aria-label={labels.summary}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={points} margin={{ top: 8, right: 4, bottom: 0, left: 0 }}>
          <CartesianGrid vertical={false} stroke="#e4e4e7" />
          <XAxis dataKey="tick" tickLine={false} axisLine={false} tick={{ fontSize: 11, fill: '#71717a' }} interval="preserveStartEnd" minTickGap={12} />
          <YAxis
            width={48}
            tickLine={false}
            axisLine={false}
            tick={{ fontSize: 11, fill: '#71717a' }}
            tickFormatter={(v: number) => compact.format(v / 10 ** digits)}
            allowDecimals={false}
          />
          <Tooltip
            cursor={{ fill: 'rgba(31, 102, 221, 0.08)' }}
            labelFormatter={(_label, payload) => (payload?.[0]?.payload as RevenuePoint | undefined)?.label ?? ''}
            formatter={(value, _name, item) => {
              const p = item.payload as RevenuePoint;
              return [`${formatAmount(Number(value), currency, locale)} · ${p.orders} ${labels.orders}`, labels.revenue];
            }}
            contentStyle={{ borderRadius: 8, border: '1px solid #e4e4e7', fontSize: 12 }}
          />
          <Bar dataKey="amount" fill="var(--color-brand-600, #1f66dd)" radius={[4, 4, 0, 0]} maxBarSize={32} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
