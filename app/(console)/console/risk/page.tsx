import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { BlockBuyerForm } from '@/components/console/risk/block-buyer-form';
import { DeleteRuleButton } from '@/components/console/risk/delete-rule-button';
import { RiskPolicyForm } from '@/components/console/risk/policy-form';
import { RiskRuleForm } from '@/components/console/risk/rule-form';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { isAppError } from '@/lib/errors';
import { BUSINESS_TIME_ZONE } from '@/lib/i18n';
import { orderLabels } from '@/lib/orders';
import { blockOptionsFor, DEFAULT_RISK_POLICY, listRiskEvents, listRiskRules, riskPolicyOf } from '@/lib/risk';
import { createRiskRuleAction, deleteRiskRuleAction, updateRiskPolicyAction } from './actions';

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
const REASONS = ['pending_per_address', 'pending_per_email', 'stock_share', 'rule'] as const;
const KINDS = ['email', 'email_domain', 'ip', 'cidr', 'email_regex'] as const;

export default async function RiskPage({ searchParams }: { searchParams: Promise<{ cursor?: string }> }) {
  const { db, merchantId } = await requireMerchantPage();
  const { cursor } = await searchParams;
  const [t, format, policy, labels, rules, page] = await Promise.all([
    getTranslations('console.risk'),
    getFormatter(),
    riskPolicyOf(db, merchantId),
    orderLabels(db, merchantId),
    listRiskRules(db, merchantId),
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
          kind: (KINDS as readonly unknown[]).includes(r.detail?.kind) ? t(`rules.kinds.${r.detail!.kind as (typeof KINDS)[number]}`) : '',
          pattern: String(r.detail?.pattern ?? ''),
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
          <h2 className="text-base font-semibold text-zinc-900">{t('rules.title')}</h2>
          <p className="mt-1 mb-4 text-sm text-zinc-500">{t('rules.hint')}</p>
          <RiskRuleForm action={createRiskRuleAction} />
          <div className="mt-5">
            <Table>
              <thead>
                <tr>
                  <Th>{t('rules.kind')}</Th>
                  <Th>{t('rules.pattern')}</Th>
                  <Th>{t('rules.until')}</Th>
                  <Th className="text-right">{t('rules.hits')}</Th>
                  <Th>{t('rules.note')}</Th>
                  <Th className="text-right">
                    <span className="sr-only">{t('rules.actions')}</span>
                  </Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {rules.length === 0 ? <EmptyRow colSpan={6}>{t('rules.empty')}</EmptyRow> : null}
                {rules.map((r) => (
                  <Tr key={r.id} className={r.state === 'expired' ? 'text-zinc-400' : undefined}>
                    <Td>{(KINDS as readonly string[]).includes(r.kind) ? t(`rules.kinds.${r.kind}`) : r.kind}</Td>
                    <Td className="max-w-72 truncate font-mono text-xs" title={r.pattern}>
                      {r.pattern}
                    </Td>
                    <Td className="tabular-nums">
                      {r.expiresAt ? format.dateTime(r.expiresAt, when) : t('rules.durations.always')}
                      {r.state === 'expired' ? <span className="ml-2 text-xs">{t('rules.expired')}</span> : null}
                    </Td>
                    <Td className="text-right tabular-nums">
                      {r.hitCount}
                      {r.lastHitAt ? <span className="block text-xs text-zinc-500">{format.dateTime(r.lastHitAt, when)}</span> : null}
                    </Td>
                    <Td className="max-w-48 truncate text-xs text-zinc-600" title={r.note}>
                      {r.note}
                    </Td>
                    <Td className="text-right">
                      <DeleteRuleButton ruleId={r.id} pattern={r.pattern} action={deleteRiskRuleAction} />
                    </Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          </div>
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
                <Th>
                  <span className="sr-only">{t('log.block')}</span>
                </Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {page.events.length === 0 ? <EmptyRow colSpan={7}>{t('log.empty')}</EmptyRow> : null}
              {page.events.map((e) => (
                <Tr key={e.id}>
                  <Td className="tabular-nums">{format.dateTime(e.createdAt, when)}</Td>
                  <Td>
                    <Badge tone="red">{t(`actions.${e.action === 'block' ? 'block' : 'other'}`)}</Badge>
                    <span className="ml-2 text-xs text-zinc-500">{t(`stages.${e.stage === 'order_create' ? 'order_create' : 'other'}`)}</span>
                  </Td>
                  <Td className="min-w-48 whitespace-normal text-sm">{e.reasons.map(reason).join(';')}</Td>
                  <Td className="font-mono text-xs">{e.address ?? '—'}</Td>
                  <Td className="max-w-40 truncate" title={e.emailNorm ?? undefined}>
                    {e.emailNorm ?? '—'}
                  </Td>
                  <Td className="max-w-32 truncate">
                    {e.productId ? (
                      <Link href={`/console/products/${e.productId}`} className="text-brand-700 hover:underline">
                        {labels.productTitle.get(e.productId) ?? e.productId.slice(0, 8)}
                      </Link>
                    ) : (
                      '—'
                    )}
                  </Td>
                  <Td className="text-right">
                    <details className="group inline-block text-left">
                      <summary className="cursor-pointer list-none rounded-md px-2 py-1 text-xs text-red-700 hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-brand-500">
                        {t('log.block')}
                      </summary>
                      <div className="mt-2 w-max max-w-md rounded-lg bg-white p-3 shadow-lg ring-1 ring-zinc-200">
                        <BlockBuyerForm
                          options={blockOptionsFor({ address: e.address, email: e.emailNorm })}
                          note={t('block.fromLog')}
                          action={createRiskRuleAction}
                        />
                      </div>
                    </details>
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
