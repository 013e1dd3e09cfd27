'use server';
// The product and category pages' server actions: thin adapters from forms to lib/catalog.
// Each asks who is calling itself and acts as the session's actor; the merchant is never
// taken from the form. After a change the storefront's cached listing is marked stale.
import { getTranslations } from 'next-intl/server';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { attempt, type FormState } from '@/app/(console)/action';
import { requireMerchant } from '@/app/(console)/guard';
import { invalidateCatalog } from '@/app/_lib/catalog-cache';
import {
  createCategory,
  createProduct,
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
import { readProductForm } from './form-data';

const SCOPE = 'console.products';
const id = (form: FormData) => String(form.get('id') ?? '');

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
      const more = rest.success ? {} : fieldsFromZod(rest.error.issues);
      // zod skips the object's refinements while a field is bad; this one is worth saying now.
      if (typeof input.minQty === 'number' && typeof input.maxQty === 'number' && input.minQty > input.maxQty) more.maxQty ??= { code: 'below_minimum' };
      throw new AppError('validation_failed', 'Invalid form.', { fields: { ...more, ...errors } });
    }
    if (id(form)) await updateProduct(ctx.db, ctx.actor, id(form), input);
    else createdId = (await createProduct(ctx.db, ctx.actor, input)).id;
    invalidateCatalog(ctx.merchantId);
    revalidatePath('/console/products');
    return { ok: true, message: t('form.saved') };
  }, SCOPE);
  if (createdId) redirect(`/console/products/${createdId}?created=1`);
  return state;
}

/** Switches a product on or off from the list. */
export async function toggleProductAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    await setProductActive(ctx.db, ctx.actor, { productId: id(form), active: String(form.get('active')) === 'true' });
    invalidateCatalog(ctx.merchantId);
    revalidatePath('/console/products');
    return { ok: true };
  });
}

const direction = (form: FormData) => String(form.get('direction')) as 'up' | 'down';

/** Moves a product one place up or down in the shop's order. */
export async function moveProductAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    await moveProduct(ctx.db, ctx.actor, { productId: id(form), direction: direction(form) });
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
    await createCategory(ctx.db, ctx.actor, categoryInput(form));
    invalidateCatalog(ctx.merchantId);
    revalidatePath('/console/products/categories');
    return { ok: true, message: t('categories.created') };
  }, 'console.products.categories');
}

export async function updateCategoryAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const t = await getTranslations('console.products');
    await updateCategory(ctx.db, ctx.actor, id(form), categoryInput(form));
    invalidateCatalog(ctx.merchantId);
    revalidatePath('/console/products/categories');
    return { ok: true, message: t('categories.renamed') };
  }, 'console.products.categories');
}

export async function moveCategoryAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    await moveCategory(ctx.db, ctx.actor, { categoryId: id(form), direction: direction(form) });
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
      await deleteCategory(ctx.db, ctx.actor, id(form));
    } catch (err) {
      if (isAppError(err) && err.fields?.category?.code === 'in_use') return { error: t('categories.inUse') };
      throw err;
    }
    invalidateCatalog(ctx.merchantId);
    revalidatePath('/console/products/categories');
    return { ok: true, message: t('categories.deleted') };
  });
}

/** Shows (or renews, with `rotate=true`) the signing secret of a dynamic-delivery product; audited. */
export async function deliverySecretAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const secret = await deliverySecretOf(ctx.db, ctx.actor, { productId: id(form), rotate: form.get('rotate') === 'true' });
    return { ok: true, data: { secret } };
  });
}
