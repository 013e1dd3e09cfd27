// Alipay's side of 当面付 (face-to-face precreate), for tests: the OpenAPI gateway over HTTPS
// (precreate, query, refund), requests verified with the app's public key, answers signed
// over their exact bytes with slashes escaped as Alipay sends them, a "pay" page standing in
// for the buyer's phone, and form notifications retried on Alipay's schedule (4m, 10m, 10m,
// 1h, 2h, 6h, 15h, compressed by timeScale) until the shop answers `success`.
//
// Self-contained (node:crypto only, nothing of the shop's code): the shop's signer and the
// simulator must not share a mistake, and the browser tests load it outside the app.
import { createSign, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
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

/** Alipay's string to sign: every parameter but those left out, sorted by name, `k=v` joined with `&`, raw. */
function signContent(params: Record<string, string>, omit: readonly string[] = ['sign']): string {
  return Object.keys(params)
    .filter((k) => !omit.includes(k))
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}
const rsaSign = (content: string, key: KeyObject) => createSign('RSA-SHA256').update(content, 'utf8').sign(key, 'base64');
const rsaVerify = (content: string, sign: string, key: KeyObject) => createVerify('RSA-SHA256').update(content, 'utf8').verify(key, sign, 'base64');

export const ALIPAY_RETRY_SECONDS = [240, 600, 600, 3600, 7200, 21600, 54000] as const;

type Trade = {
  outTradeNo: string;
  amount: string;
  subject: string;
  status: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';
  tradeNo: string;
  notifyUrl: string;
  scanned: boolean;
};

export type AlipayFaults = TransportFaults & {
  /** Answers signed with a key that is not Alipay's. */
  badResponseSign?: boolean;
  /** Notifications signed with a key that is not Alipay's. */
  badNotifySign?: boolean;
  /** Notifications carry this total_amount instead of the trade's (signed: Alipay's own mistake or a tampered order). */
  notifyAmount?: string;
  /** Notifications carry this app_id (another merchant's app). */
  notifyAppId?: string;
  /** Notifications carry this trade_status. */
  notifyStatus?: string;
  /** Each notification is sent this many times at once. */
  copies?: number;
  /** Paying sends no notification (a lost one: only the query finds it). */
  dropNotify?: boolean;
  /** The order query reports this total_amount. */
  queryAmount?: string;
};

export async function startAlipaySimulator(opts: { appId?: string; sellerId?: string; timeScale?: number } = {}) {
  const appId = opts.appId ?? '2021000000000001';
  const sellerId = opts.sellerId ?? '2088000000000001';
  const app = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const alipayKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const wrongKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const trades = new Map<string, Trade>();
  const refunds = new Map<string, string>();
  const calls: { method: string; bizContent: Record<string, unknown> }[] = [];
  const deliveries: Delivery[] = [];
  const faults: AlipayFaults = {};
  const pending: Promise<unknown>[] = [];
  let base = '';

  const signedAnswer = (responseKey: string, body: Record<string, unknown>, key: KeyObject = alipayKeys.privateKey): SimResponse => {
    // Alipay's JSON escapes slashes: the signature covers these exact bytes.
    const inner = JSON.stringify(body).replace(/\//g, '\\/');
    const sign = rsaSign(inner, faults.badResponseSign ? wrongKeys.privateKey : key);
    return { body: `{"${responseKey}":${inner},"sign":"${sign}"}` };
  };

  const gateway = (req: SimRequest): SimResponse => {
    const params: Record<string, string> = { ...Object.fromEntries(req.url.searchParams), ...Object.fromEntries(new URLSearchParams(req.body)) };
    const method = params.method ?? '';
    const responseKey = `${method.replace(/\./g, '_')}_response`;
    if (!params.sign || !rsaVerify(signContent(params), params.sign, app.publicKey)) {
      return signedAnswer(responseKey, { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature', sub_msg: '验签出错' });
    }
    if (params.app_id !== appId)
      return signedAnswer(responseKey, { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-app-id', sub_msg: '无效的AppID参数' });
    let biz: Record<string, unknown>;
    try {
      biz = JSON.parse(params.biz_content ?? '') as Record<string, unknown>;
    } catch {
      return signedAnswer(responseKey, { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-biz-content' });
    }
    calls.push({ method, bizContent: biz });
    const outTradeNo = String(biz.out_trade_no ?? '');
    const trade = trades.get(outTradeNo);
    switch (method) {
      case 'alipay.trade.precreate': {
        const amount = String(biz.total_amount ?? '');
        if (!/^[0-9A-Za-z_-]{1,64}$/.test(outTradeNo) || !/^\d+\.\d{2}$/.test(amount) || !params.notify_url) {
          return signedAnswer(responseKey, { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.INVALID_PARAMETER', sub_msg: '参数无效' });
        }
        if (trade && trade.amount !== amount)
          return signedAnswer(responseKey, { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.CONTEXT_INCONSISTENT', sub_msg: '交易信息被篡改' });
        const t = trade ?? {
          outTradeNo,
          amount,
          subject: String(biz.subject ?? ''),
          status: 'WAIT_BUYER_PAY' as const,
          tradeNo: '',
          notifyUrl: params.notify_url,
          scanned: false,
        };
        trades.set(outTradeNo, t);
        return signedAnswer(responseKey, { code: '10000', msg: 'Success', out_trade_no: outTradeNo, qr_code: `${base}/qr/${outTradeNo}` });
      }
      case 'alipay.trade.query':
        if (!trade || !trade.scanned)
          return signedAnswer(responseKey, { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.TRADE_NOT_EXIST', sub_msg: '交易不存在' });
        return signedAnswer(responseKey, {
          code: '10000',
          msg: 'Success',
          out_trade_no: outTradeNo,
          trade_no: trade.tradeNo,
          trade_status: trade.status,
          total_amount: faults.queryAmount ?? trade.amount,
          buyer_pay_amount: trade.amount,
        });
      case 'alipay.trade.refund': {
        if (!trade || trade.status !== 'TRADE_SUCCESS')
          return signedAnswer(responseKey, { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.TRADE_STATUS_ERROR', sub_msg: '交易状态不合法' });
        const requestNo = String(biz.out_request_no ?? '');
        const before = refunds.get(requestNo);
        refunds.set(requestNo, String(biz.refund_amount));
        return signedAnswer(responseKey, {
          code: '10000',
          msg: 'Success',
          out_trade_no: outTradeNo,
          trade_no: trade.tradeNo,
          refund_fee: String(biz.refund_amount),
          fund_change: before ? 'N' : 'Y',
        });
      }
      default:
        return signedAnswer(responseKey, { code: '40004', msg: 'Business Failed', sub_code: 'isv.invalid-method' });
    }
  };

  /** The notification Alipay posts for a trade, signed (or not) as the faults say. */
  const notification = (t: Trade): Record<string, string> => {
    const now = new Date(Date.now() + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
    const p: Record<string, string> = {
      gmt_create: now,
      charset: 'utf-8',
      seller_email: 'shop@example.com',
      subject: t.subject,
      buyer_id: '2088102177846880',
      invoice_amount: t.amount,
      notify_id: randomBytes(16).toString('hex'),
      fund_bill_list: `[{"amount":"${t.amount}","fundChannel":"ALIPAYACCOUNT"}]`,
      notify_type: 'trade_status_sync',
      trade_status: faults.notifyStatus ?? t.status,
      receipt_amount: t.amount,
      app_id: faults.notifyAppId ?? appId,
      buyer_pay_amount: t.amount,
      seller_id: sellerId,
      gmt_payment: now,
      notify_time: now,
      version: '1.0',
      out_trade_no: t.outTradeNo,
      total_amount: faults.notifyAmount ?? t.amount,
      trade_no: t.tradeNo,
      auth_app_id: appId,
      buyer_logon_id: '159****5620',
      point_amount: '0.00',
    };
    const sign = rsaSign(signContent(p), faults.badNotifySign ? wrongKeys.privateKey : alipayKeys.privateKey);
    return { ...p, sign, sign_type: 'RSA2' };
  };

  const timeScale = opts.timeScale ?? 0.00001;
  const notify = (t: Trade): Promise<boolean[]> => {
    const body = new URLSearchParams(notification(t)).toString();
    const one = () =>
      notifyUntilAccepted(
        t.notifyUrl,
        { headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' }, body },
        (d) => d.status === 200 && d.body === 'success',
        ALIPAY_RETRY_SECONDS.map((s) => s * 1000),
        timeScale,
        deliveries,
      );
    return sendCopies(faults.copies, one, pending);
  };

  /** The buyer scans and pays: the trade succeeds and its notification is sent (resolves when the shop accepted it or the schedule ran out). */
  const pay = (outTradeNo: string): Promise<boolean[]> => {
    const t = trades.get(outTradeNo);
    if (!t) throw new Error(`no trade ${outTradeNo}`);
    if (t.status !== 'TRADE_SUCCESS')
      Object.assign(t, { scanned: true, status: 'TRADE_SUCCESS', tradeNo: `2026${Date.now()}${randomBytes(3).toString('hex')}` });
    if (faults.dropNotify) return Promise.resolve([]);
    return notify(t);
  };

  const server = await startHttpsSimulator((req) => {
    if (armed(faults, 'timeouts')) return HANG;
    if (req.url.pathname === '/gateway.do' && req.method === 'POST') {
      if (armed(faults, 'http500')) return { status: 500, body: 'Internal Server Error' };
      return faults.latencyMs ? { ...gateway(req), delayMs: faults.latencyMs } : gateway(req);
    }
    const m = /^\/qr\/([^/]+)(\/pay)?$/.exec(req.url.pathname);
    const trade = m ? trades.get(decodeURIComponent(m[1]!)) : undefined;
    if (m && trade) {
      const html = (inner: string): SimResponse => ({
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
        body: `<!doctype html><meta charset="utf-8"><title>支付宝模拟器</title><body>${inner}</body>`,
      });
      if (m[2] && req.method === 'POST') {
        void pay(trade.outTradeNo);
        return html(`<p id="result">支付成功</p>`);
      }
      return html(
        `<h1>支付宝 (模拟)</h1><p>订单 ${trade.outTradeNo} ¥${trade.amount}</p><form method="post" action="/qr/${trade.outTradeNo}/pay"><button id="pay">确认付款</button></form>`,
      );
    }
    return { status: 404, body: '{}' };
  });
  base = server.base;

  return {
    gateway: `${server.base}/gateway.do`,
    appId,
    sellerId,
    /** What the merchant pastes into the console: the app's private key and Alipay's public key, as PEM. */
    config: {
      appId,
      privateKey: app.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      alipayPublicKey: alipayKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      gateway: `${server.base}/gateway.do`,
      sellerId,
    },
    trades,
    calls,
    deliveries,
    faults,
    pay,
    notification,
    /** Waits for every notification in flight. */
    settle: () => Promise.all(pending),
    close: server.close,
  };
}
