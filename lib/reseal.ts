// Re-sealing every secret at rest under the newest KEY_ENCRYPTION_KEY, bound to its row
// (lib/crypto contexts), so an old key can be retired: card keys, channel configs, webhook
// credentials, dynamic-delivery signing secrets, hand-delivered order contents and the
// stored fingerprint key. Runs while the shop serves: rows go in keyset batches, each
// batch's UPDATE only replaces a value that is still the one read (a value changed in the
// meantime was sealed anew by its writer), and nothing is ever decrypted into a log.
// `npm run cli -- reseal` runs it; `--check` only counts.
import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { recordAudit, systemActor } from '@/lib/audit';
import { currentSealKeyId, open, openFromText, seal, sealedFromText, sealedIn, sealToText, type SealContext } from '@/lib/crypto';
import { FINGERPRINT_SETTING } from '@/lib/inventory';

const BATCH = 500;

/** A text column holding `keyId:base64` values, with what each row's context is made of. */
type TextColumn = { name: string; table: string; column: string; context: (r: { id: string; merchantId: string }) => SealContext };

const TEXT_COLUMNS: TextColumn[] = [
  { name: 'channelConfigs', table: 'payment_channels', column: 'config', context: sealedIn.channelConfig },
  { name: 'webhookCredentials', table: 'webhook_endpoints', column: 'credentials', context: sealedIn.webhookCredentials },
  { name: 'deliverySecrets', table: 'products', column: 'delivery_secret', context: sealedIn.deliverySecret },
  { name: 'manualDeliveries', table: 'orders', column: 'manual_delivery', context: sealedIn.manualDelivery },
];

export type ResealCounts = Record<'cardKeys' | 'channelConfigs' | 'webhookCredentials' | 'deliverySecrets' | 'manualDeliveries' | 'settings', number>;

const emptyCounts = (): ResealCounts => ({ cardKeys: 0, channelConfigs: 0, webhookCredentials: 0, deliverySecrets: 0, manualDeliveries: 0, settings: 0 });

/** How many stored secrets are not yet under the newest key, bound to their row. */
export async function countStale(db: Db): Promise<ResealCounts> {
  const current = currentSealKeyId();
  const counts = emptyCounts();
  const n = async (q: SQL) => Number((await db.execute<{ n: string }>(q))[0]!.n);
  counts.cardKeys = await n(sql`SELECT count(*) AS n FROM card_keys WHERE key_id <> ${current}`);
  for (const c of TEXT_COLUMNS) {
    const col = sql.raw(c.column);
    counts[c.name as keyof ResealCounts] = await n(
      sql`SELECT count(*) AS n FROM ${sql.raw(c.table)} WHERE ${col} IS NOT NULL AND split_part(${col}, ':', 1) <> ${current}`,
    );
  }
  counts.settings = await n(
    sql`SELECT count(*) AS n FROM platform_settings WHERE key = ${FINGERPRINT_SETTING} AND split_part(value->>'sealed', ':', 1) <> ${current}`,
  );
  return counts;
}

async function resealCardKeys(db: Db, current: string): Promise<number> {
  let after = 0;
  let done = 0;
  for (;;) {
    const rows = await db.execute<{ id: string; merchant_id: string; product_id: string; fingerprint: Buffer; secret: Buffer; key_id: string }>(
      sql`SELECT id, merchant_id, product_id, fingerprint, secret, key_id FROM card_keys
           WHERE id > ${after} AND key_id <> ${current} ORDER BY id LIMIT ${BATCH}`,
    );
    if (rows.length === 0) return done;
    const values = rows.map((r) => {
      const context = sealedIn.cardKey({ merchantId: r.merchant_id, productId: r.product_id, fingerprint: Buffer.from(r.fingerprint) });
      const next = seal(open({ keyId: r.key_id, data: Buffer.from(r.secret) }, context), context);
      return sql`(${r.id}::bigint, ${next.data}::bytea, ${next.keyId}::text, ${r.key_id}::text)`;
    });
    const updated = await db.execute(sql`
      UPDATE card_keys k SET secret = v.secret, key_id = v.key_id
        FROM (VALUES ${sql.join(values, sql`, `)}) AS v(id, secret, key_id, old_key_id)
       WHERE k.id = v.id AND k.key_id = v.old_key_id
      RETURNING k.id`);
    done += updated.length;
    after = Number(rows[rows.length - 1]!.id);
  }
}

async function resealTextColumn(db: Db, c: TextColumn, current: string): Promise<number> {
  const table = sql.raw(c.table);
  const col = sql.raw(c.column);
  let after = '00000000-0000-0000-0000-000000000000';
  let done = 0;
  for (;;) {
    const rows = await db.execute<{ id: string; merchant_id: string; value: string }>(
      sql`SELECT id, merchant_id, ${col} AS value FROM ${table}
           WHERE id > ${after}::uuid AND ${col} IS NOT NULL AND split_part(${col}, ':', 1) <> ${current} ORDER BY id LIMIT ${BATCH}`,
    );
    if (rows.length === 0) return done;
    const values = rows.map((r) => {
      const context = c.context({ id: r.id, merchantId: r.merchant_id });
      return sql`(${r.id}::uuid, ${sealToText(openFromText(r.value, context), context)}::text, ${r.value}::text)`;
    });
    const updated = await db.execute(sql`
      UPDATE ${table} t SET ${col} = v.value
        FROM (VALUES ${sql.join(values, sql`, `)}) AS v(id, value, old)
       WHERE t.id = v.id AND t.${col} = v.old
      RETURNING t.id`);
    done += updated.length;
    after = rows[rows.length - 1]!.id;
  }
}

async function resealSettings(db: Db, current: string): Promise<number> {
  const context = sealedIn.setting(FINGERPRINT_SETTING);
  const [row] = await db.execute<{ sealed: string }>(sql`SELECT value->>'sealed' AS sealed FROM platform_settings WHERE key = ${FINGERPRINT_SETTING}`);
  if (!row || sealedFromText(row.sealed).keyId === current) return 0;
  const next = sealToText(openFromText(row.sealed, context), context);
  const updated = await db.execute(sql`
    UPDATE platform_settings SET value = ${JSON.stringify({ sealed: next })}::jsonb, updated_at = now()
     WHERE key = ${FINGERPRINT_SETTING} AND value->>'sealed' = ${row.sealed} RETURNING key`);
  return updated.length;
}

/**
 * Re-seals every stale secret (see countStale) and returns how many of each it re-sealed.
 * Audited once as `platform.reseal` with the counts. Safe to run again: what is current is
 * left alone.
 */
export async function resealAll(db: Db): Promise<ResealCounts> {
  const current = currentSealKeyId();
  const counts = emptyCounts();
  counts.settings = await resealSettings(db, current);
  counts.cardKeys = await resealCardKeys(db, current);
  for (const c of TEXT_COLUMNS) counts[c.name as keyof ResealCounts] = await resealTextColumn(db, c, current);
  await recordAudit(db, systemActor(), { action: 'platform.reseal', targetType: 'platform', targetId: current, detail: { ...counts } });
  return counts;
}
