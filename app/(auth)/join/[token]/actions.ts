'use server';
// Signing up as an agent through an invite link: a thin adapter from the join form to
// lib/agents joinByInvite, which checks the link, creates the login and the agent, and
// audits it. Sign-ups are limited per address so the form cannot be used to probe which
// e-mail addresses have an account.
import { headers } from 'next/headers';
import { attempt, type FormState } from '@/app/(console)/action';
import { clientIpFrom } from '@/app/_lib/http';
import { getDb } from '@/db/client';
import { joinByInvite } from '@/lib/agents';
import { AppError } from '@/lib/errors';
import { addressKey, getLimiter, RULES } from '@/lib/risk';

export async function joinByInviteAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const db = getDb();
    const ip = clientIpFrom(await headers());
    const limit = await getLimiter(db).hit(RULES.agentJoin, addressKey(ip));
    if (!limit.ok) throw new AppError('rate_limited', 'Too many sign-ups from this address.', { retryAfter: limit.retryAfter });
    const text = (name: string) => String(form.get(name) ?? '');
    const joined = await joinByInvite(
      db,
      {
        token: text('token'),
        email: text('email'),
        password: text('password'),
        name: text('name'),
        slug: text('slug'),
        contact: text('contact'),
        note: text('note').trim() || undefined,
      },
      ip,
    );
    return { ok: true, data: { status: joined.status, slug: joined.slug } };
  }, 'console.agent.join');
}
