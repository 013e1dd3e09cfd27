import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { CreateKeyForm } from '@/components/console/api-keys/create-key-form';
import { ConfirmActionButton } from '@/components/console/confirm-form';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { API_SCOPES, listApiKeys } from '@/lib/auth';
import { createApiKeyAction, revokeApiKeyAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.apiKeys');
  return { title: t('title') };
}

const when = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;

export default async function ApiKeysPage() {
  const { db, merchantId } = await requireMerchantPage();
  const [t, tc, format] = await Promise.all([getTranslations('console.apiKeys'), getTranslations('console.common'), getFormatter()]);
  const keys = await listApiKeys(db, merchantId);
  const active = keys.filter((k) => !k.revokedAt).length;

  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <div className="space-y-6">
        <Card>
          <h2 className="text-base font-semibold text-zinc-900">{t('createTitle')}</h2>
          <p className="mt-1 mb-4 text-sm text-zinc-500">{t('createHint')}</p>
          <CreateKeyForm action={createApiKeyAction} scopes={API_SCOPES} />
        </Card>

        <Card>
          <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
            <h2 className="text-base font-semibold text-zinc-900">{t('listTitle')}</h2>
            {keys.length ? <p className="text-sm text-zinc-500">{t('count', { count: keys.length, active })}</p> : null}
          </div>
          <Table>
            <thead>
              <tr>
                <Th>{t('columns.name')}</Th>
                <Th>{t('columns.prefix')}</Th>
                <Th>{t('columns.scopes')}</Th>
                <Th>{t('columns.created')}</Th>
                <Th>{t('columns.lastUsed')}</Th>
                <Th>{t('columns.status')}</Th>
                <Th className="relative text-right">
                  <span className="sr-only">{tc('table.actions')}</span>
                </Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {keys.length === 0 ? <EmptyRow colSpan={7}>{t('empty')}</EmptyRow> : null}
              {keys.map((k) => (
                <Tr key={k.id} className={k.revokedAt ? 'text-zinc-500' : undefined}>
                  <Td className="max-w-48 truncate font-medium" title={k.name}>
                    {k.name}
                  </Td>
                  <Td>
                    <code className="font-mono text-xs">{k.prefix}</code>
                  </Td>
                  <Td className="min-w-56 whitespace-normal">
                    <div className="flex flex-wrap gap-1">
                      {k.scopes.map((s) => (
                        <span key={s} title={t(`scopes.${s}`)} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[11px] text-zinc-700">
                          {s}
                        </span>
                      ))}
                    </div>
                  </Td>
                  <Td className="tabular-nums">{format.dateTime(new Date(k.createdAt), when)}</Td>
                  <Td className="tabular-nums">
                    {k.lastUsedAt ? format.dateTime(new Date(k.lastUsedAt), when) : <span className="text-zinc-500">{t('never')}</span>}
                  </Td>
                  <Td>
                    {k.revokedAt ? (
                      <Badge tone="red">{t('revokedAt', { when: format.dateTime(new Date(k.revokedAt), when) })}</Badge>
                    ) : (
                      <Badge tone="green">{t('active')}</Badge>
                    )}
                  </Td>
                  <Td className="text-right">
                    {k.revokedAt ? null : (
                      <ConfirmActionButton
                        action={revokeApiKeyAction}
                        fields={{ apiKeyId: k.id }}
                        label={t('revoke')}
                        prompt={t('revokeConfirm', { prefix: k.prefix })}
                        confirmLabel={t('revokeYes')}
                        pendingLabel={t('revoking')}
                      />
                    )}
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </Card>
      </div>
    </>
  );
}
