import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { RiskPolicyForm } from '@/components/console/risk/policy-form';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { isAppError } from '@/lib/errors';
import { BUSINESS_TIME_ZONE } from '@/lib/i18n';
import { orderLabels } from '@/lib/orders';
import { DEFAULT_RISK_POLICY, listRiskEvents, riskPolicyOf } from '@/lib/risk';
import { updateRiskPolicyAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.risk');
  return { title: t('title') };
}

const when = {
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZone: BUSINESS_TIME_ZONE,
} as const;
const REASONS = ['pending_per_address', 'pending_per_email', 'stock_share'] as const;

export default async function RiskPage({ searchParams }: { searchParams: Promise<{ cursor?: string }> }) {
  const { db, merchantId } = await requireMerchantPage();
  const { cursor } = await searchParams;
  const [t, format, policy, labels, page] = await Promise.all([
    getTranslations('console.risk'),
    getFormatter(),
    riskPolicyOf(db, merchantId),
    orderLabels(db, merchantId),
    listRiskEvents(db, merchantId, { cursor: cursor || null, limit: 50 }).catch((e: unknown) => {
      if (isAppError(e)) return listRiskEvents(db, merchantId, { limit: 50 });
      throw e;
    }),
  ]);
  const reason = (r: { code: string; detail?: Record<string, unknown> }) =>
    (REASONS as readonly string[]).includes(r.code)
      ? t(`reasons.${r.code as (typeof REASONS)[number]}`, {
          held: Number(r.detail?.held ?? 0),
          limit: Number(r.detail?.limit ?? 0),
          wanted: Number(r.detail?.wanted ?? 0),
          share: Number(r.detail?.sharePercent ?? 0),
        })
      : r.code;

  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <div className="space-y-6">
        <Card>
          <h2 className="text-base font-semibold text-zinc-900">{t('policy.title')}</h2>
          <p className="mt-1 mb-4 text-sm text-zinc-500">{t('policy.hint')}</p>
          <RiskPolicyForm action={updateRiskPolicyAction} initial={policy} defaults={DEFAULT_RISK_POLICY} />
        </Card>

        <Card>
          <h2 className="text-base font-semibold text-zinc-900">{t('log.title')}</h2>
          <p className="mt-1 mb-3 text-sm text-zinc-500">{t('log.hint')}</p>
          <Table>
            <thead>
              <tr>
                <Th>{t('log.time')}</Th>
                <Th>{t('log.decision')}</Th>
                <Th>{t('log.reason')}</Th>
                <Th>{t('log.address')}</Th>
                <Th>{t('log.email')}</Th>
                <Th>{t('log.product')}</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {page.events.length === 0 ? <EmptyRow colSpan={6}>{t('log.empty')}</EmptyRow> : null}
              {page.events.map((e) => (
                <Tr key={e.id}>
                  <Td className="tabular-nums">{format.dateTime(e.createdAt, when)}</Td>
                  <Td>
                    <Badge tone="red">{t(`actions.${e.action === 'block' ? 'block' : 'other'}`)}</Badge>
                    <span className="ml-2 text-xs text-zinc-500">{t(`stages.${e.stage === 'order_create' ? 'order_create' : 'other'}`)}</span>
                  </Td>
                  <Td className="min-w-64 whitespace-normal text-sm">{e.reasons.map(reason).join(';')}</Td>
                  <Td className="font-mono text-xs">{e.address ?? '—'}</Td>
                  <Td className="max-w-48 truncate" title={e.emailNorm ?? undefined}>
                    {e.emailNorm ?? '—'}
                  </Td>
                  <Td className="max-w-48 truncate">
                    {e.productId ? (
                      <Link href={`/console/products/${e.productId}`} className="text-brand-700 hover:underline">
                        {labels.productTitle.get(e.productId) ?? e.productId.slice(0, 8)}
                      </Link>
                    ) : (
                      '—'
                    )}
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
          <KeysetPager
            firstHref={cursor ? '/console/risk' : null}
            nextHref={page.nextCursor ? `/console/risk?cursor=${page.nextCursor}` : null}
            firstLabel={t('log.first')}
            nextLabel={t('log.next')}
          />
        </Card>
      </div>
    </>
  );
}
