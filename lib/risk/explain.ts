// The console's "test an address or e-mail" box: what the risk control would decide for an
// order from this buyer right now — the rule it matches, a throwaway domain, the unpaid
// orders it holds against the caps — with the same decision point as checkout. Nothing is
// written: no hit counted, no log entry.
import 'server-only';
import net from 'node:net';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { AppError } from '@/lib/errors';
import { unmapIpv4 } from '@/lib/ip';
import { decide, type Verdict } from './decide';
import { isDisposableEmail } from './disposable';
import { normaliseEmail } from './email';
import { riskPolicyOf, type RiskPolicy } from './policy';
import { addressKey } from './ratelimit';
import { matchRegexRules, ruleMatchQuery, severest } from './rules';

export type Explanation = {
  verdict: Verdict;
  /** Unpaid orders the buyer holds now, against the caps (null where not asked). */
  held: { byAddress: number | null; byEmail: number | null };
  policy: RiskPolicy;
};

export async function explainBuyer(db: DbOrTx, merchantId: string, input: { address?: string; email?: string }): Promise<Explanation> {
  const email = (input.email ?? '').trim().toLowerCase();
  const address = unmapIpv4((input.address ?? '').trim());
  if (!email && !address) throw new AppError('validation_failed', 'Give an address, an e-mail or both.', { fields: { address: 'required' } });
  if (email && !z.email().safeParse(email).success) throw new AppError('validation_failed', 'Not an e-mail.', { fields: { email: 'invalid_email' } });
  if (address && !net.isIP(address)) throw new AppError('validation_failed', 'Not an IP address.', { fields: { address: 'invalid_format' } });
  const key = address ? addressKey(address) : null;
  const emailNorm = email ? normaliseEmail(email) : null;
  const live = sql`merchant_id = ${merchantId} AND status = 'pending' AND expires_at > now()`;
  const [policy, [pipelined], regex, [held]] = await Promise.all([
    riskPolicyOf(db, merchantId),
    ruleMatchQuery(db, merchantId, email, address || null),
    email ? matchRegexRules(db, merchantId, email) : null,
    db.execute<{ by_address: number | null; by_email: number | null }>(sql`
      SELECT ${key ? sql`(SELECT count(*)::int FROM orders WHERE ${live} AND buyer_key = ${key})` : sql`NULL::int`} AS by_address,
             ${emailNorm ? sql`(SELECT count(*)::int FROM orders WHERE ${live} AND email_norm = ${emailNorm})` : sql`NULL::int`} AS by_email`),
  ]);
  const rule = severest(pipelined, regex);
  const verdict = decide(policy, { rule, disposableDomain: email && isDisposableEmail(email) ? email.slice(email.lastIndexOf('@') + 1) : null });
  return { verdict, held: { byAddress: held?.by_address ?? null, byEmail: held?.by_email ?? null }, policy };
}
