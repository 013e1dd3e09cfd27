'use server';

// API key actions. Each asks for the merchant itself and acts as the session's actor. The
// full key goes back in this one response only: it is not stored, not logged, and the
// audit entry (lib/auth) names the prefix.
import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { attempt, type FormState } from '@/app/(console)/action';
import { requireMerchant } from '@/app/(console)/guard';
import { createApiKey, revokeApiKey } from '@/lib/auth';

export async function createApiKeyAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    const t = await getTranslations('console.apiKeys');
    const created = await createApiKey(db, actor, { name: form.get('name') ?? '', scopes: form.getAll('scopes') });
    revalidatePath('/console/api-keys');
    return { ok: true, message: t('created', { name: created.name }), data: { key: created.key, prefix: created.prefix } };
  }, 'console.apiKeys');
}

export async function revokeApiKeyAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    const t = await getTranslations('console.apiKeys');
    const result = await revokeApiKey(db, actor, { id: String(form.get('apiKeyId') ?? '') });
    revalidatePath('/console/api-keys');
    return { ok: true, message: t(result.revoked ? 'revoked' : 'alreadyRevoked', { prefix: result.prefix }) };
  });
}
