'use server';

// "Retry now" for one of the merchant's outbox rows. The row must be the session's
// merchant's (another merchant's id is not_found); the retry and its audit entry commit together.
import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { attempt, type FormState } from '@/app/(console)/action';
import { requireMerchant } from '@/app/(console)/guard';
import { recordAudit } from '@/lib/audit';
import { retryOutboxRow } from '@/lib/outbox';

export async function retryOutboxAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { user, db, ip, merchantId } = await requireMerchant();
    const t = await getTranslations('console.outbox');
    const id = String(form.get('outboxId') ?? '');
    const row = await db.transaction(async (tx) => {
      const r = await retryOutboxRow(tx, merchantId, id);
      await recordAudit(tx, {
        merchantId,
        actorType: 'user',
        actorId: user.id,
        action: 'outbox.retry',
        targetType: 'outbox',
        targetId: String(r.id),
        ip,
        detail: { topic: r.topic, consumer: r.consumer, from: r.from },
      });
      return r;
    });
    revalidatePath('/console/outbox');
    return { ok: true, message: t('retried', { id: row.id }) };
  });
}
