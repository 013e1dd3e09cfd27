// A request id on every log line of a request: taken from `X-Request-Id` (set by a proxy or
// load balancer) or made here, bound to the log context for the handler's whole async call
// tree, and echoed in the response so a buyer's or provider's report can be found in the logs.
import 'server-only';
import { requestIdFrom, withLogContext } from '@/lib/log';

export function requestIdOf(req: Request): string {
  return requestIdFrom(req.headers.get('x-request-id'));
}

/** Runs a route handler with its request id in the log context and the `X-Request-Id` response header. */
export async function withRequestId(req: Request, fn: () => Promise<Response>): Promise<Response> {
  const requestId = requestIdOf(req);
  const res = await withLogContext({ requestId }, fn);
  try {
    res.headers.set('X-Request-Id', requestId);
  } catch {
    // Some responses have immutable headers; the id is still in the logs.
  }
  return res;
}
