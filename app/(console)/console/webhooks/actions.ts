'use server';

// Notification endpoints: each action asks for the merchant itself and acts as the
// session's actor; lib/webhooks scopes every row to the actor's merchant.
import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { attempt, type FormState } from '@/app/(console)/action';
import { requireMerchant } from '@/app/(console)/guard';
import { createEndpoint, deleteEndpoint, sendTestEvent, setEndpointEnabled } from '@/lib/webhooks';

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

export async function createEndpointAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    const t = await getTranslations('console.webhooks');
    const kind = text(form, 'kind');
    const base = { kind, name: text(form, 'name'), events: form.getAll('events').map(String) };
    const endpoint =
      kind === 'telegram'
        ? { ...base, botToken: text(form, 'botToken'), chatId: text(form, 'chatId') }
        : kind === 'bark'
          ? { ...base, url: text(form, 'url') || undefined, deviceKey: text(form, 'deviceKey') }
          : { ...base, url: text(form, 'url') };
    const created = await createEndpoint(db, actor, endpoint);
    revalidatePath('/console/webhooks');
    return { ok: true, message: t('created', { name: created.endpoint.name }), data: created.secret ? { secret: created.secret } : undefined };
  }, 'console.webhooks');
}

export async function toggleEndpointAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    const t = await getTranslations('console.webhooks');
    await setEndpointEnabled(db, actor, { id: text(form, 'endpointId'), enabled: form.get('enabled') === 'true' });
    revalidatePath('/console/webhooks');
    return { ok: true, message: t('toggled') };
  });
}

export async function testEndpointAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    const t = await getTranslations('console.webhooks');
    await sendTestEvent(db, actor, { id: text(form, 'endpointId') });
    revalidatePath('/console/webhooks');
    return { ok: true, message: t('testQueued') };
  });
}

export async function deleteEndpointAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    const t = await getTranslations('console.webhooks');
    await deleteEndpoint(db, actor, { id: text(form, 'endpointId') });
    revalidatePath('/console/webhooks');
    return { ok: true, message: t('deleted') };
  });
}
