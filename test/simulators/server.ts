// What every payment-provider simulator shares: an HTTPS server on 127.0.0.1 with the
// tests' certificate (test/certs), the request body read whole, and notifications sent to
// the shop on the provider's retry schedule, compressed by `timeScale` for tests.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const certs = path.resolve(import.meta.dirname, '../certs');

export type SimRequest = { method: string; url: URL; headers: http.IncomingHttpHeaders; body: string };
export type SimResponse = { status?: number; headers?: Record<string, string>; body?: string; delayMs?: number; destroy?: boolean };

export async function startHttpsSimulator(handle: (req: SimRequest) => SimResponse | Promise<SimResponse>) {
  const server = https.createServer(
    { cert: readFileSync(path.join(certs, 'server.pem')), key: readFileSync(path.join(certs, 'server-key.pem')) },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const request: SimRequest = {
          method: req.method ?? 'GET',
          url: new URL(req.url ?? '/', 'https://127.0.0.1'),
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        Promise.resolve(handle(request))
          .catch((e: unknown) => ({ status: 500, body: String(e) }) as SimResponse)
          .then((r) => {
            const send = () => {
              if (r.destroy) return void req.socket.destroy();
              if (res.destroyed) return;
              res.writeHead(r.status ?? 200, { 'Content-Type': 'application/json; charset=utf-8', ...r.headers });
              res.end(r.body ?? '');
            };
            if (r.delayMs) setTimeout(send, r.delayMs);
            else send();
          });
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Delivery = { status: number; body: string; at: number };

/**
 * Sends a notification until the shop answers as the provider wants (`accepted`), waiting
 * `schedule[i] * timeScale` ms before try i+1; records every answer. The shop's address is
 * plain http in tests (the app under test), so this uses fetch.
 */
export async function notifyUntilAccepted(
  url: string,
  init: { method?: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  accepted: (r: Delivery) => boolean,
  schedule: readonly number[],
  timeScale: number,
  log: Delivery[],
): Promise<boolean> {
  for (let i = 0; ; i++) {
    let d: Delivery;
    try {
      const res = await fetch(url, { method: init.method ?? 'POST', headers: init.headers, body: init.body });
      d = { status: res.status, body: await res.text(), at: Date.now() };
    } catch {
      d = { status: 0, body: '', at: Date.now() };
    }
    log.push(d);
    if (accepted(d)) return true;
    if (i >= schedule.length) return false;
    await new Promise((r) => setTimeout(r, schedule[i]! * timeScale));
  }
}

/** Faults every simulator can be told to make on its API: the next n calls hang, or answer HTTP 500; or every answer comes `latencyMs` late. */
export type TransportFaults = { http500?: number; timeouts?: number; latencyMs?: number };

/** Whether a counted fault is armed; uses one up. */
export function armed<F extends Record<string, unknown>>(faults: F, name: { [K in keyof F]: F[K] extends number | undefined ? K : never }[keyof F]): boolean {
  const left = faults[name] as number | undefined;
  if (!left || left <= 0) return false;
  (faults as Record<string, unknown>)[name as string] = left - 1;
  return true;
}

/** A hang past the shop's 8 s deadline, then a cut connection. */
export const HANG: SimResponse = { delayMs: 9_000, destroy: true };

/** Sends `copies` copies of a notification at once (a provider's duplicate), tracked in `pending` until settled. */
export function sendCopies(copies: number | undefined, one: () => Promise<boolean>, pending: Promise<unknown>[]): Promise<boolean[]> {
  const sent = Promise.all(Array.from({ length: copies ?? 1 }, one));
  pending.push(sent);
  return sent;
}
