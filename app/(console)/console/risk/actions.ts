'use server';
// The risk page's actions: the merchant's risk policy and its rules (lib/risk decides and audits).
import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { attempt, failure, type FormState } from '@/app/(console)/action';
import { requireMerchant } from '@/app/(console)/guard';
import type { RiskReason } from '@/lib/risk';
import { AppError } from '@/lib/errors';
import {
  createRiskRule,
  DEFAULT_RISK_POLICY,
  deleteRiskRule,
  explainBuyer,
  importRiskRules,
  MAX_IMPORT_BYTES,
  updateRiskPolicy,
  type RiskAction,
} from '@/lib/risk';

const numeric = (form: FormData, name: string) => {
  const raw = String(form.get(name) ?? '').trim();
  return /^\d{1,7}(\.\d{1,2})?$/.test(raw) ? Number(raw) : raw;
};
const POLICY_FIELDS = Object.keys(DEFAULT_RISK_POLICY);

export async function updateRiskPolicyAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    const t = await getTranslations('console.risk');
    const { changed } = await updateRiskPolicy(
      db,
      actor,
      Object.fromEntries(POLICY_FIELDS.filter((name) => form.has(name)).map((name) => [name, numeric(form, name)])),
    );
    revalidatePath('/console/risk');
    return { ok: true, message: t(changed.length ? 'saved' : 'unchanged') };
  }, 'console.risk');
}

/** Adds a rule to the block list. */
export async function createRiskRuleAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    const t = await getTranslations('console.risk');
    const duration = String(form.get('duration') ?? '');
    await createRiskRule(db, actor, {
      kind: String(form.get('kind') ?? ''),
      action: String(form.get('action') ?? '') || 'block',
      pattern: String(form.get('pattern') ?? ''),
      expiresIn: duration === '1h' || duration === '24h' || duration === '7d' ? duration : null,
      note: String(form.get('note') ?? ''),
    });
    revalidatePath('/console/risk');
    return { ok: true, message: t('rules.added') };
  }, 'console.risk');
}

/** Removes a rule. */
export async function deleteRiskRuleAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    await deleteRiskRule(db, actor, String(form.get('ruleId') ?? ''));
    revalidatePath('/console/risk');
    return { ok: true };
  });
}

export type RiskTestState = FormState & {
  result?: {
    action: RiskAction;
    score: number;
    reasons: RiskReason[];
    heldByAddress: number | null;
    heldByEmail: number | null;
    limits: { address: number; email: number; velocity: number };
  };
};

/** The test box: the decision an order from this address or e-mail would meet now. Reads only. */
export async function testRiskAction(_prev: RiskTestState, form: FormData): Promise<RiskTestState> {
  try {
    const { db, merchantId } = await requireMerchant();
    const { verdict, held, policy } = await explainBuyer(db, merchantId, {
      address: String(form.get('address') ?? ''),
      email: String(form.get('email') ?? ''),
    });
    return {
      result: {
        action: verdict.action,
        score: verdict.score,
        reasons: verdict.reasons,
        heldByAddress: held.byAddress,
        heldByEmail: held.byEmail,
        limits: { address: policy.pendingPerAddress, email: policy.pendingPerEmail, velocity: policy.velocityChallengeAbove },
      },
    };
  } catch (err) {
    return failure(err, 'console.risk');
  }
}

/** Adds the rules of an uploaded CSV file (lib/risk decides, reports bad lines and audits once). */
export async function importRiskRulesAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    const t = await getTranslations('console.risk');
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) throw new AppError('validation_failed', 'Choose a CSV file.', { fields: { file: 'required' } });
    if (file.size > MAX_IMPORT_BYTES) throw new AppError('validation_failed', 'The file is too large.', { fields: { file: 'too_large' } });
    const result = await importRiskRules(db, actor, await file.text());
    revalidatePath('/console/risk');
    return {
      ok: true,
      message: t('import.done', { added: result.added, duplicates: result.duplicates, invalid: result.invalid.length }),
      data: { invalid: result.invalid.slice(0, 20) },
    };
  }, 'console.risk');
}
