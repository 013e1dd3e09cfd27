// GET /console/coupons/export?batch=<id>: a batch's codes (or, without `batch`, the codes
// made one at a time) as CSV; with `rows=redemptions`, the batch's redemptions (which code,
// which order, which buyer, what it took off). Cells escaped against formula injection
// (lib/csv); streamed a page at a time; audited before the first byte. The caller is checked
// here, not only by the proxy.
import { getTranslations } from 'next-intl/server';
import { requireMerchant } from '@/app/(console)/guard';
import { errorResponse } from '@/app/_lib/http';
import { couponsForExport, getBatch, recordCouponExport, redemptionsForExport } from '@/lib/coupons';
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
    const redemptions = new URL(req.url).searchParams.get('rows') === 'redemptions';
    if (redemptions && !batch) throw new AppError('validation_failed', 'Redemptions are exported by batch.', { fields: { batch: 'required' } });
    await recordCouponExport(ctx.db, ctx.actor, { batchId, rows: redemptions ? 'redemptions' : 'codes' });
    const header = redemptions
      ? csvRow([
          t('columns.code'),
          t('redemptions.order'),
          t('redemptions.email'),
          t('redemptions.status'),
          t('redemptions.overLimit'),
          t('redemptions.discount'),
          t('redemptions.paid'),
          t('form.currency'),
          t('redemptions.time'),
          t('export.committedAt'),
          t('export.releasedAt'),
        ])
      : csvRow([
          t('columns.code'),
          t('export.type'),
          t('export.value'),
          t('form.currency'),
          t('form.minAmount'),
          t('export.used'),
          t('columns.reserved'),
          t('form.totalLimit'),
          t('form.perEmailLimit'),
          t('form.startsAt'),
          t('export.endsAt'),
          t('columns.status'),
        ]);
    const pages: AsyncGenerator<string[]> = redemptions
      ? (async function* () {
          for await (const page of redemptionsForExport(ctx.db, ctx.merchantId, batchId!))
            yield page.map((r) =>
              csvRow([
                r.code,
                r.orderNo,
                r.email,
                t(`redemptions.states.${r.status}`),
                r.overLimit ? t('redemptions.overLimit') : '',
                amountToInput(r.discount, r.currency),
                r.status === 'committed' ? amountToInput(r.amount, r.currency) : '',
                r.currency,
                r.reservedAt.toISOString(),
                r.committedAt?.toISOString(),
                r.releasedAt?.toISOString(),
              ]),
            );
        })()
      : (async function* () {
          for await (const page of couponsForExport(ctx.db, ctx.merchantId, batchId))
            yield page.map((c) =>
              csvRow([
                c.code,
                c.type === 'fixed' ? t('form.typeFixed') : t('form.typePercent'),
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
                t(`status.${c.state}`),
              ]),
            );
        })();
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
          controller.enqueue(encoder.encode(next.value.join('')));
        } catch (err) {
          log('error', 'coupon export failed', { error: err instanceof Error ? err.name : 'unknown' });
          controller.error(err);
        }
      },
    });
    const name = batch
      ? `${redemptions ? 'redemptions' : 'coupons'}-${(batch.prefix || 'batch').replace(/[^A-Za-z0-9_-]/g, '')}-${batch.id.slice(0, 8)}`
      : 'coupons';
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
