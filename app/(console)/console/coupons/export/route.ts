// GET /console/coupons/export?batch=<id>: a batch's codes (or, without `batch`, the codes
// made one at a time) as CSV, cells escaped against formula injection (lib/csv). Streamed a
// page at a time; audited before the first byte. The caller is checked here, not only by the proxy.
import { getTranslations } from 'next-intl/server';
import { requireMerchant } from '@/app/(console)/guard';
import { errorResponse } from '@/app/_lib/http';
import { couponsForExport, getBatch, recordCouponExport } from '@/lib/coupons';
import { csvRow } from '@/lib/csv';
import { AppError } from '@/lib/errors';
import { log } from '@/lib/log';
import { amountToInput } from '@/lib/money';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  try {
    const ctx = await requireMerchant();
    const batchId = new URL(req.url).searchParams.get('batch') || null;
    const batch = batchId ? await getBatch(ctx.db, ctx.merchantId, batchId) : null;
    if (batchId && !batch) throw new AppError('not_found', 'No such batch.');
    const t = await getTranslations('console.coupons');
    await recordCouponExport(ctx.db, ctx.actor, { batchId });
    const header = csvRow([
      t('columns.code'),
      t('export.type'),
      t('export.value'),
      'currency',
      t('form.minAmount'),
      t('export.used'),
      t('columns.reserved'),
      t('form.totalLimit'),
      t('form.perEmailLimit'),
      t('form.startsAt'),
      t('export.endsAt'),
      t('columns.status'),
    ]);
    const pages = couponsForExport(ctx.db, ctx.merchantId, batchId);
    const encoder = new TextEncoder();
    let started = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          if (!started) {
            started = true;
            controller.enqueue(encoder.encode('\uFEFF' + header)); // the BOM makes Excel read UTF-8
            return;
          }
          const next = await pages.next();
          if (next.done) return controller.close();
          controller.enqueue(
            encoder.encode(
              next.value
                .map((c) =>
                  csvRow([
                    c.code,
                    c.type,
                    c.type === 'fixed' ? amountToInput(c.value, c.currency) : c.value,
                    c.currency,
                    amountToInput(c.minAmount, c.currency),
                    c.usedCount + c.overLimitCount,
                    c.reservedCount,
                    c.totalLimit,
                    c.perEmailLimit,
                    c.startsAt?.toISOString(),
                    // Exclusive: the first instant the code no longer works.
                    c.endsAt?.toISOString(),
                    c.enabled ? 'enabled' : 'disabled',
                  ]),
                )
                .join(''),
            ),
          );
        } catch (err) {
          log('error', 'coupon export failed', { error: err instanceof Error ? err.name : 'unknown' });
          controller.error(err);
        }
      },
    });
    const name = batch ? `coupons-${(batch.prefix || 'batch').replace(/[^A-Za-z0-9_-]/g, '')}-${batch.id.slice(0, 8)}` : 'coupons';
    return new Response(body, {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}.csv"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch (err) {
    return errorResponse(err);
  }
}
