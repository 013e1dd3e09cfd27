import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { requirePage } from '@/app/(console)/guard';
import { PasswordForm } from '@/components/console/settings/password-form';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { changePasswordAction } from '../actions';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.settings.password');
  return { title: t('title') };
}

/** The password change on its own, for every role (agents and admins have no shop settings). */
export default async function PasswordPage() {
  await requirePage('admin', 'merchant', 'agent');
  const t = await getTranslations('console.settings.password');
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader title={t('title')} description={t('description')} />
      <Card>
        <PasswordForm action={changePasswordAction} />
      </Card>
    </div>
  );
}
