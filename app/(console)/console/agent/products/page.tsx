import type { Metadata } from 'next';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { AgentMissing, AgentStatusAlert } from '@/components/console/agent/agent-status';
import { currencySign } from '@/components/console/agent/currency';
import { ProductRow, type ProductRowView } from '@/components/console/agent/product-row';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Table, Th } from '@/components/ui/table';
import { agentCatalogue, agentConsoleView, applyBp } from '@/lib/agents';
import { amountToInput, formatAmount } from '@/lib/money';
import { setAgentProductAction } from '../actions';
import { requireAgentPage } from '../agent-page';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.agent.products');
  return { title: t('title') };
}

/** What the agent sells: each product its level may sell, its cost, its price, whether it is in the shop, and the markup. */
export default async function AgentProductsPage() {
  const { db, agent } = await requireAgentPage();
  const [t, format, locale] = await Promise.all([getTranslations('console.agent.products'), getFormatter(), getLocale()]);
  if (!agent) return <AgentMissing title={t('title')} />;
  const [catalogue, view] = await Promise.all([agentCatalogue(db, agent), agentConsoleView(db, agent)]);
  const { minMarkupBp, maxMarkupBp, allowBelowRetail } = catalogue;
  const percent = (bp: number) => format.number(bp / 10000, { style: 'percent', maximumFractionDigits: 2 });

  const rows: ProductRowView[] = catalogue.items.map((p) => {
    const money = (n: number) => formatAmount(n, p.currency, locale);
    const floor = p.cost + applyBp(p.cost, minMarkupBp);
    const ceiling = p.cost + applyBp(p.cost, maxMarkupBp);
    const lowest = allowBelowRetail ? floor : Math.max(floor, p.retail);
    // The markup that gives the current price, rounded up so it never lands below it.
    const effectiveBp = p.cost > 0 ? Math.ceil(((p.sale - p.cost) * 10000) / p.cost) : 0;
    return {
      productId: p.productId,
      title: p.title,
      currency: p.currency,
      symbol: currencySign(p.currency, locale),
      listed: p.listed,
      ownMarkup: p.markupBp !== null,
      retail: money(p.retail),
      cost: money(p.cost),
      sale: money(p.sale),
      profit: money(p.sale - p.cost),
      markup: p.markupBp === null ? null : percent(p.markupBp),
      markupInput: String((p.markupBp ?? effectiveBp) / 100),
      saleInput: amountToInput(p.sale, p.currency),
      range: lowest > ceiling ? t('rangeRetailOnly', { price: money(p.retail) }) : t('range', { min: money(lowest), max: money(ceiling) }),
    };
  });
  const listed = rows.filter((r) => r.listed).length;

  return (
    <div className="space-y-6">
      <PageHeader title={t('title')} description={t('description')} />
      <AgentStatusAlert agent={agent} />

      <Card>
        <h2 className="text-base font-semibold text-zinc-900">{t('rules.title')}</h2>
        <ul className="mt-3 grid gap-x-8 gap-y-2 text-sm text-zinc-600 sm:grid-cols-2">
          <li>
            {view.level
              ? t('rules.level', { name: view.level.name, rank: agent.level, discount: percent(view.level.discountBp) })
              : t('rules.levelPlain', { rank: agent.level })}
          </li>
          <li>{t('rules.markup', { min: percent(minMarkupBp), max: percent(maxMarkupBp) })}</li>
          <li>{allowBelowRetail ? t('rules.belowRetailAllowed') : t('rules.retailFloor')}</li>
          <li>{t('rules.costFloor')}</li>
          <li>{t('rules.default')}</li>
          <li>{t('rules.commission')}</li>
        </ul>
      </Card>

      <Card>
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 className="text-base font-semibold text-zinc-900">{t('listTitle')}</h2>
          {rows.length ? <p className="text-sm text-zinc-500">{t('count', { total: rows.length, listed })}</p> : null}
        </div>
        <Table>
          <thead>
            <tr>
              <Th>{t('columns.product')}</Th>
              <Th className="text-right">{t('columns.retail')}</Th>
              <Th className="text-right">{t('columns.cost')}</Th>
              <Th className="text-right">{t('columns.sale')}</Th>
              <Th className="text-right">{t('columns.markup')}</Th>
              <Th>{t('columns.listed')}</Th>
              <Th className="text-right">
                <span className="sr-only">{t('columns.actions')}</span>
              </Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {rows.length === 0 ? (
              <EmptyRow colSpan={7}>{t('empty')}</EmptyRow>
            ) : (
              rows.map((row) => <ProductRow key={row.productId} row={row} action={setAgentProductAction} disabled={agent.status !== 'active'} />)
            )}
          </tbody>
        </Table>
      </Card>
    </div>
  );
}
