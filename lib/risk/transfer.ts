// Rules in and out as CSV (the console's export and import, POST /api/v1/risk/rules/import):
// a merchant moves its block list between shops, shares one with another, or keeps a list
// maintained elsewhere. Columns by their codes (`kind,pattern,action,expires_at,note`, then
// read-only `source,hit_count,last_hit_at` on export), so an export imports as it is.
import 'server-only';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { AppError, pgError, type FieldCode } from '@/lib/errors';
import { forgetCompiledRules, normalisePattern, RISK_RULE_ACTIONS, RISK_RULE_KINDS, MAX_PATTERN, type ListedRule } from './rules';

export const RULE_CSV_COLUMNS = ['kind', 'pattern', 'action', 'expires_at', 'note', 'source', 'hit_count', 'last_hit_at'] as const;
export const MAX_IMPORT_ROWS = 10_000;
export const MAX_IMPORT_BYTES = 2_000_000;

/** One rule as an export row, in `RULE_CSV_COLUMNS` order. */
export function ruleCsvCells(r: ListedRule): (string | number | null)[] {
  return [r.kind, r.pattern, r.action, r.expiresAt?.toISOString() ?? '', r.note, r.source, r.hitCount, r.lastHitAt?.toISOString() ?? ''];
}

export type ImportResult = { added: number; duplicates: number; invalid: { line: number; field: string; code: FieldCode }[] };

const rowSchema = z.object({
  kind: z.enum(RISK_RULE_KINDS),
  pattern: z.string().trim().min(1).max(MAX_PATTERN),
  action: z.enum(RISK_RULE_ACTIONS).default('block'),
  expiresAt: z.iso.datetime({ offset: true }).nullable(),
  note: z.string().trim().max(200).default(''),
});

/**
 * Adds the rules of a CSV text to the merchant's (at most 10,000 rows; a header line naming
 * the columns is optional, without it the columns are `kind,pattern,action,expires_at,note`).
 * A bad row is reported by its line and field and skipped; a rule the merchant has already
 * (or the file repeats) is counted as a duplicate; the rest are added together. Audited once,
 * as `risk.rule_import`, with the counts.
 */
export async function importRiskRules(db: DbOrTx, actor: Actor, text: string): Promise<ImportResult> {
  const merchantId = merchantOf(actor);
  if (text.length > MAX_IMPORT_BYTES) throw new AppError('payload_too_large', 'The file is too large (2 MB at most).');
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, info: true, comment: '#' }) as unknown as typeof records;
  } catch {
    throw new AppError('validation_failed', 'This is not a CSV file.', { fields: { file: 'invalid_format' } });
  }
  const header = records[0]?.record.map((c) => c.toLowerCase());
  const hasHeader = header?.[0] === 'kind' && header.includes('pattern');
  const columns = hasHeader ? header! : ['kind', 'pattern', 'action', 'expires_at', 'note'];
  const rows = hasHeader ? records.slice(1) : records;
  if (rows.length === 0) throw new AppError('validation_failed', 'The file has no rules.', { fields: { file: 'required' } });
  if (rows.length > MAX_IMPORT_ROWS)
    throw new AppError('validation_failed', 'Too many rules in one file.', { fields: { file: { code: 'too_many', max: MAX_IMPORT_ROWS } } });

  const invalid: ImportResult['invalid'] = [];
  const wanted = new Map<string, { kind: string; pattern: string; net: string | null; action: string; expiresAt: string | null; note: string }>();
  let duplicates = 0;
  for (const { record, info } of rows) {
    // An export guards cells a spreadsheet would run (`=`, `+`, `-`, `@` first) with an apostrophe (lib/csv); taken off here.
    const cell = (name: string) => (record[columns.indexOf(name)] ?? '').replace(/^'(?=[=+\-@\t\r])/, '');
    const parsed = rowSchema.safeParse({
      kind: cell('kind'),
      pattern: cell('pattern'),
      action: cell('action') || undefined,
      expiresAt: cell('expires_at') || null,
      note: cell('note'),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      invalid.push({ line: info.lines, field: String(issue.path[0] ?? 'kind'), code: issue.code === 'too_big' ? 'too_long' : 'invalid' });
      continue;
    }
    if (parsed.data.expiresAt && Date.parse(parsed.data.expiresAt) <= Date.now()) {
      invalid.push({ line: info.lines, field: 'expires_at', code: 'expired' });
      continue;
    }
    const normal = normalisePattern(parsed.data.kind, parsed.data.pattern);
    if ('error' in normal) {
      invalid.push({ line: info.lines, field: 'pattern', code: normal.error });
      continue;
    }
    const key = `${parsed.data.kind}\n${normal.net && parsed.data.kind === 'cidr' ? normal.net : normal.pattern}\n${parsed.data.action}`;
    if (wanted.has(key)) {
      duplicates++;
      continue;
    }
    wanted.set(key, { ...parsed.data, pattern: normal.pattern, net: normal.net ?? null });
  }

  const added = await db.transaction(async (tx) => {
    let count = 0;
    const list = [...wanted.values()];
    for (let i = 0; i < list.length; i += 1000) {
      const chunk = list.slice(i, i + 1000);
      // One statement per thousand: each pattern in its stored form (a range as its network,
      // an address in canonical text), once per (kind, pattern, action) however often the file
      // repeats it, and nothing the merchant has live already.
      let inserted: { id: string }[];
      try {
        inserted = await tx.transaction((sp) =>
          sp.execute<{ id: string }>(sql`
        WITH v AS (
          SELECT r.kind, r.action, r.expires_at, r.note, r.net,
                 CASE r.kind WHEN 'cidr' THEN network(r.net::inet)::text WHEN 'ip' THEN host(r.net::inet) ELSE r.pattern END AS stored
            FROM jsonb_to_recordset(${JSON.stringify(chunk.map((r) => ({ ...r, expires_at: r.expiresAt })))}::jsonb)
                 AS r(kind text, pattern text, net text, action text, expires_at text, note text)
        ), d AS (SELECT DISTINCT ON (kind, stored, action) * FROM v)
        INSERT INTO risk_rules (merchant_id, kind, pattern, net, action, expires_at, note, source)
        SELECT ${merchantId}::uuid, d.kind::risk_rule_kind, d.stored,
               CASE WHEN d.net IS NULL THEN NULL ELSE network(d.net::inet)::cidr END,
               d.action, d.expires_at::timestamptz, d.note, 'merchant'
          FROM d
         WHERE NOT EXISTS (
               SELECT 1 FROM risk_rules x
                WHERE x.merchant_id = ${merchantId}::uuid AND x.kind = d.kind::risk_rule_kind AND x.pattern = d.stored AND x.action = d.action
                  AND (x.expires_at IS NULL OR x.expires_at > now()))
        RETURNING id`),
        );
      } catch (err) {
        if (pgError(err).code?.startsWith('22'))
          throw new AppError('validation_failed', 'A pattern in this file is not valid.', { fields: { file: 'invalid_format' } });
        throw err;
      }
      count += inserted.length;
    }
    await recordAudit(tx, actor, {
      action: 'risk.rule_import',
      targetType: 'risk_rule',
      detail: { added: count, duplicates: duplicates + (wanted.size - count), invalid: invalid.length },
    });
    return count;
  });
  forgetCompiledRules(merchantId);
  return { added, duplicates: duplicates + (wanted.size - added), invalid };
}

/** Audits an export of the merchant's rules (`risk.rule_export`), before the first row leaves. */
export async function recordRuleExport(db: DbOrTx, actor: Actor): Promise<void> {
  await recordAudit(db, actor, { action: 'risk.rule_export', targetType: 'risk_rule', detail: {} });
}
