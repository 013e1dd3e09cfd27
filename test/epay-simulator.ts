// The provider's side of the epay protocol, for tests: signs notifications the way a
// 彩虹易支付 server does, and answers the api.php order query over real HTTP.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { amountToInput } from '@/lib/money';
import { epaySign } from '@/lib/payments';

export type SimulatedPayment = { outTradeNo: string; tradeNo: string; money: string; status: 0 | 1 };

export function epayNotification(
  key: string,
  p: { pid: string; outTradeNo: string; tradeNo: string; amount: number; tradeStatus?: string; type?: string; name?: string },
): Record<string, string> {
  const params: Record<string, string> = {
    pid: p.pid,
    trade_no: p.tradeNo,
    out_trade_no: p.outTradeNo,
    type: p.type ?? 'alipay',
    name: p.name ?? 'product',
    money: amountToInput(p.amount, 'CNY'),
    trade_status: p.tradeStatus ?? 'TRADE_SUCCESS',
  };
  return { ...params, sign: epaySign(params, key), sign_type: 'MD5' };
}

/** A local epay server: `payments` is what api.php?act=order reports. */
export async function startEpaySimulator(pid: string, key: string) {
  const payments = new Map<string, SimulatedPayment>();
  const queries: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api.php' && url.searchParams.get('act') === 'order') {
      const out = url.searchParams.get('out_trade_no') ?? '';
      queries.push(out);
      res.setHeader('Content-Type', 'application/json');
      if (url.searchParams.get('pid') !== pid || url.searchParams.get('key') !== key) {
        res.end(JSON.stringify({ code: -1, msg: 'KEY校验失败' }));
        return;
      }
      const p = payments.get(out);
      if (!p) {
        res.end(JSON.stringify({ code: -1, msg: '订单号不存在' }));
        return;
      }
      res.end(
        JSON.stringify({
          code: 1,
          msg: '查询订单号成功!',
          trade_no: p.tradeNo,
          out_trade_no: p.outTradeNo,
          type: 'alipay',
          pid,
          money: p.money,
          status: p.status,
        }),
      );
      return;
    }
    res.statusCode = 404;
    res.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    gateway: `http://127.0.0.1:${port}/`,
    payments,
    queries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
