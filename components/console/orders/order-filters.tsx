import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonClass } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/field';
import type { OrderFilterValues } from '@/lib/orders';

type Option = { id: string; label: string };

/**
 * A plain GET form: the filters become the page's query string, so a filtered list can be
 * reloaded, bookmarked and shared, and works without JavaScript.
 */
export async function OrderFilters({
  values,
  statuses,
  products,
  channels,
  invalid = [],
}: {
  values: Partial<Record<keyof OrderFilterValues, string>>;
  statuses: Option[];
  products: Option[];
  channels: Option[];
  invalid?: string[];
}) {
  const t = await getTranslations('console.orders.filters');
  const active = Object.values(values).some(Boolean);
  const err = (name: string) => (invalid.includes(name) ? true : undefined);
  return (
    <form method="get" action="/console/orders" aria-label={t('label')} className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-12">
      {values.sort ? <input type="hidden" name="sort" value={values.sort} /> : null}
      <div className="lg:col-span-3">
        <Field label={t('status')} htmlFor="f-status">
          <Select id="f-status" name="status" defaultValue={values.status ?? ''} aria-invalid={err('status')}>
            <option value="">{t('any')}</option>
            {statuses.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div className="lg:col-span-3">
        <Field label={t('product')} htmlFor="f-product">
          <Select id="f-product" name="product" defaultValue={values.product ?? ''} aria-invalid={err('product')}>
            <option value="">{t('any')}</option>
            {products.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div className="col-span-2 sm:col-span-1 lg:col-span-3">
        <Field label={t('channel')} htmlFor="f-channel">
          <Select id="f-channel" name="channel" defaultValue={values.channel ?? ''} aria-invalid={err('channel')}>
            <option value="">{t('any')}</option>
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div className="col-span-2 sm:col-span-3 lg:col-span-3">
        <Field label={t('orderNo')} htmlFor="f-orderNo">
          <Input
            id="f-orderNo"
            name="orderNo"
            type="search"
            inputMode="numeric"
            autoComplete="off"
            placeholder={t('orderNoPlaceholder')}
            defaultValue={values.orderNo ?? ''}
            aria-invalid={err('orderNo')}
            className="font-mono"
          />
        </Field>
      </div>
      <div className="col-span-2 grid grid-cols-2 gap-3 sm:col-span-2 lg:col-span-4">
        <Field label={t('from')} htmlFor="f-from">
          <Input id="f-from" name="from" type="date" defaultValue={values.from ?? ''} aria-invalid={err('from')} className="px-2" />
        </Field>
        <Field label={t('to')} htmlFor="f-to">
          <Input id="f-to" name="to" type="date" defaultValue={values.to ?? ''} aria-invalid={err('to')} className="px-2" />
        </Field>
      </div>
      <div className="col-span-2 sm:col-span-1 lg:col-span-5">
        <Field label={t('email')} htmlFor="f-email">
          <Input
            id="f-email"
            name="email"
            type="search"
            inputMode="email"
            autoComplete="off"
            placeholder={t('emailPlaceholder')}
            defaultValue={values.email ?? ''}
            aria-invalid={err('email')}
          />
        </Field>
      </div>
      <div className="col-span-2 flex items-end gap-2 sm:col-span-3 lg:col-span-3 lg:justify-end">
        <button type="submit" className={buttonClass('primary', 'flex-1 sm:flex-none')}>
          {t('apply')}
        </button>
        {active ? (
          <Link href="/console/orders" className={buttonClass('ghost', 'flex-1 sm:flex-none')}>
            {t('reset')}
          </Link>
        ) : null}
      </div>
    </form>
  );
}
