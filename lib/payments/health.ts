// Each channel's circuit breaker, in PostgreSQL so every app instance agrees (SPEC §5
// "Routing"): closed → open after 5 consecutive failures, or ≥ 50 % failures over ≥ 20 calls
// in 5 minutes; after the cooldown (60 s, doubling to 10 min) exactly one request wins the
// half-open probe lease (an atomic UPDATE; the lease lapses after 30 s so a hung probe cannot
// keep it); 3 probe successes close it, a probe failure reopens it. A failure is a provider
// call that got no usable answer (ProviderError 'unavailable'); a refusal is an answer, not a
// failure. Every change of state is audited and sent to the merchant (outbox `channel.health`).
import 'server-only';
import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/db/client';
import { recordAudit, systemActor } from '@/lib/audit';
import { enqueue } from '@/lib/outbox';

export const BREAKER = {
  consecutiveFailures: 5,
  windowMinutes: 5,
  minCalls: 20,
  failureRate: 0.5,
  cooldownS: 60,
  maxCooldownS: 600,
  probeLeaseS: 30,
  probeSuccesses: 3,
} as const;

export type CircuitState = 'closed' | 'open' | 'half_open';

/** What this request may do with a channel: call it, call it as the one half-open probe, or skip it. */
export type Admission = 'call' | 'probe' | 'skip';

/** Whether a request may call the channel's provider now. */
export async function admitCall(db: Db, channelId: string): Promise<Admission> {
  const [row] = await db.execute<{ state: CircuitState }>(sql`SELECT state FROM channel_health WHERE channel_id = ${channelId}`);
  if (!row || row.state === 'closed') return 'call';
  // Only the request whose UPDATE matches takes the probe: past the cooldown while open, or
  // while half-open with no live lease (the last probe succeeded, or hung past its lease).
  const [won] = await db.execute<{ was: CircuitState }>(sql`
    UPDATE channel_health h SET state = 'half_open', probe_lease_until = now() + make_interval(secs => ${BREAKER.probeLeaseS}),
           changed_at = CASE WHEN h.state = 'open' THEN now() ELSE h.changed_at END
      FROM (SELECT state AS was FROM channel_health WHERE channel_id = ${channelId} FOR UPDATE) old
     WHERE h.channel_id = ${channelId}
       AND ((h.state = 'open' AND h.opened_at <= now() - make_interval(secs => h.cooldown_s))
         OR (h.state = 'half_open' AND (h.probe_lease_until IS NULL OR h.probe_lease_until < now())))
 RETURNING old.was`);
  if (!won) return 'skip';
  if (won.was === 'open') await changed(db, channelId, 'open', 'half_open');
  return 'probe';
}

/** Gives a won probe lease back unused (the request did not call after all). */
export async function releaseProbe(db: Db, channelId: string): Promise<void> {
  await db.execute(sql`UPDATE channel_health SET probe_lease_until = NULL WHERE channel_id = ${channelId} AND state = 'half_open'`);
}

/** Records the outcome of a provider call made under `admission`, moving the breaker when it must. */
export async function recordCall(db: Db, channelId: string, admission: Exclude<Admission, 'skip'>, ok: boolean): Promise<void> {
  await db.execute(sql`
    INSERT INTO channel_stats (channel_id, minute, ok, fail)
    VALUES (${channelId}, date_trunc('minute', now()), ${ok ? 1 : 0}, ${ok ? 0 : 1})
    ON CONFLICT (channel_id, minute) DO UPDATE SET ok = channel_stats.ok + EXCLUDED.ok, fail = channel_stats.fail + EXCLUDED.fail`);
  if (admission === 'probe') {
    if (ok) {
      const [row] = await db.execute<{ state: CircuitState }>(sql`
        UPDATE channel_health SET probe_successes = probe_successes + 1, probe_lease_until = NULL,
               state = CASE WHEN probe_successes + 1 >= ${BREAKER.probeSuccesses} THEN 'closed' ELSE state END,
               consecutive_failures = 0,
               cooldown_s = CASE WHEN probe_successes + 1 >= ${BREAKER.probeSuccesses} THEN ${BREAKER.cooldownS} ELSE cooldown_s END,
               changed_at = CASE WHEN probe_successes + 1 >= ${BREAKER.probeSuccesses} THEN now() ELSE changed_at END
         WHERE channel_id = ${channelId} AND state = 'half_open'
     RETURNING state`);
      if (row?.state === 'closed') await changed(db, channelId, 'half_open', 'closed');
    } else {
      const [row] = await db.execute<{ cooldown_s: number }>(sql`
        UPDATE channel_health SET state = 'open', opened_at = now(), changed_at = now(), probe_lease_until = NULL, probe_successes = 0,
               cooldown_s = least(cooldown_s * 2, ${BREAKER.maxCooldownS})
         WHERE channel_id = ${channelId} AND state = 'half_open'
     RETURNING cooldown_s`);
      if (row) await changed(db, channelId, 'half_open', 'open', { cooldownS: row.cooldown_s });
    }
    return;
  }
  if (ok) {
    // Only a row with failures to forget is written: a healthy channel's calls cost no update.
    await db.execute(sql`UPDATE channel_health SET consecutive_failures = 0 WHERE channel_id = ${channelId} AND state = 'closed' AND consecutive_failures > 0`);
    return;
  }
  const [counted] = await db.execute<{ consecutive_failures: number; state: CircuitState }>(sql`
    INSERT INTO channel_health (channel_id, consecutive_failures) VALUES (${channelId}, 1)
    ON CONFLICT (channel_id) DO UPDATE SET consecutive_failures = channel_health.consecutive_failures + 1
    RETURNING consecutive_failures, state`);
  if (counted?.state !== 'closed') return;
  // Opened once (the state guard): of concurrent failures, one moves it and tells the merchant.
  const [row] = await db.execute<{ opened: boolean; failures: number }>(sql`
    WITH recent AS (
      SELECT coalesce(sum(ok), 0) AS ok, coalesce(sum(fail), 0) AS fail FROM channel_stats
       WHERE channel_id = ${channelId} AND minute > now() - make_interval(mins => ${BREAKER.windowMinutes})
    )
    UPDATE channel_health h SET state = 'open', opened_at = now(), changed_at = now(), cooldown_s = ${BREAKER.cooldownS}, probe_successes = 0
      FROM recent
     WHERE h.channel_id = ${channelId} AND h.state = 'closed'
       AND (h.consecutive_failures >= ${BREAKER.consecutiveFailures}
         OR (recent.ok + recent.fail >= ${BREAKER.minCalls} AND recent.fail >= ${BREAKER.failureRate}::float8 * (recent.ok + recent.fail)))
 RETURNING true AS opened, h.consecutive_failures AS failures`);
  if (row?.opened) await changed(db, channelId, 'closed', 'open', { consecutiveFailures: row.failures });
}

/** A change of state: audited (as the system) and sent to the merchant. */
async function changed(db: DbOrTx, channelId: string, from: CircuitState, to: CircuitState, detail: Record<string, unknown> = {}): Promise<void> {
  const [ch] = await db.execute<{ merchant_id: string; name: string; kind: string }>(
    sql`SELECT merchant_id, name, kind FROM payment_channels WHERE id = ${channelId}`,
  );
  if (!ch) return;
  await recordAudit(db, systemActor(ch.merchant_id), { action: 'channel.health', targetType: 'channel', targetId: channelId, detail: { from, to, ...detail } });
  await enqueue(db, {
    merchantId: ch.merchant_id,
    topic: 'channel.health',
    eventKey: `${channelId}:${to}:${Date.now()}`,
    payload: { channelId, channel: ch.name, kind: ch.kind, from, to, ...detail },
  });
}

export type ChannelHealthView = { state: CircuitState; openedAt: string | null; cooldownS: number; recent: { ok: number; fail: number } };

/** Each channel's breaker state and its calls of the last hour, for the console and the API. */
export async function healthOf(db: DbOrTx, channelIds: string[]): Promise<Map<string, ChannelHealthView>> {
  const out = new Map<string, ChannelHealthView>();
  if (channelIds.length === 0) return out;
  const ids = sql.join(
    channelIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const rows = await db.execute<{ id: string; state: CircuitState | null; opened_at: Date | null; cooldown_s: number | null; ok: string; fail: string }>(sql`
    SELECT c.id, h.state, h.opened_at, h.cooldown_s,
           (SELECT coalesce(sum(ok), 0) FROM channel_stats s WHERE s.channel_id = c.id AND s.minute > now() - interval '1 hour') AS ok,
           (SELECT coalesce(sum(fail), 0) FROM channel_stats s WHERE s.channel_id = c.id AND s.minute > now() - interval '1 hour') AS fail
      FROM payment_channels c LEFT JOIN channel_health h ON h.channel_id = c.id
     WHERE c.id IN (${ids})`);
  for (const r of rows) {
    out.set(r.id, {
      state: r.state ?? 'closed',
      openedAt: r.opened_at ? new Date(r.opened_at).toISOString() : null,
      cooldownS: r.cooldown_s ?? BREAKER.cooldownS,
      recent: { ok: Number(r.ok), fail: Number(r.fail) },
    });
  }
  return out;
}
