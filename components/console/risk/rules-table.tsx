import { getFormatter, getTranslations } from 'next-intl/server';
import type { FormState } from '@/app/(console)/action';
import { Badge } from '@/components/ui/badge';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import type { ListedRule } from '@/lib/risk';
import { RISK_RULE_KINDS } from '@/lib/risk/client';
import { DeleteRuleButton } from './delete-rule-button';
import { RISK_TIME_FORMAT as when } from './reason-text';

const tone = { block: 'red', challenge: 'amber', review: 'blue' } as const;

/**
 * A list of risk rules with their action, expiry, hits and note; `remove` deletes the rules
 * `removable` allows (a merchant its own; the admin the platform's). Platform rules in a
 * merchant's list are marked and read-only.
 */
export async function RiskRulesTable({
  rules,
  remove,
  removable,
}: {
  rules: ListedRule[];
  remove: (s: FormState, f: FormData) => Promise<FormState>;
  removable: (r: ListedRule) => boolean;
}) {
  const [t, format] = await Promise.all([getTranslations('console.risk'), getFormatter()]);
  return (
    <Table>
      <thead>
        <tr>
          <Th>{t('rules.kind')}</Th>
          <Th>{t('rules.pattern')}</Th>
          <Th>{t('rules.action')}</Th>
          <Th>{t('rules.until')}</Th>
          <Th className="text-right">{t('rules.hits')}</Th>
          <Th>{t('rules.note')}</Th>
          <Th className="text-right">
            <span className="sr-only">{t('rules.actions')}</span>
          </Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100">
        {rules.length === 0 ? <EmptyRow colSpan={7}>{t('rules.empty')}</EmptyRow> : null}
        {rules.map((r) => {
          const action = r.action === 'challenge' || r.action === 'review' ? r.action : 'block';
          return (
            <Tr key={r.id} className={r.state === 'expired' ? 'text-zinc-400' : undefined}>
              <Td>{(RISK_RULE_KINDS as readonly string[]).includes(r.kind) ? t(`rules.kinds.${r.kind}`) : r.kind}</Td>
              <Td className="max-w-72 truncate font-mono text-xs" title={r.pattern}>
                {r.pattern}
              </Td>
              <Td>
                <Badge tone={tone[action]}>{t(`rules.ruleActions.${action}`)}</Badge>
              </Td>
              <Td className="tabular-nums">
                {r.expiresAt ? format.dateTime(r.expiresAt, when) : t('rules.durations.always')}
                {r.state === 'expired' ? <span className="ml-2 text-xs">{t('rules.expired')}</span> : null}
              </Td>
              <Td className="text-right tabular-nums">
                {r.source === 'platform' && !removable(r) ? '—' : r.hitCount}
                {r.lastHitAt ? <span className="block text-xs text-zinc-500">{format.dateTime(r.lastHitAt, when)}</span> : null}
              </Td>
              <Td className="max-w-48 truncate text-xs text-zinc-600" title={r.note}>
                {r.source === 'velocity' ? <span className="text-amber-700">{t('rules.sources.velocity')}</span> : null}
                {r.source === 'platform' ? (
                  <span className="mr-1">
                    <Badge tone="neutral">{t('rules.sources.platform')}</Badge>
                  </span>
                ) : null}
                {r.source !== 'velocity' ? r.note : null}
              </Td>
              <Td className="text-right">{removable(r) ? <DeleteRuleButton ruleId={r.id} pattern={r.pattern} action={remove} /> : null}</Td>
            </Tr>
          );
        })}
      </tbody>
    </Table>
  );
}
