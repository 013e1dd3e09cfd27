import { getTranslations } from 'next-intl/server';
import type { Agent } from '@/lib/agents';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { PageHeader } from '@/components/ui/page-header';

const tones = { active: 'green', pending: 'amber', rejected: 'red', suspended: 'red' } as const;

export async function AgentStatusBadge({ status }: { status: Agent['status'] }) {
  const t = await getTranslations('console.agent');
  return <Badge tone={tones[status]}>{t(`status.${status}`)}</Badge>;
}

/** Why the shop is not selling: an application under review, a rejection with its reason, a suspension. */
export async function AgentStatusAlert({ agent }: { agent: Pick<Agent, 'status' | 'reviewReason'> }) {
  const t = await getTranslations('console.agent');
  if (agent.status === 'active') return null;
  if (agent.status === 'pending') {
    return (
      <Alert tone="info">
        <p className="font-medium">{t('statusHint.pendingTitle')}</p>
        <p className="mt-0.5">{t('statusHint.pending')}</p>
      </Alert>
    );
  }
  if (agent.status === 'rejected') {
    return (
      <Alert tone="error">
        <p className="font-medium">{t('statusHint.rejectedTitle')}</p>
        <p className="mt-0.5">{agent.reviewReason ? t('statusHint.rejectedReason', { reason: agent.reviewReason }) : t('statusHint.rejected')}</p>
      </Alert>
    );
  }
  return <Alert tone="warning">{t('statusHint.suspended')}</Alert>;
}

/** A login that is not linked to an agent of its merchant. */
export async function AgentMissing({ title }: { title: string }) {
  const t = await getTranslations('console.agent');
  return (
    <>
      <PageHeader title={title} />
      <Alert tone="warning">{t('missing')}</Alert>
    </>
  );
}
