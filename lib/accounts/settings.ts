// A merchant's shop settings as the console edits them: the shop's name (merchants.name) and
// the merchants.settings document (notice, logo, contact, order expiry, minimum charge, e-mail sender name).
import 'server-only';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { merchants, type MerchantSettings } from '@/db/schema';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { AppError, validationError } from '@/lib/errors';
import { parseAmount } from '@/lib/money';
import { forgetDefaultMerchant } from './merchants';

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

export const merchantSettingsSchema = z.object({
  name: z.string().trim().min(1).max(80),
  notice: optionalText(500),
  // Shown on the storefront: https only, so the shop never loads mixed content or a javascript: URL.
  logoUrl: optionalText(500).refine((v) => v === undefined || (URL.canParse(v) && new URL(v).protocol === 'https:'), 'not_https'),
  contact: optionalText(200),
  contactEmail: optionalText(254).refine((v) => v === undefined || z.string().email().safeParse(v).success, 'invalid_email'),
  orderExpiryMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  // How long an order left for manual payment keeps its keys reserved; empty → the default (24).
  manualQueueHours: z
    .union([z.string(), z.number()])
    .optional()
    .transform((v) => (v === undefined || String(v).trim() === '' ? undefined : Number(v)))
    .pipe(z.number().int().min(1).max(168).optional()),
  // Typed as an amount in yuan ("0.01"), kept in minor units; empty → the default (¥0.01).
  minCharge: z
    .union([z.string(), z.number()])
    .optional()
    .transform((v) => (v === undefined || String(v).trim() === '' ? undefined : parseAmount(String(v), 'CNY')))
    .refine((v) => v !== null, 'invalid_amount')
    .refine((v) => v == null || v <= 100_000, { message: 'too_large', params: {} })
    .transform((v) => v ?? undefined),
  // Goes into the From: header as a display name: no line breaks, quotes or angle brackets.
  mailFromName: optionalText(60).refine((v) => v === undefined || !/[\r\n"<>\\]/.test(v), 'invalid_format'),
});

export type MerchantSettingsInput = z.input<typeof merchantSettingsSchema>;
type SettingKey = Exclude<keyof z.output<typeof merchantSettingsSchema>, 'name'>;
const settingKeys: SettingKey[] = ['notice', 'logoUrl', 'contact', 'contactEmail', 'orderExpiryMinutes', 'manualQueueHours', 'minCharge', 'mailFromName'];

/**
 * Saves the shop's name and settings (validated; on a validation error nothing changes).
 * Keys of the settings document that this form does not edit are kept. Audited as
 * `settings.update` with the changed field names.
 */
export async function updateMerchantSettings(db: DbOrTx, actor: Actor, input: unknown): Promise<{ changed: string[] }> {
  const merchantId = merchantOf(actor);
  const parsed = merchantSettingsSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const data = parsed.data;
  const result = await db.transaction(async (tx) => {
    const [m] = await tx.select().from(merchants).where(eq(merchants.id, merchantId)).for('update');
    if (!m) throw new AppError('not_found', 'No such merchant.');
    const settings: MerchantSettings = { ...m.settings };
    const changed: string[] = [];
    if (data.name !== m.name) changed.push('name');
    for (const key of settingKeys) {
      const value = data[key];
      if (value !== m.settings[key]) changed.push(key);
      if (value === undefined) delete settings[key];
      else (settings as Record<string, unknown>)[key] = value;
    }
    if (changed.length === 0) return { changed };
    await tx.update(merchants).set({ name: data.name, settings }).where(eq(merchants.id, merchantId));
    await recordAudit(tx, actor, { action: 'settings.update', detail: { fields: changed } });
    return { changed };
  });
  if (result.changed.length > 0) forgetDefaultMerchant();
  return result;
}
