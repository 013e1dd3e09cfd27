import { getDb } from '@/db/client';
import { listWithdrawals } from '@/lib/agents';
import { AppError } from '@/lib/errors';
import { handle, json } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';
import { apiWithdrawalView } from '@/app/_lib/views';

const STATUSES = ['pending', 'approved', 'paid', 'rejected', 'cancelled'] as const;

/** The agents' withdrawals, newest first (`?status=`); `agentOwes` > 0 when a refund left the agent a debt after it asked. */
export const GET = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'agents:write');
  const status = new URL(req.url).searchParams.get('status');
  if (status && !(STATUSES as readonly string[]).includes(status))
    throw new AppError('validation_failed', 'Unknown status.', { fields: { status: 'invalid_choice' } });
  const rows = await listWithdrawals(db, { merchantId: actor.merchantId, ...(status ? { status: status as (typeof STATUSES)[number] } : {}) });
  return json({ withdrawals: rows.map(apiWithdrawalView) });
});
