import { getDb } from '@/db/client';
import { getConfig } from '@/lib/config';
import { createInvite, listInvites } from '@/lib/agents';
import { handle, json, readJson } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';

/** An invite link: `{"rank", "maxUses"?, "expiresAt"?, "autoApprove"?}` → `{"id", "url"}` (the URL is shown once). */
export const POST = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'agents:write');
  const invite = await createInvite(db, actor, (await readJson(req)) as never);
  return json({ id: invite.id, url: `${getConfig().appUrl}${invite.path}` }, 201);
});

/** The merchant's invites (the links themselves are not kept). */
export const GET = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'agents:write');
  return json({ invites: await listInvites(db, { merchantId: actor.merchantId }) });
});
