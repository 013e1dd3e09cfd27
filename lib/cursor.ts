// Keyset pagination's cursors, one format for every list: the last row's key as JSON in
// base64url, opaque to clients. A cursor that does not decode to what the list wrote is a
// `validation_failed` on `cursor`, never a database error.
import type { z } from 'zod';
import { AppError } from '@/lib/errors';

export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key a cursor carries, checked against the list's own schema; null for no cursor. */
export function decodeCursor<T>(raw: string | null | undefined, schema: z.ZodType<T>): T | null {
  if (raw == null || raw === '') return null;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // not base64url JSON
  }
  throw new AppError('validation_failed', 'Invalid cursor.', { fields: { cursor: 'invalid' } });
}

/** A page size from a caller: 1 to `max`, `fallback` when missing or not a number. */
export function pageSize(limit: number | undefined, fallback = 50, max = 200): number {
  return Math.min(Math.max(Math.trunc(limit ?? fallback) || fallback, 1), max);
}

/**
 * The page and the next cursor from `limit + 1` rows: a next page exists only when the
 * extra row came back; its cursor is the key of the page's last row.
 */
export function keysetPage<R>(rows: R[], limit: number, keyOf: (last: R) => Record<string, unknown>): { page: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
