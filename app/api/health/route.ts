import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { outboxLagSeconds } from '@/lib/outbox';
import { json } from '../_lib/http';

export async function GET() {
  try {
    const db = getDb();
    await db.execute(sql`SELECT 1`);
    return json({ ok: true, db: 'up', outboxLag: await outboxLagSeconds(db) });
  } catch {
    return json({ ok: false, db: 'down' }, 503);
  }
}
