'use server';

// Notification endpoints: each action asks for the merchant itself and passes the
// session's merchant to lib/notify, which scopes every row to it.
import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { attempt, type FormState } from '@/app/(console)/action';
import { requireMerchant } from '@/app/(console)/guard';
import { AppError } from '@/lib/errors';
import { createEndpoint, deleteEndpoint, sendTestEvent, setEndpointEnabled } from '@/lib/notify';
import { getLimiter, RULES } from '@/lib/risk/ratelimit';

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

export async function createEndpointAction(_prev: FormState, form: FormData): Promise<FormState> {
  const t = await getTranslations('console.webhooks');
  const state = await attempt(async () => {
    const { user, db, ip, merchantId } = await requireMerchant();
    const kind = text(form, 'kind');
    const base = { kind, name: text(form, 'name'), events: form.getAll('events').map(String) };
    const endpoint =
      kind === 'telegram'
        ? { ...base, botToken: text(form, 'botToken'), chatId: text(form, 'chatId') }
        : kind === 'bark'
          ? { ...base, url: text(form, 'url') || undefined, deviceKey: text(form, 'deviceKey') }
          : { ...base, url: text(form, 'url') };
    const created = await db.transaction((tx) => createEndpoint(tx, { merchantId, actorId: user.id, ip, endpoint }));
    revalidatePath('/console/webhooks');
    return { ok: true, message: t('created', { name: created.endpoint.name }), data: created.secret ? { secret: created.secret } : undefined };
  });
  // URL problems have their own words (https needed, no internal addresses).
  if (state.fields) {
    const raw = await rawUrlReason(form);
    if (raw && state.fields.url) state.fields.url = t(`fields.${raw}`);
  }
  return state;
}

async function rawUrlReason(form: FormData): Promise<string | null> {
  const { validateOutboundUrl } = await import('@/lib/notify');
  const url = text(form, 'url');
  if (!url) return null;
  const checked = validateOutboundUrl(url);
  return checked.ok ? null : checked.reason;
}

function endpointId(form: FormData): string {
  const id = text(form, 'endpointId');
  if (!id) throw new AppError('not_found', 'No such endpoint.');
  return id;
}

export async function toggleEndpointAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { user, db, ip, merchantId } = await requireMerchant();
    const t = await getTranslations('console.webhooks');
    await db.transaction((tx) => setEndpointEnabled(tx, { merchantId, id: endpointId(form), enabled: form.get('enabled') === 'true', actorId: user.id, ip }));
    revalidatePath('/console/webhooks');
    return { ok: true, message: t('toggled') };
  });
}

export async function testEndpointAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, merchantId } = await requireMerchant();
    const t = await getTranslations('console.webhooks');
    const limit = await getLimiter(db).hit(RULES.webhookTest, merchantId);
    if (!limit.ok) throw new AppError('rate_limited', 'Too many test events.', { retryAfter: limit.retryAfter });
    await sendTestEvent(db, { merchantId, id: endpointId(form) });
    revalidatePath('/console/webhooks');
    return { ok: true, message: t('testQueued') };
  });
}

export async function deleteEndpointAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { user, db, ip, merchantId } = await requireMerchant();
    const t = await getTranslations('console.webhooks');
    await db.transaction((tx) => deleteEndpoint(tx, { merchantId, id: endpointId(form), actorId: user.id, ip }));
    revalidatePath('/console/webhooks');
    return { ok: true, message: t('deleted') };
  });
}
