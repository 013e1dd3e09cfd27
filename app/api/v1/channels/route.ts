import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { paymentChannels } from '@/db/schema';
import { recordAudit } from '@/lib/audit';
import { validationError } from '@/lib/errors';
import { createChannel, openChannel } from '@/lib/payments';
import { handle, json, readJson } from '../../_lib/http';
import { apiPrincipal } from '../../_lib/merchant';

const bodySchema = z.object({
  kind: z.string().min(1),
  name: z.string().trim().min(1).max(60),
  config: z.record(z.string(), z.unknown()).default({}),
  enabled: z.boolean().optional(),
  priority: z.number().int().min(-1000).max(1000).optional(),
  minAmount: z.number().int().min(0).nullish(),
  maxAmount: z.number().int().min(0).nullish(),
});

export const POST = handle(async (req: Request) => {
  const db = getDb();
  const principal = await apiPrincipal(db, req, 'channels:write');
  const parsed = bodySchema.safeParse(await readJson(req));
  if (!parsed.success) throw validationError(parsed.error.issues);
  const row = await db.transaction(async (tx) => {
    const r = await createChannel(tx, { merchantId: principal.merchantId, ...parsed.data });
    // Credentials are never written to the audit log; only what kind of channel changed.
    await recordAudit(tx, {
      merchantId: principal.merchantId,
      actorType: 'api_key',
      actorId: principal.prefix,
      action: 'channel.create',
      targetType: 'channel',
      targetId: r.id,
      detail: { kind: r.kind },
    });
    return r;
  });
  return json({ id: row.id, kind: row.kind, name: row.name, enabled: row.enabled }, 201);
});

export const GET = handle(async (req: Request) => {
  const db = getDb();
  const principal = await apiPrincipal(db, req, 'channels:write');
  const rows = await db.select().from(paymentChannels).where(eq(paymentChannels.merchantId, principal.merchantId)).orderBy(desc(paymentChannels.priority));
  return json({
    channels: rows.map((r) => {
      const c = openChannel(r);
      return { id: r.id, kind: r.kind, name: r.name, enabled: r.enabled, priority: r.priority, config: c.driver.describeConfig(c.config) };
    }),
  });
});
