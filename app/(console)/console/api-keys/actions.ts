'use server';

// API key actions. Each asks for the merchant itself; the key's owner is the session's
// merchant, never a form field. The full key goes back in this one response only: it is
// not stored, not logged, and the audit entry names the prefix.
import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { attempt, type FormState } from '@/app/(console)/action';
import { requireMerchant } from '@/app/(console)/guard';
import { recordAudit } from '@/lib/audit';
import { createApiKey, parseApiKeyInput, revokeApiKey } from '@/lib/auth/api-keys';

export async function createApiKeyAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { user, db, ip, merchantId } = await requireMerchant();
    const t = await getTranslations('console.apiKeys');
    const input = parseApiKeyInput({ name: form.get('name') ?? '', scopes: form.getAll('scopes') });
    const created = await db.transaction(async (tx) => {
      const k = await createApiKey(tx, { merchantId, name: input.name, scopes: input.scopes, createdBy: user.id });
      await recordAudit(tx, {
        merchantId,
        actorType: 'user',
        actorId: user.id,
        action: 'api_key.create',
        targetType: 'api_key',
        targetId: k.id,
        ip,
        detail: { prefix: k.prefix, name: input.name, scopes: input.scopes.join(',') },
      });
      return k;
    });
    revalidatePath('/console/api-keys');
    return { ok: true, message: t('created', { name: input.name }), data: { key: created.key, prefix: created.prefix } };
  });
}

export async function revokeApiKeyAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { user, db, ip, merchantId } = await requireMerchant();
    const t = await getTranslations('console.apiKeys');
    const id = String(form.get('apiKeyId') ?? '');
    const result = await db.transaction(async (tx) => {
      const r = await revokeApiKey(tx, merchantId, id);
      // A second click changes nothing, so it leaves no second entry.
      if (r.revoked) {
        await recordAudit(tx, {
          merchantId,
          actorType: 'user',
          actorId: user.id,
          action: 'api_key.revoke',
          targetType: 'api_key',
          targetId: id,
          ip,
          detail: { prefix: r.prefix },
        });
      }
      return r;
    });
    revalidatePath('/console/api-keys');
    return { ok: true, message: t(result.revoked ? 'revoked' : 'alreadyRevoked', { prefix: result.prefix }) };
  });
}
