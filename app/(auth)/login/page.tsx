import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { currentUser } from '@/app/(console)/guard';
import { SignInForm } from '@/components/console/sign-in-form';
import { LanguageSwitch } from '@/components/shop/language-switch';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.auth');
  return { title: t('title'), robots: { index: false } };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string; signedOut?: string }> }) {
  const { next, signedOut } = await searchParams;
  if (await currentUser()) redirect('/console');
  const t = await getTranslations('console.auth');
  return (
    <main className="grid min-h-dvh place-items-center bg-zinc-50 px-4 py-10">
      <div className="w-full max-w-sm space-y-6">
        <div className="flex items-center justify-between">
          <span className="flex items-center gap-2 font-semibold text-zinc-900">
            <span aria-hidden className="grid size-8 place-items-center rounded-lg bg-brand-600 text-sm text-white">
              O
            </span>
            OpenFaka
          </span>
          <LanguageSwitch />
        </div>
        <Card className="space-y-5 p-6">
          <div>
            <h1 className="text-lg font-semibold text-zinc-900">{t('title')}</h1>
            <p className="mt-1 text-sm text-zinc-500">{t('subtitle')}</p>
          </div>
          {signedOut ? <Alert tone="success">{t(signedOut === 'password' ? 'passwordChanged' : 'signedOut')}</Alert> : null}
          <SignInForm next={next} />
        </Card>
        <p className="text-center text-sm">
          <Link href="/" className="text-zinc-600 underline-offset-4 hover:underline">
            {t('backToShop')}
          </Link>
        </p>
      </div>
    </main>
  );
}
