import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { AuditDetail } from '@/components/console/audit/detail';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button, buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field, Input, Select } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { AUDIT_ACTIONS, listAudit, type AuditListItem } from '@/lib/audit';
import { isAppError } from '@/lib/errors';
import { KeysetPager } from '@/components/ui/keyset-pager';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.audit');
  return { title: t('title') };
}

const day = { year: 'numeric', month: '2-digit', day: '2-digit' } as const;
const time = { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' } as const;
const filterNames = ['action', 'actor', 'from', 'to', 'result'] as const;
type FilterName = (typeof filterNames)[number];

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => ((Array.isArray(v) ? v[0] : v) ?? '').trim();

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const { db, merchantId } = await requireMerchantPage();
  const [t, format] = await Promise.all([getTranslations('console.audit'), getFormatter()]);
  const detailLabels = t.raw('detailKeys') as Record<string, string>;
  const sp = await searchParams;
  const filters = Object.fromEntries(filterNames.map((n) => [n, one(sp[n])])) as Record<FilterName, string>;
  const cursor = one(sp.cursor) || null;
  const filtered = filterNames.some((n) => filters[n]);

  let page: { rows: AuditListItem[]; nextCursor: string | null } = { rows: [], nextCursor: null };
  let invalid: string[] = [];
  try {
    page = await listAudit(
      db,
      merchantId,
      { ...filters, result: filters.result === 'success' || filters.result === 'failure' ? filters.result : undefined, limit: 50 },
      cursor,
    );
  } catch (err) {
    if (!isAppError(err) || err.code !== 'validation_failed') throw err;
    invalid = Object.keys(err.fields ?? { _: '' });
  }

  const href = (extra: { cursor?: string } = {}) => {
    const q = new URLSearchParams();
    for (const n of filterNames) if (filters[n]) q.set(n, filters[n]);
    if (extra.cursor) q.set('cursor', extra.cursor);
    const s = q.toString();
    return s ? `/console/audit?${s}` : '/console/audit';
  };
  const actionLabel = (action: string) => (/^[a-z_]+\.[a-z_]+$/.test(action) && t.has(`actions.${action}`) ? t(`actions.${action}`) : action);
  const targetLabel = (type: string) => (/^[a-z_]+$/.test(type) && t.has(`targets.${type}`) ? t(`targets.${type}`) : type);
  const shortId = (id: string) => (/^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(id) ? `${id.slice(0, 8)}…` : id);
  const fieldLabel = (name: string) => (name === 'cursor' || name === '_' || name === 'limit' ? t('first') : t(`filters.${name as FilterName}`));
  const knownActions: readonly string[] = AUDIT_ACTIONS;

  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />

      <Card className="mb-6">
        <form
          method="get"
          action="/console/audit"
          className="grid grid-cols-2 gap-3 lg:grid-cols-[minmax(0,1.3fr)_minmax(0,1.5fr)_minmax(0,1fr)_minmax(0,1fr)_minmax(0,0.8fr)_auto] lg:items-end"
        >
          <div className="col-span-2 lg:col-span-1">
            <Field label={t('filters.action')} htmlFor="audit-action">
              <Select className="h-9" id="audit-action" name="action" defaultValue={filters.action} aria-invalid={invalid.includes('action') || undefined}>
                <option value="">{t('filters.allActions')}</option>
                {AUDIT_ACTIONS.map((a) => (
                  <option key={a} value={a}>
                    {actionLabel(a)}
                  </option>
                ))}
                {filters.action && !knownActions.includes(filters.action) ? <option value={filters.action}>{filters.action}</option> : null}
              </Select>
            </Field>
          </div>
          <div className="col-span-2 lg:col-span-1">
            <Field label={t('filters.actor')} htmlFor="audit-actor">
              <Input
                className="h-9"
                id="audit-actor"
                name="actor"
                defaultValue={filters.actor}
                placeholder={t('filters.actorPlaceholder')}
                autoComplete="off"
                aria-invalid={invalid.includes('actor') || undefined}
              />
            </Field>
          </div>
          <Field label={t('filters.from')} htmlFor="audit-from">
            <Input className="h-9" id="audit-from" name="from" type="date" defaultValue={filters.from} aria-invalid={invalid.includes('from') || undefined} />
          </Field>
          <Field label={t('filters.to')} htmlFor="audit-to">
            <Input className="h-9" id="audit-to" name="to" type="date" defaultValue={filters.to} aria-invalid={invalid.includes('to') || undefined} />
          </Field>
          <Field label={t('filters.result')} htmlFor="audit-result">
            <Select className="h-9" id="audit-result" name="result" defaultValue={filters.result}>
              <option value="">{t('filters.anyResult')}</option>
              <option value="success">{t('success')}</option>
              <option value="failure">{t('failure')}</option>
            </Select>
          </Field>
          <div className="flex items-end gap-2">
            <Button type="submit" className="h-9 flex-1 py-0 lg:flex-none">
              {t('filters.apply')}
            </Button>
            {filtered ? (
              <Link href="/console/audit" className={buttonClass('ghost', 'h-9 flex-1 py-0 lg:flex-none')}>
                {t('filters.reset')}
              </Link>
            ) : null}
          </div>
        </form>
      </Card>

      <Card>
        {invalid.length ? (
          <Alert tone="error" className="mb-3">
            {t('invalidFilter', { fields: [...new Set(invalid.map(fieldLabel))].join('、') })}
          </Alert>
        ) : null}
        {/* On a phone: one card per entry; the table needs a wider screen. */}
        <ul className="divide-y divide-zinc-100 sm:hidden">
          {page.rows.length === 0 && !invalid.length ? (
            <li className="py-10 text-center text-sm text-zinc-500">{filtered ? t('emptyFiltered') : t('empty')}</li>
          ) : null}
          {page.rows.map((row) => (
            <li key={row.id} className="space-y-1 py-3">
              <div className="flex items-start justify-between gap-2">
                <span className="font-medium text-zinc-900" title={row.action}>
                  {actionLabel(row.action)}
                </span>
                {row.success ? <Badge tone="green">{t('success')}</Badge> : <Badge tone="red">{t('failure')}</Badge>}
              </div>
              <p className="text-xs text-zinc-500 tabular-nums">
                {format.dateTime(new Date(row.createdAt), day)} {format.dateTime(new Date(row.createdAt), time)}
                {row.ip ? <span className="font-mono"> · {row.ip}</span> : null}
              </p>
              <p className="truncate text-sm text-zinc-700">
                {row.actorType === 'user'
                  ? (row.actorLabel ?? t('actors.deletedUser'))
                  : row.actorType === 'api_key'
                    ? `${t('actors.apiKey')} ${row.actorLabel}`
                    : t('actors.system')}
                {row.targetType ? (
                  <span className="text-zinc-500">
                    {' → '}
                    {targetLabel(row.targetType)} {row.targetId ? <code className="font-mono text-xs">{shortId(row.targetId)}</code> : null}
                  </span>
                ) : null}
              </p>
              {Object.keys(row.detail).length ? <AuditDetail detail={row.detail} labels={detailLabels} /> : null}
            </li>
          ))}
        </ul>
        <div className={invalid.length ? 'hidden' : 'hidden sm:block'}>
          <Table>
            <thead>
              <tr>
                <Th>{t('columns.when')}</Th>
                <Th>{t('columns.who')}</Th>
                <Th>{t('columns.action')}</Th>
                <Th>{t('columns.result')}</Th>
                <Th>{t('columns.detail')}</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {page.rows.length === 0 && !invalid.length ? <EmptyRow colSpan={5}>{filtered ? t('emptyFiltered') : t('empty')}</EmptyRow> : null}
              {page.rows.map((row) => (
                <Tr key={row.id} className="align-top">
                  <Td className="tabular-nums text-zinc-700">
                    <div>{format.dateTime(new Date(row.createdAt), day)}</div>
                    <div className="text-xs text-zinc-500">{format.dateTime(new Date(row.createdAt), time)}</div>
                  </Td>
                  <Td>
                    <div className="max-w-52 truncate">
                      {row.actorType === 'user' ? (
                        <span title={row.actorLabel ?? row.actorId ?? ''}>
                          {row.actorLabel ?? <span className="text-zinc-500">{t('actors.deletedUser')}</span>}
                        </span>
                      ) : row.actorType === 'api_key' ? (
                        <span>
                          <span className="text-zinc-500">{t('actors.apiKey')}</span> <code className="font-mono text-xs">{row.actorLabel}</code>
                        </span>
                      ) : (
                        <span className="text-zinc-500">{t('actors.system')}</span>
                      )}
                    </div>
                    <div className="font-mono text-xs text-zinc-500" title={t('columns.ip')}>
                      {row.ip ?? ''}
                    </div>
                  </Td>
                  <Td>
                    <div className="font-medium text-zinc-900" title={row.action}>
                      {actionLabel(row.action)}
                    </div>
                    {row.targetType ? (
                      <div className="text-xs text-zinc-500">
                        {targetLabel(row.targetType)}{' '}
                        {row.targetId ? (
                          <code className="font-mono" title={row.targetId}>
                            {shortId(row.targetId)}
                          </code>
                        ) : null}
                      </div>
                    ) : null}
                  </Td>
                  <Td>{row.success ? <Badge tone="green">{t('success')}</Badge> : <Badge tone="red">{t('failure')}</Badge>}</Td>
                  <Td className="min-w-48 whitespace-normal">
                    <AuditDetail detail={row.detail} labels={detailLabels} />
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </div>
        <KeysetPager
          firstHref={cursor ? href() : null}
          nextHref={page.nextCursor ? href({ cursor: page.nextCursor }) : null}
          firstLabel={t('first')}
          nextLabel={t('next')}
        />
      </Card>
    </>
  );
}
