// Moving a row one place up or down in a merchant's list (products, categories).
import 'server-only';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { AppError } from '@/lib/errors';

export async function reorder(
  rows: { id: string; sort: number }[],
  id: string,
  direction: 'up' | 'down',
  write: (ids: string[]) => Promise<void>,
): Promise<void> {
  const i = rows.findIndex((r) => r.id === id);
  if (i < 0) throw new AppError('not_found', 'No such row.');
  const j = direction === 'up' ? i - 1 : i + 1;
  if (j < 0 || j >= rows.length) return; // already first / last
  const ids = rows.map((r) => r.id);
  [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  await write(ids);
}

/** Gives `ids` the sorts 10, 20, 30… writing only the rows whose sort changes, in one statement. */
export async function renumber(tx: DbOrTx, table: 'products' | 'categories', merchantId: string, ids: string[], before: { id: string; sort: number }[]) {
  const old = new Map(before.map((r) => [r.id, r.sort]));
  const changes = ids.map((id, n) => ({ id, sort: (n + 1) * 10 })).filter((r) => old.get(r.id) !== r.sort);
  if (changes.length === 0) return;
  const values = sql.join(
    changes.map((c) => sql`(${c.id}::uuid, ${c.sort}::int)`),
    sql`, `,
  );
  await tx.execute(sql`UPDATE ${sql.identifier(table)} AS t SET sort = v.sort FROM (VALUES ${values}) AS v(id, sort)
                        WHERE t.id = v.id AND t.merchant_id = ${merchantId}`);
}
