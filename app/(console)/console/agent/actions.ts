'use server';
// The agent pages' server actions: thin adapters from forms to lib/agents. Each asks who is
// calling itself (an agent's login) and acts as the session's actor; which agent it is comes
// from that actor (lib/agents actingAgent), never from the form.
import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { attempt, type FormState } from '@/app/(console)/action';
import { requireRole } from '@/app/(console)/guard';
import { invalidateCatalog } from '@/app/_lib/catalog-cache';
import {
  AGENT_CURRENCY,
  createAgentApiKey,
  createInvite,
  decideWithdrawal,
  requestWithdrawal,
  revokeInvite,
  setAgentProduct,
  updateAgentShop,
  WITHDRAWAL_METHODS,
} from '@/lib/agents';
import { getConfig } from '@/lib/config';
import { AppError, isAppError } from '@/lib/errors';
import { parseAmount } from '@/lib/money';

const SCOPE = 'console.agent';

const text = (form: FormData, name: string) => String(form.get(name) ?? '');

/** The shop's name, notice, contact and logo (https only). */
export async function updateAgentShopAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireRole('agent');
    const t = await getTranslations(SCOPE);
    await updateAgentShop(db, actor, {
      name: text(form, 'name'),
      notice: text(form, 'notice'),
      contact: text(form, 'contact'),
      logoUrl: text(form, 'logoUrl'),
    });
    revalidatePath('/console', 'layout');
    return { ok: true, message: t('shopPage.saved') };
  }, SCOPE);
}

/** A markup typed as a percentage ("15", "12.5") → basis points, or null when it is not one. */
function percentToBp(value: string): number | null {
  const m = /^(\d{1,4})(?:\.(\d{0,2}))?$/.exec(value.trim().replace(/%$/, ''));
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : null;
}

/**
 * One product of the agent's shop: listed or not (`mode=listed`), back to retail
 * (`mode=retail`), a markup in percent (`mode=markup`) or a sale price (`mode=price`).
 */
export async function setAgentProductAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireRole('agent');
    const t = await getTranslations(SCOPE);
    const productId = text(form, 'productId');
    const mode = text(form, 'mode');
    const value = text(form, 'value');
    let input: Parameters<typeof setAgentProduct>[2];
    if (mode === 'listed') input = { productId, listed: text(form, 'listed') === 'true' };
    else if (mode === 'retail') input = { productId, markupBp: null };
    else if (mode === 'markup') {
      const markupBp = percentToBp(value);
      if (markupBp === null) throw new AppError('validation_failed', 'Not a percentage.', { fields: { markupBp: 'invalid' } });
      input = { productId, markupBp };
    } else if (mode === 'price') {
      const price = parseAmount(value, text(form, 'currency') || AGENT_CURRENCY);
      if (price === null) throw new AppError('validation_failed', 'Not an amount.', { fields: { price: 'invalid_amount' } });
      input = { productId, price };
    } else throw new AppError('validation_failed', 'Unknown change.', { fields: { mode: 'invalid_choice' } });
    const saved = await setAgentProduct(db, actor, input);
    // The agent's shop lists from the merchant's cached catalogue.
    invalidateCatalog(actor.merchantId!);
    revalidatePath('/console/agent/products');
    return { ok: true, message: t(mode === 'listed' ? (saved.listed ? 'products.listedOn' : 'products.listedOff') : 'products.saved') };
  }, SCOPE);
}

const WITHDRAWAL_REFUSALS = ['insufficient_balance', 'withdrawal_open', 'owes_money'];

/** A payout request out of the available balance; the money is held until the merchant pays or rejects it. */
export async function requestWithdrawalAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireRole('agent');
    const t = await getTranslations(SCOPE);
    const amount = parseAmount(text(form, 'amount'), AGENT_CURRENCY);
    if (amount === null || amount === 0)
      throw new AppError('validation_failed', 'Not an amount.', { fields: { amount: amount === 0 ? 'required' : 'invalid_amount' } });
    const method = text(form, 'method');
    try {
      await requestWithdrawal(db, actor, {
        amount,
        method: method as (typeof WITHDRAWAL_METHODS)[number],
        account: text(form, 'account'),
        accountName: text(form, 'accountName'),
      });
    } catch (err) {
      // Refusals about the agent's money, not its input: said in the page's own words.
      if (isAppError(err) && WITHDRAWAL_REFUSALS.includes(err.code)) return { error: t(`money.refusals.${err.code}`) };
      throw err;
    }
    revalidatePath('/console/agent/money');
    revalidatePath('/console');
    return { ok: true, message: t('money.requested') };
  }, SCOPE);
}

/** The agent withdraws its own pending request; the held money is available again. */
export async function cancelWithdrawalAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireRole('agent');
    const t = await getTranslations(SCOPE);
    await decideWithdrawal(db, actor, { id: text(form, 'id'), decision: 'cancel' });
    revalidatePath('/console/agent/money');
    revalidatePath('/console');
    return { ok: true, message: t('money.cancelled') };
  }, SCOPE);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** An invite link for sub-agents at or below the agent's own rank; the full link is returned this once. */
export async function createInviteAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireRole('agent');
    const t = await getTranslations(SCOPE);
    const rank = Number(text(form, 'rank'));
    const maxUsesText = text(form, 'maxUses').trim();
    const maxUses = maxUsesText === '' ? null : Number(maxUsesText);
    if (maxUses !== null && !Number.isInteger(maxUses)) throw new AppError('validation_failed', 'Not a number.', { fields: { maxUses: 'not_integer' } });
    const days = Number(text(form, 'validDays'));
    const created = await createInvite(db, actor, {
      rank,
      maxUses,
      expiresAt: days > 0 ? new Date(Date.now() + days * DAY_MS) : null,
      autoApprove: form.get('autoApprove') === 'on',
    });
    revalidatePath('/console/agent/team');
    return { ok: true, message: t('team.invites.done'), data: { url: `${getConfig().appUrl}${created.path}` } };
  }, SCOPE);
}

export async function revokeInviteAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireRole('agent');
    const t = await getTranslations(SCOPE);
    await revokeInvite(db, actor, { id: text(form, 'id') });
    revalidatePath('/console/agent/team');
    return { ok: true, message: t('team.invites.revokedMessage') };
  }, SCOPE);
}

/** The agent's own key for the agent API (/api/v1/agent); the key goes back in this one response only. */
export async function createAgentApiKeyAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireRole('agent');
    const t = await getTranslations(SCOPE);
    const created = await createAgentApiKey(db, actor, { name: text(form, 'name') });
    revalidatePath('/console/agent/team');
    return { ok: true, message: t('team.apiKey.created'), data: { key: created.key, prefix: created.prefix } };
  }, SCOPE);
}
