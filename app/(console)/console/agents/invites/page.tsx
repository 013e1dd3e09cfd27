import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getNow, getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { inviteState, levelLabel } from '@/components/console/agents/format';
import { InviteForm } from '@/components/console/agents/invite-form';
import { ConfirmActionButton } from '@/components/console/confirm-form';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { listInvites, listLevels } from '@/lib/agents';
import { BUSINESS_TIME_ZONE } from '@/lib/i18n';
import { revokeInviteAction } from '../actions';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.agents');
  return { title: `${t('tabs.invites')} · ${t('title')}` };
}

const when = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: BUSINESS_TIME_ZONE } as const;
const day = { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: BUSINESS_TIME_ZONE } as const;

const stateTone = { active: 'green', revoked: 'neutral', expired: 'amber', used: 'blue' } as const;

export default async function InvitesPage() {
  const { db, merchantId } = await requireMerchantPage();
  const [t, format, now, levels, invites] = await Promise.all([
    getTranslations('console.agents'),
    getFormatter(),
    getNow(),
    listLevels(db, merchantId),
    listInvites(db, { merchantId }),
  ]);
  const names = new Map(levels.map((l) => [l.rank, l.name]));
  // Today in the business time zone, the earliest expiry the date field offers.
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: BUSINESS_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);

  return (
    <div className="space-y-6">
      <Card>
        <h2 className="text-base font-semibold text-zinc-900">{t('invites.newTitle')}</h2>
        <p className="mb-4 mt-1 max-w-3xl text-sm text-zinc-500">{t('invites.newHint')}</p>
        {levels.length === 0 ? (
          <Alert tone="info">
            {t('invites.noLevels')}{' '}
            <Link href="/console/agents/levels" className="font-medium underline">
              {t('invites.setUpLevels')}
            </Link>
          </Alert>
        ) : (
          <InviteForm today={today} levels={levels.map((l) => ({ value: String(l.rank), label: levelLabel(l.rank, l.name) }))} />
        )}
      </Card>

      <Card>
        <h2 className="text-base font-semibold text-zinc-900">{t('invites.listTitle')}</h2>
        <p className="mb-3 mt-1 text-sm text-zinc-500">{t('invites.listHint')}</p>
        <Table>
          <thead>
            <tr>
              <Th>{t('invites.level')}</Th>
              <Th className="text-right">{t('invites.uses')}</Th>
              <Th>{t('invites.expires')}</Th>
              <Th>{t('invites.approval')}</Th>
              <Th>{t('invites.issuer')}</Th>
              <Th>{t('invites.createdAt')}</Th>
              <Th>{t('invites.state')}</Th>
              <Th className="text-right">
                <span className="sr-only">{t('invites.actions')}</span>
              </Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {invites.length === 0 ? <EmptyRow colSpan={8}>{t('invites.empty')}</EmptyRow> : null}
            {invites.map((i) => {
              const state = inviteState(i, now.getTime());
              return (
                <Tr key={i.id}>
                  <Td className="font-medium">{levelLabel(i.rank, names.get(i.rank))}</Td>
                  <Td className="text-right tabular-nums">
                    {i.usedCount} / {i.maxUses ?? '∞'}
                  </Td>
                  <Td className="tabular-nums">{i.expiresAt ? format.dateTime(new Date(i.expiresAt.getTime() - 1), day) : t('invites.never')}</Td>
                  <Td>{i.autoApprove ? <Badge tone="blue">{t('invites.auto')}</Badge> : <span className="text-zinc-600">{t('invites.review')}</span>}</Td>
                  <Td>{i.issuer ?? <span className="text-zinc-500">{t('invites.merchant')}</span>}</Td>
                  <Td className="tabular-nums text-zinc-600">{format.dateTime(i.createdAt, when)}</Td>
                  <Td>
                    <Badge tone={stateTone[state]}>{t(`invites.states.${state}`)}</Badge>
                    {i.revokedAt ? <span className="block text-xs text-zinc-500 tabular-nums">{format.dateTime(i.revokedAt, when)}</span> : null}
                  </Td>
                  <Td className="text-right">
                    {i.revokedAt ? null : (
                      <ConfirmActionButton
                        action={revokeInviteAction}
                        fields={{ inviteId: i.id }}
                        label={t('invites.revoke')}
                        prompt={t('invites.revokeConfirm')}
                        confirmLabel={t('invites.revokeYes')}
                        pendingLabel={t('invites.revoking')}
                      />
                    )}
                  </Td>
                </Tr>
              );
            })}
          </tbody>
        </Table>
      </Card>
    </div>
  );
}
