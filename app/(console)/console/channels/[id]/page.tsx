import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { ChannelForm } from '@/components/console/channels/channel-form';
import { ChannelTest } from '@/components/console/channels/channel-test';
import { percentInput, yuanInput } from '@/components/console/channels/format';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { isAppError } from '@/lib/errors';
import { driverInfo, getMerchantChannel } from '@/lib/payments';
import { testChannelAction, updateChannelAction } from '../actions';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.channels');
  return { title: t('editTitle') };
}

export default async function EditChannelPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ created?: string }> }) {
  const { db, merchantId } = await requireMerchantPage();
  const { id } = await params;
  const { created } = await searchParams;
  const t = await getTranslations('console.channels');
  const channel = await getMerchantChannel(db, merchantId, id).catch((err: unknown) => {
    if (isAppError(err) && err.code === 'not_found') notFound();
    throw err;
  });
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <Link href="/console/channels" className="mb-3 inline-block text-sm text-zinc-600 hover:text-zinc-900">
          ← {t('backToList')}
        </Link>
        <PageHeader title={t('editTitle')} description={`${channel.name} · ${t(`kinds.${channel.kind}` as 'kinds.epay')}`} />
      </div>
      {channel.health && channel.health.state !== 'closed' ? (
        <Alert tone={channel.health.state === 'open' ? 'error' : 'warning'}>
          {t(`health.explain.${channel.health.state}`, { cooldown: channel.health.cooldownS })}
        </Alert>
      ) : null}
      {channel.warnings.map((w) => (
        <Alert key={w} tone="warning">
          {t(`warnings.${w}` as 'warnings.weak_key')}
        </Alert>
      ))}
      <ChannelForm
        mode="edit"
        action={updateChannelAction.bind(null, channel.id)}
        drivers={[driverInfo(channel.kind)]}
        notice={created ? t('form.created') : undefined}
        initial={{
          kind: channel.kind,
          name: channel.name,
          enabled: channel.enabled,
          priority: channel.priority,
          minAmount: yuanInput(channel.minAmount),
          maxAmount: yuanInput(channel.maxAmount),
          fee: percentInput(channel.feeBps),
          rolloutPercent: channel.rolloutPercent,
          config: channel.config,
        }}
      />
      {channel.testable ? (
        <Card className="space-y-3">
          <div>
            <h2 className="text-base font-semibold text-zinc-900">{t('test.title')}</h2>
            <p className="mt-1 text-sm text-zinc-500">{t(`test.description.${channel.kind}` as 'test.description.epay')}</p>
            <p className="mt-1 text-xs text-zinc-500">{t('test.saveFirst')}</p>
          </div>
          <ChannelTest action={testChannelAction.bind(null, channel.id)} />
        </Card>
      ) : null}
    </div>
  );
}
