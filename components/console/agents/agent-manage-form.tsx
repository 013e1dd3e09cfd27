'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { updateAgentAction } from '@/app/(console)/console/agents/actions';
import { Button } from '@/components/ui/button';
import { Field, Select } from '@/components/ui/field';
import { FormAlerts, useKeptForm } from './kept-form';

type Option = { value: string; label: string };

/** An agent's level, status (active or suspended) and parent; a parent must be at or above the agent's level. */
export function AgentManageForm({
  agentId,
  rank,
  status,
  parentId,
  levels,
  parents,
}: {
  agentId: string;
  rank: number;
  status: 'active' | 'suspended';
  parentId: string | null;
  levels: Option[];
  parents: (Option & { rank: number })[];
}) {
  const t = useTranslations('console.agents.agent');
  const { state, pending, err, aria, formProps } = useKeptForm(updateAgentAction);
  const [chosen, setChosen] = useState(String(rank));
  // Parents that could take an agent of the chosen level, and the current one whatever it is (so it still shows).
  const fitting = parents.filter((p) => p.rank >= Number(chosen) || p.value === parentId);
  return (
    <form {...formProps} className="space-y-4">
      <input type="hidden" name="agentId" value={agentId} />
      <input type="hidden" name="wasRank" value={rank} />
      <input type="hidden" name="wasStatus" value={status} />
      <input type="hidden" name="wasParentId" value={parentId ?? ''} />
      <FormAlerts state={state} shown={['rank', 'status', 'parentId']} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={t('level')} htmlFor="am-rank" error={err('rank')}>
          <Select id="am-rank" name="rank" value={chosen} onChange={(e) => setChosen(e.target.value)} {...aria('rank', 'am-rank')}>
            {levels.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('status')} htmlFor="am-status" error={err('status')} hint={t('statusHint')}>
          <Select id="am-status" name="status" defaultValue={status} {...aria('status', 'am-status')}>
            <option value="active">{t('active')}</option>
            <option value="suspended">{t('suspended')}</option>
          </Select>
        </Field>
        <div className="sm:col-span-2">
          <Field label={t('parent')} htmlFor="am-parent" error={err('parentId')} hint={t('parentHint')}>
            <Select id="am-parent" name="parentId" defaultValue={parentId ?? ''} {...aria('parentId', 'am-parent')}>
              <option value="">{t('noParent')}</option>
              {fitting.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </Select>
          </Field>
        </div>
      </div>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? t('saving') : t('save')}
        </Button>
      </div>
    </form>
  );
}
