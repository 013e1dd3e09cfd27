import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { AgentStatusBadge } from '@/components/console/agents/agent-status-badge';
import { FilterPills } from '@/components/console/agents/filter-pills';
import { CreateAgentForm } from '@/components/console/agents/create-agent-form';
import { levelLabel } from '@/components/console/agents/format';
import { TemplateButton } from '@/components/console/agents/template-button';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Input } from '@/components/ui/field';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { AGENT_CURRENCY, listAgents, listLevels, programmeQueue } from '@/lib/agents';
import { getConfig } from '@/lib/config';
import { BUSINESS_TIME_ZONE } from '@/lib/i18n';
import { formatAmount } from '@/lib/money';
import { cn } from '@/lib/utils';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.agents');
  return { title: t('title') };
}

type Search = { q?: string | string[]; status?: string | string[] };
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
const day = { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: BUSINESS_TIME_ZONE } as const;

export default async function AgentsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { db, merchantId } = await requireMerchantPage();
  const [t, locale, format, params, levels, everyone, queue] = await Promise.all([
    getTranslations('console.agents'),
    getLocale(),
    getFormatter(),
    searchParams,
    listLevels(db, merchantId),
    listAgents(db, merchantId),
    programmeQueue(db, merchantId),
  ]);
  const q = one(params.q).trim().toLowerCase();
  const status = one(params.status) === 'suspended' ? 'suspended' : one(params.status) === 'active' ? 'active' : null;
  const agents = everyone.filter((a) => a.status === 'active' || a.status === 'suspended');
  const shown = agents.filter(
    (a) => (!status || a.status === status) && (!q || a.name.toLowerCase().includes(q) || a.slug.includes(q) || (a.email ?? '').includes(q)),
  );
  const applications = everyone.filter((a) => a.status === 'pending').length;
  const active = agents.filter((a) => a.status === 'active');
  const money = (v: number) => formatAmount(v, AGENT_CURRENCY, locale);
  const liability = agents.reduce((sum, a) => sum + a.balance.pending + a.balance.available + a.balance.held, 0);
  const owing = agents.filter((a) => a.balance.owed < 0).length;
  const shopBase = `${getConfig().appUrl}/a/`;
  const href = (s: string | null) => `/console/agents?${new URLSearchParams({ ...(q ? { q } : {}), ...(s ? { status: s } : {}) })}`;

  if (levels.length === 0) {
    return (
      <Card className="mx-auto max-w-2xl text-center sm:p-8">
        <h2 className="text-lg font-semibold text-zinc-900">{t('start.title')}</h2>
        <p className="mt-2 text-sm text-zinc-600">{t('start.body')}</p>
        <ul className="mx-auto mt-4 max-w-md space-y-1 text-left text-sm text-zinc-600">
          <li>• {t('start.point1')}</li>
          <li>• {t('start.point2')}</li>
          <li>• {t('start.point3')}</li>
        </ul>
        <div className="mt-6 flex flex-col items-center gap-3">
          <TemplateButton />
          <Link href="/console/agents/levels" className="text-sm text-brand-700 hover:underline">
            {t('start.manual')}
          </Link>
        </div>
      </Card>
    );
  }

  const stats = [
    { label: t('stats.active'), value: format.number(active.length) },
    {
      label: t('stats.applications'),
      value: format.number(applications),
      href: applications ? '/console/agents/applications' : undefined,
      alert: applications > 0,
    },
    {
      label: t('stats.withdrawals'),
      value: format.number(queue.withdrawals),
      href: queue.withdrawals ? '/console/agents/withdrawals' : undefined,
      alert: queue.withdrawals > 0,
    },
    { label: t('stats.liability'), value: money(liability), hint: owing ? t('stats.owing', { n: owing }) : undefined },
  ];

  return (
    <div className="space-y-6">
      {applications > 0 ? (
        <Alert tone="warning">
          {t('home.applicationsWaiting', { n: applications })}{' '}
          <Link href="/console/agents/applications" className="font-medium underline">
            {t('home.review')}
          </Link>
        </Alert>
      ) : null}

      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {stats.map((s) => (
          <Card key={s.label} className="p-4">
            <dt className="text-sm text-zinc-500">{s.label}</dt>
            <dd className={cn('mt-1 text-2xl font-semibold tabular-nums', s.alert ? 'text-amber-700' : 'text-zinc-900')}>
              {s.href ? (
                <Link href={s.href} className="hover:underline">
                  {s.value}
                </Link>
              ) : (
                s.value
              )}
            </dd>
            {s.hint ? <dd className="mt-0.5 text-xs text-red-600">{s.hint}</dd> : null}
          </Card>
        ))}
      </dl>

      <Card>
        <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
          <div>
            <h2 className="text-base font-semibold text-zinc-900">{t('list.title')}</h2>
            <p className="mt-1 text-sm text-zinc-500">{t('list.hint')}</p>
          </div>
          <form action="/console/agents" className="flex gap-2" role="search">
            {status ? <input type="hidden" name="status" value={status} /> : null}
            <label htmlFor="agent-q" className="sr-only">
              {t('list.search')}
            </label>
            <Input id="agent-q" name="q" type="search" defaultValue={q} placeholder={t('list.searchPlaceholder')} className="w-48 sm:w-56" />
            <button type="submit" className={buttonClass('secondary', 'shrink-0 whitespace-nowrap')}>
              {t('list.searchSubmit')}
            </button>
          </form>
        </div>
        <FilterPills
          label={t('list.filter')}
          pills={[
            { href: href(null), label: t('list.all'), count: agents.length, current: !status },
            { href: href('active'), label: t('status.active'), count: active.length, current: status === 'active' },
            { href: href('suspended'), label: t('status.suspended'), count: agents.length - active.length, current: status === 'suspended' },
          ]}
        />
        <Table>
          <thead>
            <tr>
              <Th>{t('columns.agent')}</Th>
              <Th>{t('list.levelParent')}</Th>
              <Th>{t('columns.status')}</Th>
              <Th className="text-right">{t('balance.pending')}</Th>
              <Th className="text-right">{t('balance.available')}</Th>
              <Th className="text-right">{t('balance.held')}</Th>
              <Th className="text-right">{t('balance.owed')}</Th>
              <Th>{t('columns.created')}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {shown.length === 0 ? <EmptyRow colSpan={8}>{q || status ? t('list.none') : t('list.empty')}</EmptyRow> : null}
            {shown.map((a) => (
              <Tr key={a.id}>
                <Td>
                  <Link href={`/console/agents/${a.id}`} className="font-medium text-brand-700 hover:underline">
                    {a.name}
                  </Link>
                  <a
                    href={`/a/${a.slug}`}
                    target="_blank"
                    rel="noreferrer"
                    className="block font-mono text-xs text-zinc-500 hover:text-brand-700 hover:underline"
                    title={t('list.openShop')}
                  >
                    /a/{a.slug}
                  </a>
                  {a.email ? <span className="block max-w-52 truncate text-xs text-zinc-500">{a.email}</span> : null}
                </Td>
                <Td>
                  {levelLabel(a.level, a.levelName)}
                  {a.parentName ? <span className="block text-xs text-zinc-500">{t('list.under', { parent: a.parentName })}</span> : null}
                </Td>
                <Td>
                  <AgentStatusBadge status={a.status} />
                </Td>
                <Td className="text-right tabular-nums">{money(a.balance.pending)}</Td>
                <Td className="text-right tabular-nums">{money(a.balance.available)}</Td>
                <Td className="text-right tabular-nums">{money(a.balance.held)}</Td>
                <Td className={cn('text-right tabular-nums', a.balance.owed < 0 ? 'font-medium text-red-600' : 'text-zinc-400')}>{money(a.balance.owed)}</Td>
                <Td className="tabular-nums text-zinc-600">{format.dateTime(a.createdAt, day)}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      </Card>

      <details className="group overflow-hidden rounded-2xl bg-white shadow-sm ring-1 ring-zinc-200" open={agents.length === 0}>
        <summary className="cursor-pointer list-none px-5 py-4 focus-visible:outline-2 focus-visible:outline-brand-500">
          <span className="text-base font-semibold text-zinc-900">{t('create.title')}</span>
          <span className="ml-2 text-sm text-zinc-500 group-open:hidden">▸</span>
          <span className="mt-1 block text-sm text-zinc-500">{t('create.hint')}</span>
        </summary>
        <div className="border-t border-zinc-200 bg-zinc-50 p-4 sm:p-5">
          <CreateAgentForm
            shopBase={shopBase}
            levels={levels.map((l) => ({ value: String(l.rank), label: levelLabel(l.rank, l.name) }))}
            parents={active.map((a) => ({ value: a.id, label: `${a.name} · ${levelLabel(a.level, a.levelName)}`, rank: a.level }))}
          />
        </div>
      </details>
    </div>
  );
}
