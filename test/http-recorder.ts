// A local HTTP server for tests that plays a merchant's endpoint, a Telegram Bot API or a
// Bark server: it records every request and answers as the test says (status, body, delay).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type RecordedRequest = { method: string; path: string; headers: http.IncomingHttpHeaders; body: string; at: number };
export type Reply = { status?: number; body?: string; delayMs?: number };

export async function startRecorder(reply: (req: RecordedRequest, index: number) => Reply = () => ({})) {
  const requests: RecordedRequest[] = [];
  let answer = reply;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, at: Date.now() };
      requests.push(recorded);
      const r = answer(recorded, requests.length - 1);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(r.status ?? 200, { 'Content-Type': 'application/json' });
        res.end(r.body ?? '{"ok":true}');
      };
      if (r.delayMs) setTimeout(send, r.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setReply(next: typeof reply) {
      answer = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
