import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { bpToInput, percent } from '@/components/console/agents/format';
import { LevelForm, type LevelFormValues } from '@/components/console/agents/level-form';
import { PriceMatrix } from '@/components/console/agents/price-matrix';
import { TemplateButton } from '@/components/console/agents/template-button';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { AGENT_CURRENCY, LEVEL_TEMPLATE, MAX_AGENT_LEVEL, listAgents, listLevels, unitCostFor, type AgentLevel } from '@/lib/agents';
import { listProductRecords } from '@/lib/catalog';
import { isLocale } from '@/lib/i18n';
import { amountToInput, formatAmount } from '@/lib/money';
import { cn } from '@/lib/utils';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.agents');
  return { title: `${t('tabs.levels')} · ${t('title')}` };
}

const RANKS = Array.from({ length: MAX_AGENT_LEVEL }, (_, i) => i + 1);

/** A level's terms as the form shows them; a rank not set up yet starts from the template's. */
function formValues(rank: number, level: AgentLevel | undefined, template: { name: string; discountBp: number }): LevelFormValues {
  return {
    rank,
    name: level?.name ?? template.name,
    discount: bpToInput(level?.discountBp ?? template.discountBp),
    minMarkup: bpToInput(level?.minMarkupBp ?? 0),
    maxMarkup: bpToInput(level?.maxMarkupBp ?? 5000),
    allowBelowRetail: level?.allowBelowRetail ?? false,
    holdHours: String(level?.holdHours ?? 72),
    withdrawMin: amountToInput(level?.withdrawMin ?? 1000, AGENT_CURRENCY),
    withdrawFee: bpToInput(level?.withdrawFeeBp ?? 0),
    parentShare: level?.parentShare ?? 'price_diff',
    parentSharePercent: bpToInput(level?.parentShareBp ?? 0),
  };
}

export default async function LevelsPage({ searchParams }: { searchParams: Promise<{ rank?: string | string[] }> }) {
  const { db, merchantId } = await requireMerchantPage();
  const [t, locale, params, levels, agents] = await Promise.all([
    getTranslations('console.agents'),
    getLocale(),
    searchParams,
    listLevels(db, merchantId),
    listAgents(db, merchantId),
  ]);
  const byRank = new Map(levels.map((l) => [l.rank, l]));
  const asked = Number(Array.isArray(params.rank) ? params.rank[0] : params.rank);
  const rank = RANKS.includes(asked) ? asked : (levels[0]?.rank ?? 1);
  const level = byRank.get(rank);
  const money = (v: number) => formatAmount(v, AGENT_CURRENCY, locale);
  const counts = new Map<number, number>();
  for (const a of agents) if (a.status === 'active' || a.status === 'suspended') counts.set(a.level, (counts.get(a.level) ?? 0) + 1);
  const templateLevel = LEVEL_TEMPLATE.find((l) => l.rank === rank);
  const template = { name: templateLevel?.names[isLocale(locale) ? locale : 'zh-CN'] ?? '', discountBp: templateLevel?.discountBp ?? 0 };
  const shareText = (l: AgentLevel) =>
    l.parentShare === 'percent' ? t('levels.sharePercent', { percent: percent(l.parentShareBp) }) : t(`levelForm.share.${l.parentShare}`);

  const products = level
    ? (await listProductRecords(db, merchantId))
        .sort((a, b) => a.sort - b.sort || a.createdAt.getTime() - b.createdAt.getTime())
        .map((p) => ({
          productId: p.id,
          title: p.title,
          active: p.active,
          currency: p.currency,
          retail: p.price,
          levelCost: unitCostFor({ ...p, agentPrices: {} }, level),
          ownCost: typeof p.agentPrices[String(rank)] === 'number' ? p.agentPrices[String(rank)]! : null,
          visible: typeof p.agentVisible[String(rank)] === 'boolean' ? p.agentVisible[String(rank)]! : null,
          visibleByDefault: p.agentMinRank == null || rank >= p.agentMinRank,
        }))
    : [];

  return (
    <div className="space-y-6">
      <Card>
        <div className="mb-3 flex flex-wrap items-start justify-between gap-3">
          <div>
            <h2 className="text-base font-semibold text-zinc-900">{t('levels.title')}</h2>
            <p className="mt-1 max-w-2xl text-sm text-zinc-500">{t('levels.hint')}</p>
          </div>
          {levels.length < MAX_AGENT_LEVEL ? (
            <TemplateButton variant={levels.length === 0 ? 'primary' : 'secondary'} label={levels.length === 0 ? undefined : t('levels.fillTemplate')} />
          ) : null}
        </div>
        {levels.length === 0 ? <Alert tone="info">{t('levels.none')}</Alert> : null}
        <Table className="mt-3">
          <thead>
            <tr>
              <Th>{t('levels.rank')}</Th>
              <Th>{t('levels.name')}</Th>
              <Th className="text-right">{t('levels.discount')}</Th>
              <Th>{t('levels.markup')}</Th>
              <Th className="text-right">{t('levels.hold')}</Th>
              <Th>{t('levels.withdrawal')}</Th>
              <Th>{t('levels.parentShare')}</Th>
              <Th className="text-right">{t('levels.agents')}</Th>
              <Th>
                <span className="sr-only">{t('levels.actions')}</span>
              </Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {RANKS.map((r) => {
              const l = byRank.get(r);
              const selected = r === rank;
              return (
                <tr key={r} className={cn(selected ? 'bg-brand-50/60' : 'hover:bg-zinc-50')} aria-current={selected ? 'true' : undefined}>
                  <Td className="font-medium tabular-nums">{r}</Td>
                  {l ? (
                    <>
                      <Td className="font-medium">
                        <Link href={`/console/agents/levels?rank=${r}#level-edit`} className="text-zinc-900 hover:text-brand-700 hover:underline">
                          {l.name}
                        </Link>
                      </Td>
                      <Td className="text-right tabular-nums">{percent(l.discountBp)}</Td>
                      <Td className="tabular-nums">
                        {percent(l.minMarkupBp)} – {percent(l.maxMarkupBp)}
                        {l.allowBelowRetail ? (
                          <span className="ml-2">
                            <Badge tone="amber">{t('levels.belowRetail')}</Badge>
                          </span>
                        ) : null}
                      </Td>
                      <Td className="text-right tabular-nums">{t('levels.hours', { n: l.holdHours })}</Td>
                      <Td className="tabular-nums">
                        {t('levels.withdrawalTerms', { min: money(l.withdrawMin) })}
                        {l.withdrawFeeBp ? <span className="block text-xs text-zinc-500">{t('levels.feeLine', { fee: percent(l.withdrawFeeBp) })}</span> : null}
                      </Td>
                      <Td>{shareText(l)}</Td>
                      <Td className="text-right tabular-nums">{counts.get(r) ?? 0}</Td>
                    </>
                  ) : (
                    <Td colSpan={7}>
                      <Link href={`/console/agents/levels?rank=${r}#level-edit`} className="text-zinc-400 hover:text-brand-700 hover:underline">
                        {t('levels.notSet')}
                      </Link>
                    </Td>
                  )}
                  <Td className="text-right">
                    <Link href={`/console/agents/levels?rank=${r}#level-edit`} className="text-sm font-medium text-brand-700 hover:underline">
                      {l ? t('levels.edit') : t('levels.setUp')}
                    </Link>
                  </Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      </Card>

      <section id="level-edit" aria-labelledby="level-edit-title" className="scroll-mt-6 space-y-6">
        <Card>
          <h2 id="level-edit-title" className="text-base font-semibold text-zinc-900">
            {level ? t('levels.editTitle', { rank, name: level.name }) : t('levels.newTitle', { rank })}
          </h2>
          <p className="mb-4 mt-1 text-sm text-zinc-500">{level ? t('levels.editHint') : t('levels.newHint')}</p>
          <LevelForm key={rank} initial={formValues(rank, level, template)} exists={Boolean(level)} />
        </Card>

        <Card>
          <h2 className="text-base font-semibold text-zinc-900">{level ? t('prices.title', { rank, name: level.name }) : t('prices.titleNew', { rank })}</h2>
          <p className="mb-4 mt-1 max-w-3xl text-sm text-zinc-500">{t('prices.hint')}</p>
          {level ? (
            <PriceMatrix key={rank} rank={rank} discount={percent(level.discountBp)} rows={products} />
          ) : (
            <Alert tone="info">{t('prices.saveLevelFirst')}</Alert>
          )}
        </Card>
      </section>
    </div>
  );
}
