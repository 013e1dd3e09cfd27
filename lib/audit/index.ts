// The audit log: who did what to which row, when and from where. Written in the same
// transaction as the action it records where there is one.
import 'server-only';
import type { DbOrTx } from '@/db/client';
import { auditLog } from '@/db/schema';

export type AuditEntry = {
  merchantId: string | null;
  actorType: 'user' | 'api_key' | 'system';
  actorId?: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  ip?: string | null;
  detail?: Record<string, unknown>;
  success?: boolean;
};

export async function recordAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    merchantId: entry.merchantId,
    actorType: entry.actorType,
    actorId: entry.actorId ?? null,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    ip: entry.ip ?? null,
    detail: entry.detail ?? {},
    success: entry.success ?? true,
  });
}
