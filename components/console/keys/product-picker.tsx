'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/field';

/**
 * Which product's keys to show. A GET form, so it works without script and the choice
 * lands in the URL; with script a change navigates at once.
 */
export function ProductPicker({ products, current, status }: { products: { id: string; title: string; active: boolean }[]; current: string; status: string }) {
  const t = useTranslations('console.keys');
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <form action="/console/keys" method="get" className="flex flex-wrap items-end gap-3">
      <div className="min-w-0 flex-1 space-y-1.5 sm:max-w-md">
        <label htmlFor="keys-product" className="block text-sm font-medium text-zinc-700">
          {t('product')}
        </label>
        <Select
          id="keys-product"
          name="product"
          defaultValue={current}
          aria-busy={pending || undefined}
          onChange={(e) => {
            const product = e.currentTarget.value;
            startTransition(() => router.push(`/console/keys?${new URLSearchParams({ product, status })}`));
          }}
        >
          {products.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
              {p.active ? '' : ` ${t('inactive')}`}
            </option>
          ))}
        </Select>
      </div>
      <input type="hidden" name="status" value={status} />
      <noscript>
        <Button type="submit" variant="secondary">
          {t('choose')}
        </Button>
      </noscript>
    </form>
  );
}
