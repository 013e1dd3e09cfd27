import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { formatAmount } from '@/lib/money';
import type { MismatchDay, MismatchRow } from '@/lib/orders';

/** What reconciliation found in the last 30 days: the rate, the days, and each difference with what was done. */
export async function Reconciliation({ rows, days, rate }: { rows: MismatchRow[]; days: MismatchDay[]; rate: number }) {
  const t = await getTranslations('console.channels.reconcile');
  const locale = await getLocale();
  const format = await getFormatter();
  const payments = days.reduce((s, d) => s + d.payments, 0);
  const mismatches = days.reduce((s, d) => s + d.mismatches, 0);
  return (
    <Card className="space-y-4" aria-labelledby="reconcile-title">
      <div>
        <h2 id="reconcile-title" className="text-base font-semibold text-zinc-900">
          {t('title')}
        </h2>
        <p className="mt-1 text-sm text-zinc-500">{t('description')}</p>
        <p className="mt-2 text-sm font-medium text-zinc-800">
          {t('rate', { rate: format.number(rate, { style: 'percent', maximumFractionDigits: 4 }), mismatches, payments })}
        </p>
      </div>
      {rows.length === 0 ? (
        <p className="text-sm text-zinc-500">{t('none')}</p>
      ) : (
        <>
          <div className="overflow-x-auto">
            <Table>
              <thead>
                <tr>
                  <Th>{t('columns.time')}</Th>
                  <Th>{t('columns.order')}</Th>
                  <Th>{t('columns.channel')}</Th>
                  <Th>{t('columns.kind')}</Th>
                  <Th>{t('columns.amounts')}</Th>
                  <Th>{t('columns.resolution')}</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {rows.map((r) => (
                  <Tr key={r.id}>
                    <Td className="text-xs tabular-nums text-zinc-600">{format.dateTime(new Date(r.createdAt), { dateStyle: 'short', timeStyle: 'short' })}</Td>
                    <Td className="font-mono text-xs">
                      <Link href={`/console/orders/${r.orderNo}`} className="text-brand-700 hover:underline">
                        {r.orderNo}
                      </Link>
                    </Td>
                    <Td className="text-zinc-700">{r.channelName}</Td>
                    <Td>{t(`kinds.${r.kind}`)}</Td>
                    <Td className="tabular-nums">
                      {formatAmount(r.expectedAmount, r.currency, locale)} /{' '}
                      {r.providerAmount == null ? '—' : formatAmount(r.providerAmount, r.currency, locale)}
                    </Td>
                    <Td>
                      <Badge tone={r.resolution === 'recovered' ? 'green' : r.resolution === 'held' ? 'red' : 'amber'}>
                        {t(`resolutions.${r.resolution}`)}
                      </Badge>
                    </Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          </div>
          <details className="text-sm">
            <summary className="cursor-pointer text-zinc-700">{t('days')}</summary>
            <Table>
              <thead>
                <tr>
                  <Th>{t('day')}</Th>
                  <Th className="text-right">{t('payments')}</Th>
                  <Th className="text-right">{t('mismatches')}</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {days.map((d) => (
                  <Tr key={d.day}>
                    <Td className="tabular-nums">{d.day}</Td>
                    <Td className="text-right tabular-nums">{d.payments}</Td>
                    <Td className="text-right tabular-nums">{d.mismatches}</Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          </details>
        </>
      )}
    </Card>
  );
}
