// GET /console/keys/export?product=<id>&status=<status>: the merchant's keys of one product
// and status as a .txt file, one key a line. Streamed in id batches (lib/inventory
// exportKeyBatches), so 100,000 keys never sit in memory at once; audited before the first
// byte. The caller is checked here, not only by the proxy.
import { requireMerchant } from '@/app/(console)/guard';
import { errorResponse } from '@/app/_lib/http';
import { beginKeyExport, exportKeyBatches } from '@/lib/inventory';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  try {
    const ctx = await requireMerchant();
    const params = new URL(req.url).searchParams;
    const productId = params.get('product') ?? '';
    const started = await beginKeyExport(ctx.db, ctx.actor, { productId, status: params.get('status') ?? 'available' });
    const status = started.status;
    const batches = exportKeyBatches(ctx.db, { merchantId: ctx.merchantId, productId, status, maxId: started.maxId });
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await batches.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value.map((k) => `${k}\n`).join('')));
        } catch (err) {
          // Never the keys: only that the stream broke.
          log('error', 'key export failed', { productId, status, error: err instanceof Error ? err.name : 'unknown' });
          controller.error(err);
        }
      },
      async cancel() {
        await batches.return(undefined);
      },
    });
    const date = new Date().toISOString().slice(0, 10);
    const filename = `keys-${productId.slice(0, 8)}-${status}-${date}.txt`;
    return new Response(body, {
      headers: {
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Disposition': `attachment; filename="${filename}"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'X-Key-Count': String(started.count),
      },
    });
  } catch (err) {
    return errorResponse(err);
  }
}
