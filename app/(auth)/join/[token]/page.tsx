import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { JoinForm } from '@/components/console/agent/join-form';
import { LanguageSwitch } from '@/components/shop/language-switch';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db/client';
import { inviteByToken } from '@/lib/agents';
import { getConfig } from '@/lib/config';
import { joinByInviteAction } from './actions';

// The token is a secret in the URL: not indexed, not sent on as a referrer.
export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.agent.join');
  return { title: t('title'), robots: { index: false, follow: false }, referrer: 'no-referrer' };
}

/** The public page of an invite link: who invites, at which level, and the sign-up form. */
export default async function JoinPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [t, invite] = await Promise.all([getTranslations('console.agent.join'), inviteByToken(getDb(), token)]);
  return (
    <main className="grid min-h-dvh place-items-center bg-zinc-50 px-4 py-10">
      <div className="w-full max-w-md space-y-6">
        <div className="flex items-center justify-between">
          <span className="flex items-center gap-2 font-semibold text-zinc-900">
            <span aria-hidden className="grid size-8 place-items-center rounded-lg bg-brand-600 text-sm text-white">
              O
            </span>
            OpenFaka
          </span>
          <LanguageSwitch />
        </div>
        {invite ? (
          <Card className="space-y-5 p-6">
            <div>
              <p className="text-xs font-medium tracking-wide text-brand-700 uppercase">{t('eyebrow')}</p>
              <h1 className="mt-1 text-lg font-semibold text-zinc-900">{t('heading', { merchant: invite.merchantName })}</h1>
              <p className="mt-1 text-sm text-zinc-500">{invite.inviter ? t('invitedBy', { inviter: invite.inviter }) : t('invitedByMerchant')}</p>
              <div className="mt-3 flex flex-wrap items-center gap-2">
                <Badge tone="blue">{t('level', { name: invite.levelName, rank: invite.rank })}</Badge>
                <Badge tone={invite.autoApprove ? 'green' : 'amber'}>{invite.autoApprove ? t('autoApprove') : t('review')}</Badge>
              </div>
            </div>
            <JoinForm token={token} action={joinByInviteAction} appUrl={getConfig().appUrl} />
          </Card>
        ) : (
          <Card className="space-y-4 p-6">
            <h1 className="text-lg font-semibold text-zinc-900">{t('invalidTitle')}</h1>
            <p className="text-sm text-zinc-600">{t('invalid')}</p>
            <div className="flex flex-wrap gap-2">
              <Link href="/login" className={buttonClass('secondary', undefined, 'sm')}>
                {t('toLogin')}
              </Link>
            </div>
          </Card>
        )}
        <p className="text-center text-sm">
          <Link href="/" className="text-zinc-600 underline-offset-4 hover:underline">
            {t('backToShop')}
          </Link>
        </p>
      </div>
    </main>
  );
}
