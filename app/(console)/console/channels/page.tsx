import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { ChannelToggle } from '@/components/console/channels/channel-toggle';
import { Reconciliation } from '@/components/console/channels/reconciliation';
import { limitsLabel, percentInput } from '@/components/console/channels/format';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { PageHeader } from '@/components/ui/page-header';
import { mismatchReport } from '@/lib/orders';
import { listMerchantChannels, rolloutFigures, type ChannelSummary } from '@/lib/payments';
import { setChannelEnabledAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.channels');
  return { title: t('title') };
}

export default async function ChannelsPage() {
  const { db, merchantId } = await requireMerchantPage();
  const t = await getTranslations('console.channels');
  const common = await getTranslations('console.common');
  const locale = await getLocale();
  const [channels, rollouts, reconciliation] = await Promise.all([
    listMerchantChannels(db, merchantId),
    rolloutFigures(db, merchantId),
    mismatchReport(db, merchantId),
  ]);

  const status = (c: ChannelSummary) => (
    <span className="inline-flex flex-wrap gap-1">
      {!c.enabled ? (
        <Badge>{t('status.disabled')}</Badge>
      ) : c.usable ? (
        <Badge tone="green">{t('status.enabled')}</Badge>
      ) : (
        <Badge tone="amber">{t('status.unusable')}</Badge>
      )}
      {c.health && c.health.state !== 'closed' ? <Badge tone={c.health.state === 'open' ? 'red' : 'amber'}>{t(`health.${c.health.state}`)}</Badge> : null}
      {c.warnings.map((w) => (
        <Badge key={w} tone="amber">
          {t(`warningBadges.${w}` as 'warningBadges.weak_key')}
        </Badge>
      ))}
    </span>
  );
  // Provider calls of the last hour (payment creations, queries, refunds): what the breaker counts.
  const calls = (c: ChannelSummary) => {
    const r = c.health?.recent;
    const rate = !r || r.ok + r.fail === 0 ? t('health.noCalls') : t('health.rate', { rate: Math.round((100 * r.ok) / (r.ok + r.fail)), calls: r.ok + r.fail });
    // A channel in rollout: its created and paid payments beside its method's others.
    const f = rollouts.find((x) => x.channelId === c.id);
    if (!f) return rate;
    return (
      <>
        {rate}
        <span className="mt-1 block max-w-64 whitespace-normal text-zinc-500">
          {t('rollout.figures', { created: f.created, paid: f.paid, othersCreated: f.others.created, othersPaid: f.others.paid })}
        </span>
      </>
    );
  };
  const limits = (c: ChannelSummary) => limitsLabel(c.minAmount, c.maxAmount, locale, (k, v) => t(k, v));
  const fee = (c: ChannelSummary) => (c.feeBps ? `${percentInput(c.feeBps)}%` : t('feeNone'));
  const actions = (c: ChannelSummary) => (
    <div className="flex items-center justify-end gap-2">
      <ChannelToggle enabled={c.enabled} action={setChannelEnabledAction.bind(null, c.id, !c.enabled)} />
      <Link href={`/console/channels/${c.id}`} className={buttonClass('secondary', undefined, 'sm')}>
        {t('actions.edit')}
      </Link>
    </div>
  );

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          <Link href="/console/channels/new" className={buttonClass('primary')}>
            {t('add')}
          </Link>
        }
      />

      {/* Phones: one card per channel. */}
      <ul className="space-y-3 md:hidden">
        {channels.length === 0 ? <li className="rounded-2xl bg-white p-6 text-center text-sm text-zinc-500 ring-1 ring-zinc-200">{t('empty')}</li> : null}
        {channels.map((c) => (
          <li key={c.id}>
            <Card className="space-y-3 p-4">
              <div className="flex items-start justify-between gap-3">
                <div className="min-w-0">
                  <p className="truncate font-medium text-zinc-900">{c.name}</p>
                  <p className="text-xs text-zinc-500">
                    {t(`kinds.${c.kind}` as 'kinds.epay')} · {t(`methods.${c.method}`)}
                  </p>
                </div>
                {status(c)}
              </div>
              <dl className="grid grid-cols-[auto_auto_1fr] gap-x-6 gap-y-1 text-xs">
                <dt className="text-zinc-500">{t('columns.priority')}</dt>
                <dt className="text-zinc-500">{t('columns.fee')}</dt>
                <dt className="text-zinc-500">{t('columns.limits')}</dt>
                <dd className="font-medium text-zinc-800 tabular-nums">{c.priority}</dd>
                <dd className="font-medium text-zinc-800 tabular-nums">{fee(c)}</dd>
                <dd className="font-medium text-zinc-800 tabular-nums">{limits(c)}</dd>
              </dl>
              <div className="border-t border-zinc-100 pt-3">{actions(c)}</div>
            </Card>
          </li>
        ))}
      </ul>

      <Card className="hidden p-0 md:block">
        <Table>
          <thead>
            <tr>
              <Th className="pl-5">{t('columns.name')}</Th>
              <Th>{t('columns.kind')}</Th>
              <Th>{t('columns.method')}</Th>
              <Th>{t('columns.status')}</Th>
              <Th>{t('columns.health')}</Th>
              <Th className="text-right">{t('columns.priority')}</Th>
              <Th>{t('columns.limits')}</Th>
              <Th className="text-right">{t('columns.fee')}</Th>
              <Th className="pr-5 text-right">{common('table.actions')}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {channels.length === 0 ? <EmptyRow colSpan={9}>{t('empty')}</EmptyRow> : null}
            {channels.map((c) => (
              <Tr key={c.id}>
                <Td className="max-w-56 truncate pl-5 font-medium text-zinc-900">{c.name}</Td>
                <Td className="text-zinc-600">{t(`kinds.${c.kind}` as 'kinds.epay')}</Td>
                <Td className="text-zinc-600">{t(`methods.${c.method}`)}</Td>
                <Td>{status(c)}</Td>
                <Td className="text-xs text-zinc-600 tabular-nums">{calls(c)}</Td>
                <Td className="text-right tabular-nums">{c.priority}</Td>
                <Td className="tabular-nums">{limits(c)}</Td>
                <Td className="text-right tabular-nums">{fee(c)}</Td>
                <Td className="pr-5">{actions(c)}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      </Card>

      <div className="mt-6">
        <Reconciliation {...reconciliation} />
      </div>
    </>
  );
}
