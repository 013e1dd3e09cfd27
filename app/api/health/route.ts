import { json } from '@/app/_lib/http';
import { getDb } from '@/db/client';
import { outboxLagSeconds } from '@/lib/outbox';

// One query answers both questions: the database answers, and how far the outbox lags.
export async function GET() {
  try {
    return json({ ok: true, db: 'up', outboxLag: await outboxLagSeconds(getDb()) });
  } catch {
    return json({ ok: false, db: 'down' }, 503);
  }
}
