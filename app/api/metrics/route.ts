import { getDb } from '@/db/client';
import { getConfig } from '@/lib/config';
import { safeEqual } from '@/lib/crypto';
import { collectMetrics, renderPrometheus } from '@/lib/metrics';
import { log } from '@/lib/log';
import { errorSummary } from '@/lib/errors';

// Prometheus scrapes with `Authorization: Bearer $METRICS_TOKEN` (compared in constant time).
// Without METRICS_TOKEN the endpoint does not exist (404) in every environment: metrics are
// opt-in, and the cron secret, which can run jobs, is not reused for a read-only scraper.
export const dynamic = 'force-dynamic';

function plain(body: string, status: number, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers } });
}

export async function GET(req: Request): Promise<Response> {
  const token = getConfig().metricsToken;
  if (!token) return plain('Not found\n', 404);
  const given = /^Bearer\s+(.+)$/i.exec(req.headers.get('authorization') ?? '')?.[1]?.trim() ?? '';
  if (!given || !safeEqual(given, token)) return plain('Unauthorized\n', 401, { 'WWW-Authenticate': 'Bearer realm="metrics"' });
  try {
    const metrics = await collectMetrics(getDb());
    return plain(renderPrometheus(metrics), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  } catch (err) {
    log('error', 'metrics query failed', { error: errorSummary(err) });
    return plain('Metrics unavailable\n', 503);
  }
}
