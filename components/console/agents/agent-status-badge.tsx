import { useTranslations } from 'next-intl';
import type { AgentListItem } from '@/lib/agents';
import { Badge } from '@/components/ui/badge';
import { agentStatusTone } from './format';

/** Active, suspended, applied (pending) or rejected, as a badge. */
export function AgentStatusBadge({ status }: { status: AgentListItem['status'] }) {
  const t = useTranslations('console.agents.status');
  return <Badge tone={agentStatusTone[status]}>{t(status)}</Badge>;
}
