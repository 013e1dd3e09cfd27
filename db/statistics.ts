// Planner statistics for a shop that has never had them. Autovacuum analyses a table once
// enough of it changed, but not before its first pass (a minute by default, never where an
// operator turned it off), and until then PostgreSQL plans as if the hot tables were empty:
// the checkout's cap counts walked every unpaid order of the merchant, 7.8 ms of database
// per order in the HTTP bench's fresh shop instead of 0.2 ms (docs/BENCHMARKS.md).
import 'server-only';
import { sql } from 'drizzle-orm';
import type { Db } from './client';

/** The tables the hot paths plan on, checked by the expiry job. */
export const PLANNED_TABLES = ['orders', 'card_keys'] as const;
/** Rows changed since the table was created, before a never-analysed table is analysed. */
export const FRESH_TABLE_CHANGES = 1000;

/**
 * Analyses each of `tables` that was never analysed (by ANALYZE or autovacuum) and has had at
 * least `FRESH_TABLE_CHANGES` rows changed: a no-op from then on, since PostgreSQL's own
 * bookkeeping says it was. Tables of another role are left alone. Returns the tables
 * analysed, and those whose ANALYZE failed (a timeout) with the error, for the caller to log;
 * the others are analysed anyway.
 */
export async function analyseFreshTables(
  db: Db,
  tables: readonly string[] = PLANNED_TABLES,
): Promise<{ analysed: string[]; refused: { table: string; error: unknown }[] }> {
  // Only tables this role may analyse: ANALYZE of another role's table is a WARNING, not an
  // error, and would be tried again on every run (the owner's, or a member's; a superuser's).
  const fresh = await db.execute<{ relname: string }>(sql`
    SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
     WHERE s.schemaname = current_schema() AND s.relname IN ${tables} AND pg_has_role(c.relowner, 'USAGE')
       AND s.last_analyze IS NULL AND s.last_autoanalyze IS NULL AND s.n_mod_since_analyze >= ${FRESH_TABLE_CHANGES}`);
  const result = { analysed: [] as string[], refused: [] as { table: string; error: unknown }[] };
  for (const { relname } of fresh) {
    try {
      await db.execute(sql`ANALYZE ${sql.identifier(relname)}`);
      result.analysed.push(relname);
    } catch (error) {
      result.refused.push({ table: relname, error });
    }
  }
  return result;
}
