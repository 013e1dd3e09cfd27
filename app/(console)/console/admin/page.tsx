import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { CreateMerchantForm } from '@/components/console/admin/create-merchant-form';
import { MerchantActions } from '@/components/console/admin/merchant-actions';
import { RiskRuleForm } from '@/components/console/risk/rule-form';
import { RiskRulesTable } from '@/components/console/risk/rules-table';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { getDefaultMerchant, listMerchants } from '@/lib/accounts';
import { AppError } from '@/lib/errors';
import { listPlatformRiskRules } from '@/lib/risk';
import { createPlatformRuleAction, deletePlatformRuleAction } from './actions';
import { requirePage } from '../../guard';
import { KeysetPager } from '@/components/ui/keyset-pager';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.admin');
  return { title: t('title') };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AdminPage({ searchParams }: { searchParams: SearchParams }) {
  const { db } = await requirePage('admin');
  const [t, tc, format] = await Promise.all([getTranslations('console.admin'), getTranslations('console.common'), getFormatter()]);
  const raw = (await searchParams).cursor;
  const cursor = (Array.isArray(raw) ? raw[0] : raw) ?? null;
  const [page, home, platformRules] = await Promise.all([
    listMerchants(db, { limit: 50, cursor }).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'validation_failed') redirect('/console/admin');
      throw err;
    }),
    getDefaultMerchant(db),
    listPlatformRiskRules(db),
  ]);
  // getDefaultMerchant answers null for a suspended home shop too: the home page sells nothing then.
  const homeListed = page.merchants.find((m) => m.isDefault);

  return (
    <div className="space-y-6">
      <PageHeader title={t('title')} description={t('description')} />

      <Card>
        <h2 className="text-base font-semibold text-zinc-900">{t('create.title')}</h2>
        <p className="mb-4 mt-1 text-sm text-zinc-500">{t('create.description')}</p>
        <CreateMerchantForm />
      </Card>

      <Card>
        <h2 className="mb-3 text-base font-semibold text-zinc-900">{t('list.title')}</h2>
        {!home && !cursor ? (
          <Alert tone="warning" className="mb-4">
            {homeListed?.status === 'suspended' ? t('list.suspendedDefault') : t('list.noDefault')}
          </Alert>
        ) : null}
        <Table>
          <thead>
            <tr>
              <Th>{t('list.name')}</Th>
              <Th>{t('list.owner')}</Th>
              <Th>{t('list.status')}</Th>
              <Th className="text-right">{t('list.products')}</Th>
              <Th className="text-right">{t('list.orders')}</Th>
              <Th>{t('list.created')}</Th>
              <Th className="text-right">{tc('table.actions')}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {page.merchants.length === 0 ? (
              <EmptyRow colSpan={7}>{t('list.empty')}</EmptyRow>
            ) : (
              page.merchants.map((m) => (
                <Tr key={m.id}>
                  <Td>
                    <div className="flex items-center gap-2">
                      <span className="font-medium text-zinc-900">{m.name}</span>
                      {m.isDefault ? <Badge tone="blue">{t('list.default')}</Badge> : null}
                    </div>
                    <div className="font-mono text-xs text-zinc-500">{m.slug}</div>
                  </Td>
                  <Td className="text-zinc-600">{m.ownerEmail ?? '—'}</Td>
                  <Td>
                    <Badge tone={m.status === 'active' ? 'green' : 'red'}>{t(`list.statuses.${m.status}`)}</Badge>
                  </Td>
                  <Td className="text-right tabular-nums">{format.number(m.products)}</Td>
                  <Td className="text-right tabular-nums">{format.number(m.orders)}</Td>
                  <Td className="tabular-nums text-zinc-600">{format.dateTime(new Date(m.createdAt), { dateStyle: 'medium' })}</Td>
                  <Td className="text-right">
                    <MerchantActions merchantId={m.id} name={m.name} status={m.status} isDefault={m.isDefault} />
                  </Td>
                </Tr>
              ))
            )}
          </tbody>
        </Table>
        <KeysetPager
          firstHref={cursor ? '/console/admin' : null}
          nextHref={page.nextCursor ? `/console/admin?cursor=${encodeURIComponent(page.nextCursor)}` : null}
          firstLabel={t('list.first')}
          nextLabel={t('list.next')}
        />
      </Card>

      <Card>
        <h2 className="text-base font-semibold text-zinc-900">{t('riskRules.title')}</h2>
        <p className="mb-4 mt-1 text-sm text-zinc-500">{t('riskRules.description')}</p>
        <RiskRuleForm action={createPlatformRuleAction} />
        <div className="mt-5">
          <RiskRulesTable rules={platformRules} remove={deletePlatformRuleAction} removable={() => true} />
        </div>
      </Card>
    </div>
  );
}
