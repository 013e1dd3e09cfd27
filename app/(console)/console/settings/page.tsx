import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { PasswordForm } from '@/components/console/settings/password-form';
import { SettingsForm } from '@/components/console/settings/settings-form';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { getMerchant, manualQueueHours, minChargeOf, orderExpiryMinutes } from '@/lib/accounts';
import { amountToInput } from '@/lib/money';
import { changePasswordAction, updateSettingsAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.settings');
  return { title: t('title') };
}

export default async function SettingsPage() {
  const { db, merchantId } = await requireMerchantPage();
  const t = await getTranslations('console.settings');
  const merchant = (await getMerchant(db, merchantId))!;
  const s = merchant.settings;
  return (
    <div className="mx-auto max-w-3xl space-y-8">
      <div>
        <PageHeader title={t('title')} description={t('description')} />
        <SettingsForm
          action={updateSettingsAction}
          initial={{
            name: merchant.name,
            notice: s.notice ?? '',
            logoUrl: s.logoUrl ?? '',
            contact: s.contact ?? '',
            contactEmail: s.contactEmail ?? '',
            orderExpiryMinutes: orderExpiryMinutes(merchant),
            manualQueueHours: manualQueueHours(merchant),
            minCharge: amountToInput(minChargeOf(merchant), 'CNY'),
            mailFromName: s.mailFromName ?? '',
          }}
        />
      </div>
      <Card id="password" className="space-y-4">
        <div>
          <h2 className="text-base font-semibold text-zinc-900">{t('password.title')}</h2>
          <p className="mt-1 text-sm text-zinc-500">{t('password.description')}</p>
        </div>
        <PasswordForm action={changePasswordAction} />
      </Card>
    </div>
  );
}
