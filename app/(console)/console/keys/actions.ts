'use server';
// The card-key page's server actions: thin adapters from the console to lib/inventory.
// Each one asks who is calling itself; the merchant comes from the session, never the form.
import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { recordAudit } from '@/lib/audit';
import { attempt, type FormState } from '@/app/(console)/action';
import { requireMerchant } from '@/app/(console)/guard';
import { invalidateCatalog } from '@/app/api/_lib/catalog-cache';
import { AppError, fieldsFromZod } from '@/lib/errors';
import { importMerchantKeys, MAX_KEY_LENGTH, MAX_VOID_PER_CALL, productStock, revealKey, voidKeys } from '@/lib/inventory';
import { KEYS_PER_CALL_MAX } from '@/lib/inventory/batching';

const productId = z.string().uuid();
const keyId = z.union([z.number().int().positive(), z.string().regex(/^\d{1,15}$/)]);

function invalid(issues: readonly { path: readonly PropertyKey[]; message: string }[]): never {
  throw new AppError('validation_failed', 'Invalid input.', { fields: fieldsFromZod(issues) });
}

/** Shows one key once. The plaintext goes back in this response only, never into a log. */
export async function revealKeyAction(rawKeyId: unknown): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const parsed = keyId.safeParse(rawKeyId);
    if (!parsed.success) throw new AppError('not_found', 'No such key.');
    const shown = await revealKey(ctx.db, { merchantId: ctx.merchantId, keyId: parsed.data, actorId: ctx.user.id, ip: ctx.ip });
    return { ok: true, data: { id: shown.id, key: shown.key } };
  });
}

const voidSchema = z.object({ productId, keyIds: z.array(keyId).min(1).max(MAX_VOID_PER_CALL) });

export async function voidKeysAction(raw: { productId: string; keyIds: (number | string)[] }): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const t = await getTranslations('console.keys');
    const parsed = voidSchema.safeParse(raw);
    if (!parsed.success) invalid(parsed.error.issues);
    try {
      const { voided } = await voidKeys(ctx.db, { merchantId: ctx.merchantId, ...parsed.data, actorId: ctx.user.id, ip: ctx.ip });
      invalidateCatalog(ctx.merchantId);
      return { ok: true, message: t('void.done', { count: voided }), data: { voided } };
    } catch (err) {
      // The one refusal the merchant can act on: say which rule, not "conflict".
      if (err instanceof AppError && err.code === 'conflict') return { error: t('void.notAvailable') };
      throw err;
    }
  });
}

const importSchema = z.object({
  productId,
  keys: z.array(z.string().max(MAX_KEY_LENGTH)).min(1).max(KEYS_PER_CALL_MAX),
  /** The first batch of an import: its keys reach the storefront at once (sold out → in stock). */
  first: z.boolean().optional(),
});

/**
 * One batch of an import; the browser sends a large file as many of these in a row
 * (components/console/keys/import-panel.tsx), then calls finishKeyImportAction.
 * The storefront's cached listing is marked stale on the first batch and at the end, not
 * on every batch: marking it makes Next.js render this page again into each action's
 * response, which on a 100,000-key import would be twenty renders for nothing.
 */
export async function importKeysBatchAction(raw: { productId: string; keys: string[]; first?: boolean }): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const parsed = importSchema.safeParse(raw);
    if (!parsed.success) invalid(parsed.error.issues);
    const result = await importMerchantKeys(ctx.db, { merchantId: ctx.merchantId, productId: parsed.data.productId, keys: parsed.data.keys });
    // One entry per batch, with the counts the server saw (never the keys).
    await recordAudit(ctx.db, {
      merchantId: ctx.merchantId,
      actorType: 'user',
      actorId: ctx.user.id,
      action: 'key.import',
      targetType: 'product',
      targetId: parsed.data.productId,
      ip: ctx.ip,
      detail: { imported: result.imported, duplicates: result.duplicates },
    });
    if (parsed.data.first && result.imported > 0) invalidateCatalog(ctx.merchantId);
    return { ok: true, data: result };
  });
}

/** The end of an import (finished, stopped or failed): the storefront's stock refreshes. */
export async function finishKeyImportAction(rawProductId: unknown): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const parsed = productId.safeParse(rawProductId);
    if (!parsed.success) throw new AppError('not_found', 'No such product.');
    await productStock(ctx.db, { merchantId: ctx.merchantId, productId: parsed.data });
    invalidateCatalog(ctx.merchantId);
  });
}
