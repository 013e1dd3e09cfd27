'use server';
// The agent programme's server actions (merchant side): thin adapters from forms to
// lib/agents. Each asks who is calling itself and acts as the session's actor; the merchant
// is never taken from the form. Percentages and yuan are read in form-data.ts.
import QRCode from 'qrcode';
import { getLocale, getTranslations } from 'next-intl/server';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { attempt, type FormState } from '@/app/(console)/action';
import { requireMerchant } from '@/app/(console)/guard';
import { invalidateCatalog } from '@/app/_lib/catalog-cache';
import {
  AGENT_CURRENCY,
  adjustBalance,
  applyLevelTemplate,
  createAgent,
  createAgentApiKey,
  createInvite,
  decideWithdrawal,
  reviewApplication,
  revokeInvite,
  saveLevel,
  setLevelPrices,
  updateAgent,
} from '@/lib/agents';
import { revokeApiKey } from '@/lib/auth';
import { getConfig } from '@/lib/config';
import { AppError, isAppError, type FieldErrors } from '@/lib/errors';
import { isLocale } from '@/lib/i18n';
import { parseAmount } from '@/lib/money';
import { FormReader, text } from './form-data';

const SCOPE = 'console.agents';
const HOME = '/console/agents';

/** A `conflict` without fields (the row moved meanwhile) in this form's own words; anything else is rethrown. */
function conflictAs(message: string) {
  return (err: unknown): never => {
    if (isAppError(err) && err.code === 'conflict' && !err.fields) throw new AppError('conflict', message);
    throw err;
  };
}

/** The programme's pages all show balances, counts and badges: one change refreshes them all. */
function refresh(): void {
  revalidatePath(HOME, 'layout');
}

/** Creates the template's seven levels (the ranks the merchant has not set up). */
export async function applyLevelTemplateAction(_prev: FormState, _form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor, merchantId } = await requireMerchant();
    const [t, locale] = await Promise.all([getTranslations(SCOPE), getLocale()]);
    const { created } = await applyLevelTemplate(db, actor, isLocale(locale) ? locale : 'zh-CN');
    invalidateCatalog(merchantId);
    refresh();
    return { ok: true, message: created > 0 ? t('levels.templateApplied', { n: created }) : t('levels.templateNothing') };
  }, SCOPE);
}

/** Creates or changes the level of one rank. */
export async function saveLevelAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor, merchantId } = await requireMerchant();
    const t = await getTranslations(SCOPE);
    const r = new FormReader(form, AGENT_CURRENCY);
    const rank = r.rank();
    const shareMode = r.text('parentShare');
    const input = {
      rank,
      name: r.text('name'),
      discountBp: r.bp('discountBp', 0),
      minMarkupBp: r.bp('minMarkupBp', 0),
      maxMarkupBp: r.bp('maxMarkupBp', 0),
      allowBelowRetail: r.checked('allowBelowRetail'),
      holdHours: r.whole('holdHours', 0),
      withdrawMin: r.amount('withdrawMin', 0),
      withdrawFeeBp: r.bp('withdrawFeeBp', 0),
      parentShare: shareMode,
      parentShareBp: shareMode === 'percent' ? r.bp('parentShareBp', 0) : 0,
    };
    r.refuse();
    const level = await saveLevel(db, actor, input as Parameters<typeof saveLevel>[2]);
    invalidateCatalog(merchantId);
    refresh();
    return { ok: true, message: t('levels.saved', { rank: level.rank, name: level.name }) };
  }, SCOPE);
}

/**
 * One level's product costs and visibility. The form posts only the rows the merchant
 * changed, as parallel lists (productId[i], cost[i], visible[i]); a refused row's message is
 * keyed by its product (`cost:{productId}`) so the table shows it on that row.
 */
export async function setLevelPricesAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor, merchantId } = await requireMerchant();
    const t = await getTranslations(SCOPE);
    const r = new FormReader(form, AGENT_CURRENCY);
    const rank = r.rank();
    const ids = form.getAll('productId').map(String);
    const costs = form.getAll('cost').map(String);
    const visibility = form.getAll('visible').map(String);
    if (ids.length === 0) return { error: t('prices.nothingChanged') };
    const errors: FieldErrors = {};
    const prices = ids.map((productId, i) => {
      const raw = (costs[i] ?? '').trim();
      let cost: number | null = null;
      if (raw !== '') {
        cost = parseAmount(raw, AGENT_CURRENCY);
        if (cost === null) errors[`cost:${productId}`] = { code: 'invalid_amount' };
      }
      const v = visibility[i];
      return { productId, cost, visible: v === 'shown' ? true : v === 'hidden' ? false : null };
    });
    r.refuse();
    if (Object.keys(errors).length > 0) throw new AppError('validation_failed', 'Invalid prices.', { fields: errors });
    try {
      await setLevelPrices(db, actor, { rank: rank!, prices });
    } catch (err) {
      // `prices.{i}.cost` → the row's product, with the bound as an amount.
      if (isAppError(err) && err.fields) {
        const fields: FieldErrors = {};
        for (const [key, e] of Object.entries(err.fields)) {
          const m = /^prices\.(\d+)\.(cost|productId|visible)$/.exec(key);
          fields[m ? `${m[2] === 'visible' ? 'visible' : 'cost'}:${prices[Number(m[1])]?.productId}` : key] = m ? { ...e, currency: AGENT_CURRENCY } : e;
        }
        throw new AppError(err.code, err.message, { fields });
      }
      throw err;
    }
    invalidateCatalog(merchantId);
    refresh();
    return { ok: true, message: t('prices.saved', { n: prices.length }) };
  }, SCOPE);
}

/** The merchant creates an agent directly (active at once), optionally with its console login; then opens it. */
export async function createAgentAction(_prev: FormState, form: FormData): Promise<FormState> {
  let goTo: string | null = null;
  const state = await attempt(async () => {
    const { db, actor } = await requireMerchant();
    const r = new FormReader(form, AGENT_CURRENCY);
    const rank = r.rank();
    r.refuse();
    const email = r.text('email');
    const password = String(form.get('password') ?? '');
    const agent = await createAgent(db, actor, {
      slug: r.text('slug'),
      name: r.text('name'),
      rank,
      parentId: r.text('parentId') || null,
      contact: r.text('contact') || undefined,
      ...(email || password ? { email: email || undefined, password: password || undefined } : {}),
    });
    refresh();
    goTo = `${HOME}/${agent.id}?created=1`;
  }, SCOPE);
  if (goTo) redirect(goTo);
  return state;
}

/** Approves an application (at the level chosen, the requested one by default) or rejects it with a reason. */
export async function reviewApplicationAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    const t = await getTranslations(SCOPE);
    const decision = text(form, 'decision') === 'reject' ? 'reject' : 'approve';
    const rank = text(form, 'rank');
    const agent = await reviewApplication(db, actor, {
      id: text(form, 'agentId'),
      decision,
      rank: decision === 'approve' && /^[1-7]$/.test(rank) ? Number(rank) : undefined,
      reason: text(form, 'reason') || undefined,
      ...(decision === 'approve' && form.get('detachParent') === 'on' ? { parentId: null } : {}),
    }).catch(conflictAs(t('applications.decidedAlready')));
    refresh();
    return { ok: true, message: t(decision === 'approve' ? 'applications.approved' : 'applications.rejected', { name: agent.name }) };
  }, SCOPE);
}

/** Changes an agent's level, status (active | suspended) and parent. */
export async function updateAgentAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    const t = await getTranslations(SCOPE);
    const r = new FormReader(form, AGENT_CURRENCY);
    const rank = r.rank();
    const status = r.text('status');
    if (status !== 'active' && status !== 'suspended') r.errors.status = { code: 'invalid_choice' };
    r.refuse();
    // Only what the merchant changed is sent: an unchanged parent is not checked again.
    const parentId = r.text('parentId') || null;
    const changed = {
      ...(String(rank) !== r.text('wasRank') ? { rank } : {}),
      ...(status !== r.text('wasStatus') ? { status: status as 'active' | 'suspended' } : {}),
      ...(parentId !== (r.text('wasParentId') || null) ? { parentId } : {}),
    };
    if (Object.keys(changed).length === 0) return { ok: true, message: t('agent.unchanged') };
    await updateAgent(db, actor, { id: r.text('agentId'), ...changed }).catch(conflictAs(t('agent.reviewFirst')));
    refresh();
    return { ok: true, message: t('agent.updated') };
  }, SCOPE);
}

/** A manual credit (positive) or debit (negative) of an agent's available balance, with a reason. */
export async function adjustBalanceAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    const t = await getTranslations(SCOPE);
    const r = new FormReader(form, AGENT_CURRENCY);
    const amount = r.signedAmount('amount');
    r.refuse();
    await adjustBalance(db, actor, { agentId: r.text('agentId'), amount: amount!, reason: r.text('reason') });
    refresh();
    return { ok: true, message: t(amount! > 0 ? 'adjust.credited' : 'adjust.debited') };
  }, SCOPE);
}

/** An API key for one of the merchant's agents; the key goes back in this one response only. */
export async function createAgentApiKeyAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    const t = await getTranslations(SCOPE);
    const issued = await createAgentApiKey(db, actor, { agentId: text(form, 'agentId'), name: text(form, 'name') });
    revalidatePath(`${HOME}/${text(form, 'agentId')}`);
    return { ok: true, message: t('apiKeys.created'), data: { key: issued.key, prefix: issued.prefix } };
  }, SCOPE);
}

/** Revokes one of an agent's API keys (the merchant's keys, agents' included, are the merchant's to revoke). */
export async function revokeAgentApiKeyAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    const t = await getTranslations(SCOPE);
    const result = await revokeApiKey(db, actor, { id: text(form, 'apiKeyId') });
    revalidatePath(`${HOME}/${text(form, 'agentId')}`);
    return { ok: true, message: t('apiKeys.revokedKey', { prefix: result.prefix }) };
  }, SCOPE);
}

/** Creates an invite link; the whole link (and its QR code) go back in this one response only. */
export async function createInviteAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    const t = await getTranslations(SCOPE);
    const r = new FormReader(form, AGENT_CURRENCY);
    const rank = r.rank();
    const maxUses = r.whole('maxUses');
    const expiresAt = r.endOfDay('expiresAt');
    r.refuse();
    const invite = await createInvite(db, actor, { rank: rank!, maxUses, expiresAt, autoApprove: r.checked('autoApprove') });
    const url = `${getConfig().appUrl}${invite.path}`;
    const qr = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1, width: 176 });
    refresh();
    return { ok: true, message: t('invites.created'), data: { url, qr: `data:image/svg+xml;base64,${Buffer.from(qr).toString('base64')}` } };
  }, SCOPE);
}

/** Revokes an invite link: nobody can join through it any more. */
export async function revokeInviteAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    const t = await getTranslations(SCOPE);
    await revokeInvite(db, actor, { id: text(form, 'inviteId') });
    refresh();
    return { ok: true, message: t('invites.revoked') };
  }, SCOPE);
}

/** Approves, pays (with the payment reference) or rejects (with a reason) an agent's withdrawal. */
export async function decideWithdrawalAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    const t = await getTranslations(SCOPE);
    const raw = text(form, 'decision');
    const decision = raw === 'pay' || raw === 'reject' ? raw : 'approve';
    await decideWithdrawal(db, actor, {
      id: text(form, 'withdrawalId'),
      decision,
      reference: decision === 'pay' ? text(form, 'reference') || undefined : undefined,
      reason: decision === 'reject' ? text(form, 'reason') || undefined : undefined,
    }).catch(conflictAs(t('withdrawals.moved')));
    refresh();
    return { ok: true, message: t(`withdrawals.done.${decision}`) };
  }, SCOPE);
}
