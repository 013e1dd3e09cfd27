// An epusdt server (assimon/epusdt), for tests: create-transaction over HTTPS (JSON only,
// MD5 signature checked, 10002 on a duplicate order_id, 10004 below 0.01), the USDT amount
// bumped by 0.0001 until unique per wallet, the unauthenticated check-status, a checkout page
// whose button stands in for the buyer's chain transfer, and JSON callbacks retried up to 5
// times until the shop answers `ok`. Self-contained (node:crypto only): it shares no code
// with the shop's driver.
import { createHash, randomBytes } from 'node:crypto';
import {
  armed,
  HANG,
  notifyUntilAccepted,
  sendCopies,
  startHttpsSimulator,
  type Delivery,
  type SimRequest,
  type SimResponse,
  type TransportFaults,
} from './server';

type Trade = {
  tradeId: string;
  orderId: string;
  amount: number;
  actualAmount: number;
  notifyUrl: string;
  status: 1 | 2 | 3;
  block?: string;
  expiresAt: number;
};

export type EpusdtFaults = TransportFaults & {
  /** Callbacks signed with another token. */
  badSign?: boolean;
  /** Callbacks carry this CNY amount. */
  amount?: number;
  /** Callbacks carry this status (1 = waiting). */
  status?: number;
  /** Callbacks carry this trade_id (another trade's). */
  tradeId?: string;
  copies?: number;
  dropNotify?: boolean;
};

const WALLET = 'TNEns8t9jbWENbStkQdVQtHMGpbsYsQjZK';
const RETRIES = 5;

function sign(fields: Record<string, unknown>, token: string): string {
  const base = Object.keys(fields)
    .filter((k) => k !== 'signature' && fields[k] !== null && fields[k] !== undefined && fields[k] !== '')
    .sort()
    .map((k) => `${k}=${String(fields[k])}`)
    .join('&');
  return createHash('md5')
    .update(base + token)
    .digest('hex');
}

export async function startEpusdtSimulator(opts: { token?: string; rate?: number; timeScale?: number } = {}) {
  const token = opts.token ?? `epusdt-token-${randomBytes(8).toString('hex')}`;
  const rate = opts.rate ?? 7.2;
  const trades = new Map<string, Trade>();
  const creates: Record<string, unknown>[] = [];
  const deliveries: Delivery[] = [];
  const faults: EpusdtFaults = {};
  const pending: Promise<unknown>[] = [];
  const answer = (status_code: number, message: string, data: unknown = null): SimResponse => ({
    body: JSON.stringify({ status_code, message, data, request_id: randomBytes(8).toString('hex') }),
  });

  const create = (req: SimRequest): SimResponse => {
    let f: Record<string, unknown>;
    try {
      f = JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      return answer(400, 'expected { character for map value');
    }
    if (f.signature !== sign(f, token)) return answer(401, '签名认证错误');
    creates.push(f);
    const amount = Number(f.amount);
    if (typeof f.order_id !== 'string' || !f.order_id || typeof f.notify_url !== 'string') return answer(10009, '参数错误');
    if (!(amount > 0.01)) return answer(10004, '支付金额有误');
    if ([...trades.values()].some((t) => t.orderId === f.order_id)) return answer(10002, '支付交易已存在,请勿重复创建');
    let actual = Math.round((amount / rate) * 10000) / 10000;
    while ([...trades.values()].some((t) => t.status === 1 && t.actualAmount === actual)) actual = Math.round((actual + 0.0001) * 10000) / 10000;
    const t: Trade = {
      tradeId: `${Date.now()}${randomBytes(4).toString('hex')}`,
      orderId: f.order_id,
      amount,
      actualAmount: actual,
      notifyUrl: f.notify_url,
      status: 1,
      expiresAt: Math.floor(Date.now() / 1000) + 600,
    };
    trades.set(t.tradeId, t);
    return answer(200, 'success', {
      trade_id: t.tradeId,
      order_id: t.orderId,
      amount: t.amount,
      actual_amount: t.actualAmount,
      token: WALLET,
      expiration_time: t.expiresAt,
      payment_url: `${base}/pay/checkout-counter/${t.tradeId}`,
    });
  };

  const callback = (t: Trade): Record<string, unknown> => {
    const f: Record<string, unknown> = {
      trade_id: faults.tradeId ?? t.tradeId,
      order_id: t.orderId,
      amount: faults.amount ?? t.amount,
      actual_amount: t.actualAmount,
      token: WALLET,
      block_transaction_id: t.block,
      status: faults.status ?? t.status,
    };
    return { ...f, signature: sign(f, faults.badSign ? 'not-the-token' : token) };
  };

  const timeScale = opts.timeScale ?? 0.001;
  /** The buyer's transfer lands: the trade is paid and its callback sent. */
  const pay = (tradeId: string): Promise<boolean[]> => {
    const t = trades.get(tradeId);
    if (!t) throw new Error(`no trade ${tradeId}`);
    if (t.status !== 2) Object.assign(t, { status: 2, block: randomBytes(32).toString('hex') });
    if (faults.dropNotify) return Promise.resolve([]);
    const body = JSON.stringify(callback(t));
    const one = () =>
      notifyUntilAccepted(
        t.notifyUrl,
        { headers: { 'Content-Type': 'application/json' }, body },
        (d) => d.status === 200 && d.body === 'ok',
        Array.from({ length: RETRIES - 1 }, () => 60_000),
        timeScale,
        deliveries,
      );
    return sendCopies(faults.copies, one, pending);
  };
  const tradeOf = (orderId: string) => [...trades.values()].find((t) => t.orderId === orderId);

  let base = '';
  const server = await startHttpsSimulator((req) => {
    if (armed(faults, 'timeouts')) return HANG;
    if (req.url.pathname === '/api/v1/order/create-transaction' && req.method === 'POST') {
      if (armed(faults, 'http500')) return { status: 500, body: 'Internal Server Error' };
      return create(req);
    }
    let m = /^\/pay\/check-status\/([^/]+)$/.exec(req.url.pathname);
    if (m) {
      const t = trades.get(decodeURIComponent(m[1]!));
      return t ? answer(200, 'success', { trade_id: t.tradeId, status: t.status }) : answer(10008, '订单不存在');
    }
    m = /^\/pay\/checkout-counter\/([^/]+)(\/pay)?$/.exec(req.url.pathname);
    const t = m ? trades.get(decodeURIComponent(m[1]!)) : undefined;
    if (m && t) {
      const html = (inner: string): SimResponse => ({
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
        body: `<!doctype html><meta charset="utf-8"><title>epusdt 模拟器</title><body>${inner}</body>`,
      });
      if (m[2] && req.method === 'POST') {
        void pay(t.tradeId);
        return html('<p id="result">转账已确认</p>');
      }
      return html(
        `<h1>USDT-TRC20 (模拟)</h1><p>${t.actualAmount} USDT → ${WALLET}</p><form method="post" action="/pay/checkout-counter/${t.tradeId}/pay"><button id="pay">模拟链上转账</button></form>`,
      );
    }
    return { status: 404, body: '{}' };
  });
  base = server.base;

  return {
    baseUrl: server.base,
    token,
    wallet: WALLET,
    config: { baseUrl: server.base, token },
    trades,
    tradeOf,
    creates,
    deliveries,
    faults,
    pay,
    callback,
    settle: () => Promise.all(pending),
    close: server.close,
  };
}
