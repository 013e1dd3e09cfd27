import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { ChannelForm } from '@/components/console/channels/channel-form';
import { PageHeader } from '@/components/ui/page-header';
import { channelKinds, driverInfo, listMerchantChannels } from '@/lib/payments';
import { createChannelAction } from '../actions';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.channels');
  return { title: t('addTitle') };
}

export default async function NewChannelPage() {
  const { db, merchantId } = await requireMerchantPage();
  const t = await getTranslations('console.channels');
  // Each shop starts with one demo channel; it is offered again only if it is gone.
  const hasDemo = (await listMerchantChannels(db, merchantId)).some((c) => c.kind === 'demo');
  const kinds = channelKinds.filter((k) => k !== 'demo' || !hasDemo).sort((a, b) => (a === 'epay' ? -1 : b === 'epay' ? 1 : 0));
  return (
    <div className="mx-auto max-w-3xl">
      <Link href="/console/channels" className="mb-3 inline-block text-sm text-zinc-600 hover:text-zinc-900">
        ← {t('backToList')}
      </Link>
      <PageHeader title={t('addTitle')} />
      <ChannelForm mode="create" action={createChannelAction} kinds={kinds} drivers={kinds.map(driverInfo)} />
    </div>
  );
}
