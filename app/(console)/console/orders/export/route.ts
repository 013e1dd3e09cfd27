// GET /console/orders/export?<the list's filters>: the merchant's filtered orders as CSV
// (never keys or delivered text). Streamed in keyset pages, so a million rows never sit in
// memory; audited before the first byte. The caller is checked here, not only by the proxy.
import { getTranslations } from 'next-intl/server';
import { requireMerchant } from '@/app/(console)/guard';
import { errorResponse } from '@/app/_lib/http';
import { log } from '@/lib/log';
import { csvRow } from '@/lib/csv';
import { listMerchantOrders, orderLabels, parseOrderFilters, recordOrderExport } from '@/lib/orders';
import { amountToInput } from '@/lib/money';

export const dynamic = 'force-dynamic';

const BATCH = 200;

export async function GET(req: Request): Promise<Response> {
  try {
    const ctx = await requireMerchant();
    const { values, filters } = parseOrderFilters(Object.fromEntries(new URL(req.url).searchParams));
    const t = await getTranslations('console.orders');
    const ts = await getTranslations('status');
    const labels = await orderLabels(ctx.db, ctx.merchantId);
    await recordOrderExport(ctx.db, ctx.actor, { filters: values });

    const header = csvRow([
      t('list.orderNo'),
      t('list.status'),
      t('list.product'),
      t('list.quantity'),
      t('list.amount'),
      t('export.currency'),
      t('list.email'),
      t('list.channel'),
      t('list.created'),
      t('list.paid'),
      t('detail.delivered'),
      t('detail.refunded'),
    ]);
    let cursor: string | undefined;
    let started = false;
    let done = false;
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          if (!started) {
            started = true;
            // The BOM makes Excel read the file as UTF-8 (Chinese titles).
            controller.enqueue(encoder.encode('\uFEFF' + header));
            return;
          }
          if (done) return controller.close();
          const page = await listMerchantOrders(ctx.db, ctx.merchantId, { ...filters, limit: BATCH, cursor });
          cursor = page.nextCursor ?? undefined;
          done = !cursor;
          controller.enqueue(
            encoder.encode(
              page.orders
                .map((o) =>
                  csvRow([
                    o.orderNo,
                    ts(o.status),
                    labels.productTitle.get(o.productId) ?? o.productId,
                    o.quantity,
                    amountToInput(o.amount, o.currency), // a plain decimal spreadsheets can sum, from integer minor units
                    o.currency,
                    o.email,
                    labels.channelName.get(o.channelId) ?? o.channelId,
                    o.createdAt,
                    o.paidAt,
                    o.deliveredAt,
                    o.refundedAt,
                  ]),
                )
                .join(''),
            ),
          );
        } catch (err) {
          log('error', 'order export failed', { error: err instanceof Error ? err.name : 'unknown' });
          controller.error(err);
        }
      },
    });
    const date = new Date().toISOString().slice(0, 10);
    return new Response(body, {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="orders-${date}.csv"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch (err) {
    return errorResponse(err);
  }
}
