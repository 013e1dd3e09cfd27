'use server';

// "Retry now" for one of the merchant's outbox rows: the row must be the session's
// merchant's (another merchant's id is not_found); the retry and its audit entry commit
// together (lib/outbox).
import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { attempt, type FormState } from '@/app/(console)/action';
import { requireMerchant } from '@/app/(console)/guard';
import { retryOutboxRow } from '@/lib/outbox';

export async function retryOutboxAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    const t = await getTranslations('console.outbox');
    const row = await retryOutboxRow(db, actor, { id: String(form.get('outboxId') ?? '') });
    revalidatePath('/console/outbox');
    return { ok: true, message: t('retried', { id: row.id }) };
  });
}
