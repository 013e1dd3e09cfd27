'use server';
// The product and category pages' server actions: thin adapters from forms to lib/catalog.
// Each asks who is calling itself; the merchant comes from the session, never from the form.
// After a change the storefront's cached listing of this merchant is marked stale.
import { getTranslations } from 'next-intl/server';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { attempt, failure, type FormState } from '@/app/(console)/action';
import { requireMerchant, type MerchantContext } from '@/app/(console)/guard';
import { invalidateCatalog } from '@/app/api/_lib/catalog-cache';
import {
  createMerchantCategory,
  createMerchantProduct,
  deleteCategory,
  deliverySecretOf,
  moveCategory,
  moveProduct,
  productInputSchema,
  setProductActive,
  updateCategory,
  updateProduct,
} from '@/lib/catalog';
import { AppError, fieldsFromZod, isAppError } from '@/lib/errors';
import { fieldMessageKey, readProductForm } from './form-data';

const actor = (ctx: MerchantContext) => ({ userId: ctx.user.id, ip: ctx.ip });

/**
 * Like `failure`, but field errors get this page's own words ("at least the minimum
 * quantity", "an amount such as 48.00") instead of a generic "not valid".
 */
async function productFailure(err: unknown): Promise<FormState> {
  const state = await failure(err);
  if (!isAppError(err) || !err.fields) return state;
  const t = await getTranslations('console.products');
  const fields: Record<string, string> = {};
  for (const [name, raw] of Object.entries(err.fields)) fields[name] = t(`fieldErrors.${fieldMessageKey(name, raw)}`);
  return { ...state, fields };
}

/** Creates (no `id` in the form) or updates a product. A new product opens its edit page. */
export async function saveProductAction(_prev: FormState, form: FormData): Promise<FormState> {
  let createdId: string | null = null;
  const state = await attempt(async () => {
    const ctx = await requireMerchant();
    const t = await getTranslations('console.products');
    const { input, errors } = readProductForm(form);
    if (Object.keys(errors).length > 0) {
      // Report every bad field at once: what the form could not read, plus what the
      // catalogue's own rules say about the rest.
      const rest = productInputSchema.safeParse(Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)));
      const more: Record<string, string> = rest.success ? {} : fieldsFromZod(rest.error.issues);
      // zod skips the object's refinements while a field is bad; this one is worth saying now.
      if (typeof input.minQty === 'number' && typeof input.maxQty === 'number' && input.minQty > input.maxQty) more.maxQty ??= 'below minQty';
      return productFailure(new AppError('validation_failed', 'Invalid form.', { fields: { ...more, ...errors } }));
    }
    const id = String(form.get('id') ?? '');
    try {
      if (id) {
        await updateProduct(ctx.db, ctx.merchantId, id, input, actor(ctx));
      } else {
        createdId = (await createMerchantProduct(ctx.db, ctx.merchantId, input, actor(ctx))).id;
      }
    } catch (err) {
      return productFailure(err);
    }
    invalidateCatalog(ctx.merchantId);
    revalidatePath('/console/products');
    return { ok: true, message: t('form.saved') };
  });
  if (createdId) redirect(`/console/products/${createdId}?created=1`);
  return state;
}

/** Switches a product on or off from the list. */
export async function toggleProductAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const active = String(form.get('active')) === 'true';
    await setProductActive(ctx.db, ctx.merchantId, String(form.get('id') ?? ''), active, actor(ctx));
    invalidateCatalog(ctx.merchantId);
    revalidatePath('/console/products');
    return { ok: true };
  });
}

function direction(form: FormData): 'up' | 'down' {
  const d = String(form.get('direction'));
  if (d !== 'up' && d !== 'down') throw new AppError('validation_failed', 'Bad direction.', { fields: { direction: 'invalid' } });
  return d;
}

/** Moves a product one place up or down in the shop's order. */
export async function moveProductAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    await moveProduct(ctx.db, ctx.merchantId, String(form.get('id') ?? ''), direction(form), actor(ctx));
    invalidateCatalog(ctx.merchantId);
    revalidatePath('/console/products');
    return { ok: true };
  });
}

function categoryInput(form: FormData) {
  const slug = String(form.get('slug') ?? '').trim();
  return { name: String(form.get('name') ?? ''), ...(slug ? { slug } : {}) };
}

export async function createCategoryAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const t = await getTranslations('console.products');
    try {
      await createMerchantCategory(ctx.db, ctx.merchantId, categoryInput(form), actor(ctx));
    } catch (err) {
      return productFailure(err);
    }
    invalidateCatalog(ctx.merchantId);
    revalidatePath('/console/products/categories');
    return { ok: true, message: t('categories.created') };
  });
}

export async function updateCategoryAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const t = await getTranslations('console.products');
    try {
      await updateCategory(ctx.db, ctx.merchantId, String(form.get('id') ?? ''), categoryInput(form), actor(ctx));
    } catch (err) {
      return productFailure(err);
    }
    invalidateCatalog(ctx.merchantId);
    revalidatePath('/console/products/categories');
    return { ok: true, message: t('categories.renamed') };
  });
}

export async function moveCategoryAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    await moveCategory(ctx.db, ctx.merchantId, String(form.get('id') ?? ''), direction(form));
    invalidateCatalog(ctx.merchantId);
    revalidatePath('/console/products/categories');
    return { ok: true };
  });
}

/** Deletes an unused category; one in use gets a message saying to move its products first. */
export async function deleteCategoryAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const t = await getTranslations('console.products');
    try {
      await deleteCategory(ctx.db, ctx.merchantId, String(form.get('id') ?? ''), actor(ctx));
    } catch (err) {
      if (isAppError(err) && err.fields?.category === 'in_use') return { error: t('categories.inUse') };
      throw err;
    }
    invalidateCatalog(ctx.merchantId);
    revalidatePath('/console/products/categories');
    return { ok: true, message: t('categories.deleted') };
  });
}

/** Shows (or renews, with `rotate=true`) the signing secret of a webhook-delivery product; audited. */
export async function deliverySecretAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const secret = await deliverySecretOf(ctx.db, ctx.merchantId, String(form.get('id') ?? ''), { rotate: form.get('rotate') === 'true', actor: actor(ctx) });
    return { ok: true, data: { secret } };
  });
}
