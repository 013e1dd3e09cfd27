import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { BlockBuyerForm } from '@/components/console/risk/block-buyer-form';
import { RiskPolicyForm } from '@/components/console/risk/policy-form';
import { reasonText, RISK_ACTION_TONES, RISK_TIME_FORMAT as when } from '@/components/console/risk/reason-text';
import { RiskRulesTransfer } from '@/components/console/risk/import-form';
import { RiskRuleForm } from '@/components/console/risk/rule-form';
import { RiskRulesTable } from '@/components/console/risk/rules-table';
import { RiskTestBox } from '@/components/console/risk/test-box';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Input, Select } from '@/components/ui/field';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import type { RiskReason } from '@/lib/risk';
import { isAppError } from '@/lib/errors';
import { orderLabels } from '@/lib/orders';
import { blockOptionsFor, DEFAULT_RISK_POLICY, listRiskEvents, listRiskRules, RISK_ACTIONS, RISK_STAGES, riskPolicyOf } from '@/lib/risk';
import { createRiskRuleAction, deleteRiskRuleAction, importRiskRulesAction, testRiskAction, updateRiskPolicyAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.risk');
  return { title: t('title') };
}

const pick = <T extends string>(value: string | undefined, allowed: readonly T[]): T | null =>
  (allowed as readonly string[]).includes(value ?? '') ? (value as T) : null;

type Search = { cursor?: string; stage?: string; action?: string; buyer?: string };

export default async function RiskPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { db, merchantId } = await requireMerchantPage();
  const search = await searchParams;
  const cursor = search.cursor;
  const filter = { stage: pick(search.stage, RISK_STAGES), action: pick(search.action, RISK_ACTIONS), buyer: search.buyer?.trim().slice(0, 254) || null };
  const filtered = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => !!e[1]));
  const pageHref = (extra: Record<string, string>) => {
    const q = new URLSearchParams(filtered);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    const text = q.toString();
    return text ? `/console/risk?${text}` : '/console/risk';
  };
  const [t, format, policy, labels, rules, page] = await Promise.all([
    getTranslations('console.risk'),
    getFormatter(),
    riskPolicyOf(db, merchantId),
    orderLabels(db, merchantId),
    listRiskRules(db, merchantId, { platform: true }),
    listRiskEvents(db, merchantId, { cursor: cursor || null, limit: 50, ...filter }).catch((e: unknown) => {
      if (isAppError(e)) return listRiskEvents(db, merchantId, { limit: 50, ...filter });
      throw e;
    }),
  ]);
  const reason = (r: RiskReason) => reasonText(t as never, r);

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
          <h2 className="text-base font-semibold text-zinc-900">{t('test.title')}</h2>
          <p className="mt-1 mb-4 text-sm text-zinc-500">{t('test.hint')}</p>
          <RiskTestBox action={testRiskAction} />
        </Card>

        <Card>
          <h2 className="text-base font-semibold text-zinc-900">{t('rules.title')}</h2>
          <p className="mt-1 mb-4 text-sm text-zinc-500">{t('rules.hint')}</p>
          <RiskRuleForm action={createRiskRuleAction} />
          <div className="mt-4 border-t border-zinc-100 pt-4">
            <RiskRulesTransfer action={importRiskRulesAction} />
          </div>
          <div className="mt-5">
            <RiskRulesTable rules={rules} remove={deleteRiskRuleAction} removable={(r) => r.merchantId !== null} />
          </div>
        </Card>

        <Card>
          <h2 className="text-base font-semibold text-zinc-900">{t('log.title')}</h2>
          <p className="mt-1 mb-3 text-sm text-zinc-500">{t('log.hint')}</p>
          <form method="get" action="/console/risk" className="mb-4 flex flex-wrap items-end gap-3" role="search" aria-label={t('log.filter')}>
            <label className="grid gap-1 text-xs font-medium text-zinc-600">
              {t('log.stage')}
              <Select name="stage" defaultValue={filter.stage ?? ''} className="w-36 py-1.5 text-sm">
                <option value="">{t('log.all')}</option>
                {RISK_STAGES.map((st) => (
                  <option key={st} value={st}>
                    {t(`stages.${st}`)}
                  </option>
                ))}
              </Select>
            </label>
            <label className="grid gap-1 text-xs font-medium text-zinc-600">
              {t('log.decision')}
              <Select name="action" defaultValue={filter.action ?? ''} className="w-32 py-1.5 text-sm">
                <option value="">{t('log.all')}</option>
                {RISK_ACTIONS.map((a) => (
                  <option key={a} value={a}>
                    {t(`actions.${a}`)}
                  </option>
                ))}
              </Select>
            </label>
            <label className="grid min-w-56 flex-1 gap-1 text-xs font-medium text-zinc-600">
              {t('log.buyer')}
              <Input name="buyer" defaultValue={filter.buyer ?? ''} placeholder={t('log.buyerPlaceholder')} className="py-1.5 text-sm" />
            </label>
            <Button type="submit" variant="secondary" className="py-1.5">
              {t('log.apply')}
            </Button>
            {filtered.size > 0 ? (
              <Link href="/console/risk" className="py-2 text-sm text-zinc-500 hover:text-zinc-800 hover:underline">
                {t('log.clear')}
              </Link>
            ) : null}
          </form>
          <Table>
            <thead>
              <tr>
                <Th>{t('log.time')}</Th>
                <Th>{t('log.decision')}</Th>
                <Th className="text-right">{t('log.score')}</Th>
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
              {page.events.length === 0 ? <EmptyRow colSpan={8}>{filtered.size > 0 ? t('log.noMatch') : t('log.empty')}</EmptyRow> : null}
              {page.events.map((e) => (
                <Tr key={e.id}>
                  <Td className="tabular-nums">{format.dateTime(e.createdAt, when)}</Td>
                  <Td>
                    {(() => {
                      const action = pick(e.action, RISK_ACTIONS);
                      const stage = pick(e.stage, RISK_STAGES);
                      return (
                        <>
                          <Badge tone={action ? RISK_ACTION_TONES[action] : 'neutral'}>{t(`actions.${action ?? 'other'}`)}</Badge>
                          <span className="ml-2 text-xs text-zinc-500">{t(`stages.${stage ?? 'other'}`)}</span>
                        </>
                      );
                    })()}
                    {e.orderNo ? (
                      <Link href={`/console/orders/${e.orderNo}`} className="mt-0.5 block font-mono text-xs text-brand-700 hover:underline">
                        {e.orderNo}
                      </Link>
                    ) : null}
                  </Td>
                  <Td className="text-right tabular-nums">{e.score}</Td>
                  <Td className="min-w-48 whitespace-normal text-sm">
                    {e.reasons.length ? e.reasons.map(reason).join(';') : <span className="text-zinc-500">{t('log.sampled')}</span>}
                  </Td>
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
            firstHref={cursor ? pageHref({}) : null}
            nextHref={page.nextCursor ? pageHref({ cursor: page.nextCursor }) : null}
            firstLabel={t('log.first')}
            nextLabel={t('log.next')}
          />
        </Card>
      </div>
    </>
  );
}
