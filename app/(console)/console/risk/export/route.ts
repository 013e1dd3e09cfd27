// GET /console/risk/export: the merchant's own rules as CSV, in the columns the import reads
// (lib/risk transfer.ts), so an export imports as it is. Cells escaped against formula
// injection (lib/csv); audited before the first byte. The caller is checked here, not only by the proxy.
import { requireMerchant } from '@/app/(console)/guard';
import { errorResponse } from '@/app/_lib/http';
import { csvRow } from '@/lib/csv';
import { listRiskRules, recordRuleExport, ruleCsvCells, RULE_CSV_COLUMNS } from '@/lib/risk';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  try {
    const ctx = await requireMerchant();
    await recordRuleExport(ctx.db, ctx.actor);
    const rules = await listRiskRules(ctx.db, ctx.merchantId, { limit: 100_000 });
    const body = '\uFEFF' + [csvRow([...RULE_CSV_COLUMNS]), ...rules.map((r) => csvRow(ruleCsvCells(r)))].join('');
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    return new Response(body, {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="risk-rules-${day}.csv"`,
        'Cache-Control': 'no-store',
      },
    });
  } catch (err) {
    return errorResponse(err);
  }
}
