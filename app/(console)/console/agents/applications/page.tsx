import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { levelLabel } from '@/components/console/agents/format';
import { ReviewApplication } from '@/components/console/agents/review-application';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { listAgents, listLevels } from '@/lib/agents';
import { BUSINESS_TIME_ZONE } from '@/lib/i18n';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.agents');
  return { title: `${t('tabs.applications')} · ${t('title')}` };
}

const when = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: BUSINESS_TIME_ZONE } as const;

export default async function ApplicationsPage() {
  const { db, merchantId } = await requireMerchantPage();
  const [t, format, levels, pending, rejected] = await Promise.all([
    getTranslations('console.agents'),
    getFormatter(),
    listLevels(db, merchantId),
    listAgents(db, merchantId, { status: 'pending' }),
    listAgents(db, merchantId, { status: 'rejected' }),
  ]);
  const options = levels.map((l) => ({ value: String(l.rank), label: levelLabel(l.rank, l.name) }));
  // Oldest first: the applicant who has waited longest is reviewed first.
  const queue = [...pending].reverse();

  return (
    <div className="space-y-6">
      <section aria-labelledby="apps-title" className="space-y-3">
        <div>
          <h2 id="apps-title" className="text-base font-semibold text-zinc-900">
            {t('applications.title')}
          </h2>
          <p className="mt-1 text-sm text-zinc-500">{t('applications.hint')}</p>
        </div>
        {queue.length === 0 ? (
          <Card className="py-10 text-center text-sm text-zinc-500">{t('applications.empty')}</Card>
        ) : (
          <ul className="space-y-3">
            {queue.map((a) => (
              <li key={a.id}>
                <Card>
                  <div className="flex flex-wrap items-start justify-between gap-2">
                    <div className="min-w-0">
                      <h3 className="text-base font-semibold text-zinc-900">{a.name}</h3>
                      <p className="mt-0.5 text-xs text-zinc-500">{t('applications.appliedAt', { when: format.dateTime(a.createdAt, when) })}</p>
                    </div>
                    <Badge tone="blue">{t('applications.requestedLevel', { level: levelLabel(a.level, a.levelName) })}</Badge>
                  </div>
                  <dl className="mt-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
                    <dt className="text-zinc-500">{t('columns.shop')}</dt>
                    <dd className="font-mono text-zinc-800">/a/{a.slug}</dd>
                    <dt className="text-zinc-500">{t('columns.contact')}</dt>
                    <dd className="break-words text-zinc-800">{a.contact || '—'}</dd>
                    <dt className="text-zinc-500">{t('columns.email')}</dt>
                    <dd className="break-all text-zinc-800">{a.email ?? '—'}</dd>
                    <dt className="text-zinc-500">{t('applications.invitedBy')}</dt>
                    <dd className="text-zinc-800">{a.parentName ?? t('applications.merchantInvite')}</dd>
                    <dt className="text-zinc-500">{t('applications.note')}</dt>
                    <dd className="whitespace-pre-wrap break-words text-zinc-800">
                      {a.applicationNote || <span className="text-zinc-400">{t('applications.noNote')}</span>}
                    </dd>
                  </dl>
                  <div className="mt-4 border-t border-zinc-100 pt-4">
                    <ReviewApplication agentId={a.id} name={a.name} rank={a.level} levels={options} parentName={a.parentName} />
                  </div>
                </Card>
              </li>
            ))}
          </ul>
        )}
      </section>

      <Card>
        <h2 className="text-base font-semibold text-zinc-900">{t('applications.rejectedTitle')}</h2>
        <p className="mb-3 mt-1 text-sm text-zinc-500">{t('applications.rejectedHint')}</p>
        <Table>
          <thead>
            <tr>
              <Th>{t('columns.agent')}</Th>
              <Th>{t('columns.shop')}</Th>
              <Th>{t('columns.contact')}</Th>
              <Th>{t('applications.reason')}</Th>
              <Th>{t('applications.applied')}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {rejected.length === 0 ? <EmptyRow colSpan={5}>{t('applications.rejectedEmpty')}</EmptyRow> : null}
            {rejected.slice(0, 50).map((a) => (
              <Tr key={a.id}>
                <Td className="font-medium">
                  {a.name}
                  {a.email ? <span className="block text-xs font-normal text-zinc-500">{a.email}</span> : null}
                </Td>
                <Td className="font-mono text-xs">/a/{a.slug}</Td>
                <Td className="max-w-48 truncate">{a.contact || '—'}</Td>
                <Td className="max-w-72 whitespace-normal text-zinc-600">{a.reviewReason || '—'}</Td>
                <Td className="tabular-nums text-zinc-600">{format.dateTime(a.createdAt, when)}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      </Card>
    </div>
  );
}
