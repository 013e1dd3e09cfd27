// Who is acting: the one Actor type of the whole app. Every use case takes one, scopes its
// work by the actor's merchant (never by an id from the request) and writes it into the
// audit log. Adapters build actors (a console session, an API key, a job); domains read them.
import { AppError } from '@/lib/errors';

export type ActorKind = 'user' | 'api_key' | 'agent' | 'system';

export type Actor = {
  kind: ActorKind;
  /** The user id, the API key's prefix (`ofk_…`), or null for the system. */
  id: string | null;
  /** The merchant the actor belongs to; null for the platform admin and platform jobs. */
  merchantId: string | null;
  /** The client address the request came from, when there was a request. */
  ip: string | null;
  /** For an agent acting through its own API key: which agent (a console session is resolved from the user). */
  agentId?: string;
};

/** Work the system does by itself (seed, CLI, jobs), optionally on one merchant's behalf. */
export function systemActor(merchantId: string | null = null): Actor {
  return { kind: 'system', id: null, merchantId, ip: null };
}

/**
 * The merchant whose data the actor may change: a merchant's user, its API key or the
 * system acting for it. An agent (a reseller of that merchant) and the platform admin are
 * refused: they are not the merchant.
 */
export function merchantOf(actor: Actor): string {
  if (actor.kind === 'agent' || !actor.merchantId) throw new AppError('forbidden', 'Not allowed for this account.');
  return actor.merchantId;
}

/** The platform admin (a user with no merchant) or the system; anyone else is refused. */
export function assertPlatformOperator(actor: Actor): void {
  const admin = actor.kind === 'user' && actor.merchantId === null;
  if (!admin && actor.kind !== 'system') throw new AppError('forbidden', 'Only the platform admin may do this.');
}
