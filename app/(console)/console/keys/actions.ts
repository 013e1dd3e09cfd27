'use server';
// The card-key page's server actions: thin adapters from the console to lib/inventory.
// Each one asks who is calling itself and acts as the session's actor, never on a merchant
// named by the form.
import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { attempt, type FormState } from '@/app/(console)/action';
import { requireMerchant } from '@/app/(console)/guard';
import { invalidateCatalog } from '@/app/_lib/catalog-cache';
import { AppError, validationError } from '@/lib/errors';
import { importKeys, MAX_VOID_PER_CALL, productStock, revealKey, voidKeys } from '@/lib/inventory';
import { KEYS_PER_CALL_MAX } from '@/lib/inventory/client';

const productId = z.guid();
const keyId = z.union([z.number().int().positive(), z.string().regex(/^\d{1,15}$/)]);

/** Shows one key once. The plaintext goes back in this response only, never into a log. */
export async function revealKeyAction(rawKeyId: unknown): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const parsed = keyId.safeParse(rawKeyId);
    if (!parsed.success) throw new AppError('not_found', 'No such key.');
    const shown = await revealKey(ctx.db, ctx.actor, { keyId: parsed.data });
    return { ok: true, data: { id: shown.id, key: shown.key } };
  });
}

const voidSchema = z.object({ productId, keyIds: z.array(keyId).min(1).max(MAX_VOID_PER_CALL) });

export async function voidKeysAction(raw: { productId: string; keyIds: (number | string)[] }): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const t = await getTranslations('console.keys');
    const parsed = voidSchema.safeParse(raw);
    if (!parsed.success) throw validationError(parsed.error.issues);
    try {
      const { voided } = await voidKeys(ctx.db, ctx.actor, parsed.data);
      invalidateCatalog(ctx.merchantId);
      return { ok: true, message: t('void.done', { count: voided }), data: { voided } };
    } catch (err) {
      // The one refusal the merchant can act on: say which rule, not "conflict".
      if (err instanceof AppError && err.code === 'conflict') return { error: t('void.notAvailable') };
      throw err;
    }
  });
}

// One call of the browser's import: at most KEYS_PER_CALL_MAX keys (a server action's body
// is capped); what a key may be and where it may go is lib/inventory's to decide.
const importSchema = z.object({
  productId,
  keys: z.array(z.string()).min(1).max(KEYS_PER_CALL_MAX),
  /** The first batch of an import: its keys reach the storefront at once (sold out → in stock). */
  first: z.boolean().optional(),
});

/**
 * One batch of an import; the browser sends a large file as many of these in a row
 * (components/console/keys/import-panel.tsx), then calls finishKeyImportAction. Each batch
 * is audited with its counts (lib/inventory). The storefront's cached listing is marked
 * stale on the first batch and at the end, not on every batch: marking it makes Next.js
 * render this page again into each action's response, which on a 100,000-key import would
 * be twenty renders for nothing.
 */
export async function importKeysBatchAction(raw: { productId: string; keys: string[]; first?: boolean }): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const parsed = importSchema.safeParse(raw);
    if (!parsed.success) throw validationError(parsed.error.issues);
    const result = await importKeys(ctx.db, ctx.actor, { productId: parsed.data.productId, keys: parsed.data.keys });
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
