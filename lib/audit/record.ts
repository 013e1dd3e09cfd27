import 'server-only';
import type { DbOrTx } from '@/db/client';
import { auditLog } from '@/db/schema';
import type { Actor } from './actor';

export type AuditEntry = {
  action: string;
  targetType?: string;
  targetId?: string;
  detail?: Record<string, unknown>;
  success?: boolean;
  /** The merchant the entry belongs to, when not the actor's own (the admin acting on a merchant). */
  merchantId?: string | null;
};

/**
 * Writes one audit row. Use cases call it inside their own transaction, so a change is
 * never committed without its record (nor a record without its change). Never put a
 * secret (a key, a password, a credential) into `detail`.
 */
export async function recordAudit(db: DbOrTx, actor: Actor, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    merchantId: entry.merchantId !== undefined ? entry.merchantId : actor.merchantId,
    actorType: actor.kind,
    actorId: actor.id,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    ip: actor.ip,
    detail: entry.detail ?? {},
    success: entry.success ?? true,
  });
}
