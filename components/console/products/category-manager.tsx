'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { startTransition, useActionState, useState, type FormEvent } from 'react';
import type { FormState } from '@/app/(console)/action';
import { createCategoryAction, deleteCategoryAction, moveCategoryAction, updateCategoryAction } from '@/app/(console)/console/products/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { Td, Tr } from '@/components/ui/table';
import { cn } from '@/lib/utils';

type Row = { id: string; name: string; slug: string; productCount: number };

/** Adds a category; the name stays in the box if the server refuses it. */
export function CategoryCreateForm() {
  const t = useTranslations('console.products');
  const [state, action, pending] = useActionState<FormState, FormData>(createCategoryAction, {});
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(async () => {
      await action(data);
    });
  };
  // Clear the boxes once the category is in (adjusted while rendering the new result).
  const [seen, setSeen] = useState(state);
  if (seen !== state) {
    setSeen(state);
    if (state.ok) {
      setName('');
      setSlug('');
    }
  }
  return (
    <form action={action} onSubmit={onSubmit} noValidate className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-zinc-200">
      <div className="grid items-start gap-3 sm:grid-cols-[1fr_14rem_auto]">
        <Field label={t('categories.name')} htmlFor="cat-name" error={state.fields?.name}>
          <Input
            id="cat-name"
            name="name"
            maxLength={60}
            required
            placeholder={t('categories.namePlaceholder')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={!!state.fields?.name}
          />
        </Field>
        <Field label={t('categories.slug')} htmlFor="cat-slug" error={state.fields?.slug} hint={t('categories.slugHint')}>
          <Input
            id="cat-slug"
            name="slug"
            maxLength={63}
            className="font-mono"
            autoCapitalize="none"
            value={slug}
            onChange={(e) => setSlug(e.target.value)}
            aria-invalid={!!state.fields?.slug}
          />
        </Field>
        <Button type="submit" disabled={pending} aria-busy={pending} className="sm:mt-[1.625rem]">
          {pending ? t('categories.adding') : t('categories.add')}
        </Button>
      </div>
      {state.error && !state.fields ? (
        <Alert tone="error" className="mt-3">
          {state.error}
        </Alert>
      ) : null}
      {state.ok && state.message ? (
        <Alert tone="success" className="mt-3">
          {state.message}
        </Alert>
      ) : null}
    </form>
  );
}

const arrow =
  'grid size-7 place-items-center rounded-md text-zinc-600 ring-1 ring-inset ring-zinc-200 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-brand-500 disabled:cursor-not-allowed disabled:opacity-30 disabled:hover:bg-transparent';

/** One category: move, rename in place, delete (refused, with the reason, while products use it). */
export function CategoryRow({ category, first, last }: { category: Row; first: boolean; last: boolean }) {
  const t = useTranslations('console.products');
  const [editing, setEditing] = useState(false);
  const [moveState, move, moving] = useActionState<FormState, FormData>(moveCategoryAction, {});
  const [renameState, rename, renaming] = useActionState<FormState, FormData>(updateCategoryAction, {});
  const [deleteState, remove, deleting] = useActionState<FormState, FormData>(deleteCategoryAction, {});
  const inUse = category.productCount > 0;

  // A successful rename closes the editor (adjusted while rendering the new result).
  const [seenRename, setSeenRename] = useState(renameState);
  if (seenRename !== renameState) {
    setSeenRename(renameState);
    if (renameState.ok) setEditing(false);
  }

  const onRename = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => rename(data));
  };
  const onDelete = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    // In use: no question to ask; the server refuses and says why.
    if (!inUse && !window.confirm(t('categories.confirmDelete', { name: category.name }))) return;
    const data = new FormData(e.currentTarget);
    startTransition(() => remove(data));
  };
  const error = moveState.error ?? (renameState.fields ? undefined : renameState.error) ?? deleteState.error;

  return (
    <Tr className={cn((moving || deleting) && 'opacity-50')}>
      <Td className="pl-4 align-top">
        <form action={move} className="flex gap-1">
          <input type="hidden" name="id" value={category.id} />
          <button
            type="submit"
            name="direction"
            value="up"
            className={arrow}
            disabled={first || moving}
            aria-label={`${t('list.moveUp')}: ${category.name}`}
            title={t('list.moveUp')}
          >
            <span aria-hidden>↑</span>
          </button>
          <button
            type="submit"
            name="direction"
            value="down"
            className={arrow}
            disabled={last || moving}
            aria-label={`${t('list.moveDown')}: ${category.name}`}
            title={t('list.moveDown')}
          >
            <span aria-hidden>↓</span>
          </button>
        </form>
      </Td>
      <Td className="whitespace-normal align-top">
        {editing ? (
          <form action={rename} onSubmit={onRename} noValidate className="flex flex-wrap items-start gap-2">
            <input type="hidden" name="id" value={category.id} />
            <div className="min-w-40 flex-1 space-y-1">
              <label htmlFor={`cat-${category.id}-name`} className="sr-only">
                {t('categories.name')}
              </label>
              <Input
                autoFocus
                id={`cat-${category.id}-name`}
                name="name"
                defaultValue={category.name}
                maxLength={60}
                aria-invalid={!!renameState.fields?.name}
              />
              {renameState.fields?.name ? (
                <p role="alert" className="text-xs text-red-600">
                  {renameState.fields.name}
                </p>
              ) : null}
            </div>
            <div className="w-40 space-y-1">
              <label htmlFor={`cat-${category.id}-slug`} className="sr-only">
                {t('categories.slug')}
              </label>
              <Input
                id={`cat-${category.id}-slug`}
                name="slug"
                defaultValue={category.slug}
                maxLength={63}
                className="font-mono"
                aria-invalid={!!renameState.fields?.slug}
              />
              {renameState.fields?.slug ? (
                <p role="alert" className="text-xs text-red-600">
                  {renameState.fields.slug}
                </p>
              ) : null}
            </div>
            <div className="flex gap-1 pt-0.5">
              <Button type="submit" size="sm" disabled={renaming} aria-busy={renaming}>
                {renaming ? '…' : t('categories.save')}
              </Button>
              <Button type="button" size="sm" variant="ghost" onClick={() => setEditing(false)}>
                {t('categories.cancel')}
              </Button>
            </div>
          </form>
        ) : (
          <>
            <p className="font-medium text-zinc-900">{category.name}</p>
            <p className="font-mono text-xs text-zinc-500">{category.slug}</p>
          </>
        )}
        {error ? (
          <p role="alert" className="mt-1 text-sm text-red-600">
            {error}
          </p>
        ) : null}
      </Td>
      <Td className="text-right align-top tabular-nums">
        {inUse ? (
          <Link href={`/console/products?category=${category.id}`} className="text-brand-700 hover:underline" title={t('categories.viewProducts')}>
            {category.productCount}
          </Link>
        ) : (
          <span className="text-zinc-500">0</span>
        )}
      </Td>
      <Td className="pr-4 text-right align-top">
        <div className="flex justify-end gap-1">
          {!editing ? (
            <Button
              type="button"
              size="sm"
              variant="secondary"
              onClick={() => setEditing(true)}
              aria-label={t('categories.renameNamed', { name: category.name })}
            >
              {t('categories.rename')}
            </Button>
          ) : null}
          <form action={remove} onSubmit={onDelete}>
            <input type="hidden" name="id" value={category.id} />
            <Button
              type="submit"
              size="sm"
              variant="ghost"
              className={inUse ? 'text-zinc-500' : 'text-red-700 hover:bg-red-50'}
              disabled={deleting}
              aria-label={t('categories.deleteNamed', { name: category.name })}
              title={inUse ? t('categories.cannotDelete', { count: category.productCount }) : undefined}
            >
              {deleting ? '…' : t('categories.delete')}
            </Button>
          </form>
        </div>
      </Td>
    </Tr>
  );
}
