// The shop's payment routes served over real HTTP in a test process, so a provider
// simulator notifies the route handler the way a provider reaches a deployed shop: the
// notification route (`/api/pay/{channelId}/notify`) and the buyer's payment route
// (`/api/store/orders/{orderNo}/payment`). APP_URL points here while it runs, so the
// notify URLs the shop gives providers lead back to it. Each request is stamped with a peer
// address of its own (as npm start's hook records the socket's): the simulators compress a
// day of provider retries into a second, which would otherwise trip the throttle on failed
// notifications (tested on its own in lib/orders/payment-notification.test.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PEER_HEADER } from '@/app/_lib/http';
import { resetConfig } from '@/lib/config';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export async function startAppRoutes() {
  const notify = await import('@/app/api/pay/[channelId]/notify/route');
  const payment = await import('@/app/api/store/orders/[orderNo]/payment/route');
  const routes: [RegExp, string, Partial<Record<'GET' | 'POST', Handler>>][] = [
    [/^\/api\/pay\/([^/]+)\/notify$/, 'channelId', { GET: notify.GET as Handler, POST: notify.POST as Handler }],
    [/^\/api\/store\/orders\/([^/]+)\/payment$/, 'orderNo', { GET: payment.GET as unknown as Handler }],
  ];
  let peers = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      const route = routes.find(([re]) => re.test(url.pathname));
      const handler = route?.[2][req.method as 'GET' | 'POST'];
      if (!route || !handler) {
        res.writeHead(404).end();
        return;
      }
      const param = decodeURIComponent(route[0].exec(url.pathname)![1]!);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      headers.set(PEER_HEADER, `10.77.${(++peers >> 8) & 255}.${peers & 255}`);
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      handler(new Request(url, { method: req.method, headers, body: req.method === 'GET' ? undefined : body }), {
        params: Promise.resolve({ [route[1]]: param }),
      })
        .then(async (r) => {
          res.writeHead(r.status, Object.fromEntries(r.headers));
          res.end(Buffer.from(await r.arrayBuffer()));
        })
        .catch((e: unknown) => res.writeHead(500).end(String(e)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const before = process.env.APP_URL;
  process.env.APP_URL = base;
  resetConfig();
  return {
    base,
    close: () =>
      new Promise<void>((resolve) => {
        process.env.APP_URL = before;
        resetConfig();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
