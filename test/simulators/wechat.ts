// WeChat Pay API v3 (Native), for tests: the merchant's Authorization checked with its API
// certificate's public key, every answer and notification signed with a platform key
// (`PUB_KEY_ID_TEST`), the transaction sealed AES-256-GCM with the APIv3 key, a page standing
// in for the buyer's WeChat scan, and notifications retried on WeChat's schedule (15 s, 15 s,
// 30 s, 3 m, 10 m, … compressed by timeScale) until the shop answers 2xx. Fault switches:
// HTTP 500s, timeouts, bad or skewed or unknown-serial signatures, SIGNTEST probes,
// tampered amounts, another merchant, non-success states, duplicates, lost notifications.
// Self-contained (node:crypto only): it shares no code with the shop's driver.
import { createCipheriv, createSign, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { armed, HANG, notifyUntilAccepted, startHttpsSimulator, type Delivery, type SimRequest, type SimResponse, type TransportFaults } from './server';

export const WECHAT_RETRY_SECONDS = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600] as const;
const PLATFORM_SERIAL = 'PUB_KEY_ID_TEST0000000001';

type Trade = { outTradeNo: string; total: number; description: string; notifyUrl: string; state: 'NOTPAY' | 'SUCCESS' | 'CLOSED'; transactionId: string };

export type WechatFaults = TransportFaults & {
  /** Answers signed with a key that is not the platform's. */
  badResponseSign?: boolean;
  /** Notifications signed with a key that is not the platform's. */
  badNotifySign?: boolean;
  /** Notifications stamped this many seconds off. */
  skewSeconds?: number;
  /** Notifications name another platform serial. */
  serial?: string;
  /** A SIGNTEST probe goes out before each notification. */
  probe?: boolean;
  amount?: number;
  mchid?: string;
  tradeState?: string;
  copies?: number;
  dropNotify?: boolean;
};

export async function startWechatSimulator(opts: { mchid?: string; appid?: string; timeScale?: number } = {}) {
  const mchid = opts.mchid ?? '1900000109';
  const appid = opts.appid ?? 'wx8888888888888888';
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const wrong = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const merchantSerialNo = randomBytes(20).toString('hex').toUpperCase();
  const apiV3Key = randomBytes(16).toString('hex');
  const trades = new Map<string, Trade>();
  const calls: { method: string; path: string; body: Record<string, unknown> | null }[] = [];
  const deliveries: (Delivery & { probe?: boolean })[] = [];
  const faults: WechatFaults = {};
  const pending: Promise<unknown>[] = [];

  const signHeaders = (body: string, key: KeyObject, opts: { skew?: number; serial?: string } = {}) => {
    const timestamp = String(Math.floor(Date.now() / 1000) + (opts.skew ?? 0));
    const nonce = randomBytes(16).toString('hex');
    const signature = createSign('RSA-SHA256').update(`${timestamp}\n${nonce}\n${body}\n`).sign(key, 'base64');
    return { 'Wechatpay-Timestamp': timestamp, 'Wechatpay-Nonce': nonce, 'Wechatpay-Signature': signature, 'Wechatpay-Serial': opts.serial ?? PLATFORM_SERIAL };
  };
  const respond = (status: number, payload: unknown): SimResponse => {
    const body = payload === null ? '' : JSON.stringify(payload);
    return { status, body, headers: signHeaders(body, faults.badResponseSign ? wrong.privateKey : platform.privateKey) };
  };

  const authorized = (req: SimRequest): boolean => {
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('WECHATPAY2-SHA256-RSA2048 ')) return false;
    const parts = Object.fromEntries([...auth.slice(26).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (parts.mchid !== mchid || parts.serial_no !== merchantSerialNo || !parts.signature) return false;
    if (Math.abs(Date.now() / 1000 - Number(parts.timestamp)) > 300) return false;
    const path = req.url.pathname + req.url.search;
    return createVerify('RSA-SHA256')
      .update(`${req.method}\n${path}\n${parts.timestamp}\n${parts.nonce_str}\n${req.body}\n`)
      .verify(merchant.publicKey, parts.signature, 'base64');
  };

  const api = (req: SimRequest): SimResponse => {
    if (!authorized(req)) return respond(401, { code: 'SIGN_ERROR', message: '签名错误' });
    let body: Record<string, unknown> | null = null;
    if (req.body) {
      try {
        body = JSON.parse(req.body) as Record<string, unknown>;
      } catch {
        return respond(400, { code: 'PARAM_ERROR', message: '请求体不是 JSON' });
      }
    }
    calls.push({ method: req.method, path: req.url.pathname, body });
    if (req.method === 'POST' && req.url.pathname === '/v3/pay/transactions/native') {
      const b = body ?? {};
      const amount = b.amount as { total?: number; currency?: string } | undefined;
      const outTradeNo = String(b.out_trade_no ?? '');
      if (b.mchid !== mchid || b.appid !== appid) return respond(400, { code: 'PARAM_ERROR', message: 'appid和mch_id不匹配' });
      if (!/^[0-9A-Za-z_\-*]{6,32}$/.test(outTradeNo) || !Number.isInteger(amount?.total) || typeof b.notify_url !== 'string' || b.notify_url.includes('?')) {
        return respond(400, { code: 'PARAM_ERROR', message: '参数错误' });
      }
      const existing = trades.get(outTradeNo);
      if (existing && existing.total !== amount!.total) return respond(400, { code: 'INVALID_REQUEST', message: '201 商户订单号重复' });
      trades.set(
        outTradeNo,
        existing ?? {
          outTradeNo,
          total: amount!.total!,
          description: String(b.description ?? ''),
          notifyUrl: b.notify_url,
          state: 'NOTPAY',
          transactionId: '',
        },
      );
      return respond(200, { code_url: `weixin://wxpay/bizpayurl?pr=${randomBytes(6).toString('base64url')}` });
    }
    let m = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/.exec(req.url.pathname);
    if (req.method === 'GET' && m) {
      if (req.url.searchParams.get('mchid') !== mchid) return respond(400, { code: 'PARAM_ERROR', message: 'mchid 错误' });
      const t = trades.get(decodeURIComponent(m[1]!));
      if (!t) return respond(404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' });
      return respond(200, transaction(t));
    }
    m = /^\/v3\/refund\/domestic\/refunds$/.exec(req.url.pathname);
    if (req.method === 'POST' && m) {
      const t = trades.get(String(body?.out_trade_no ?? ''));
      if (!t || t.state !== 'SUCCESS') return respond(400, { code: 'INVALID_REQUEST', message: '订单状态不正确' });
      return respond(200, { refund_id: `50${Date.now()}`, out_refund_no: body?.out_refund_no, status: 'SUCCESS' });
    }
    return respond(404, { code: 'NOT_FOUND', message: 'no such API' });
  };

  const transaction = (t: Trade) => ({
    appid,
    mchid: faults.mchid ?? mchid,
    out_trade_no: t.outTradeNo,
    transaction_id: t.transactionId,
    trade_type: 'NATIVE',
    trade_state: faults.tradeState ?? t.state,
    trade_state_desc: t.state === 'SUCCESS' ? '支付成功' : '未支付',
    bank_type: 'OTHERS',
    attach: '',
    success_time: new Date().toISOString(),
    payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    amount: { total: faults.amount ?? t.total, payer_total: t.total, currency: 'CNY', payer_currency: 'CNY' },
  });

  const envelope = (t: Trade): string => {
    const nonce = randomBytes(6).toString('hex');
    const c = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key), Buffer.from(nonce));
    c.setAAD(Buffer.from('transaction'));
    const ciphertext = Buffer.concat([c.update(JSON.stringify(transaction(t)), 'utf8'), c.final(), c.getAuthTag()]).toString('base64');
    return JSON.stringify({
      id: `EV-${randomBytes(8).toString('hex')}`,
      create_time: new Date().toISOString(),
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', ciphertext, associated_data: 'transaction', nonce },
    });
  };

  const timeScale = opts.timeScale ?? 0.00001;
  const notify = async (t: Trade) => {
    const body = envelope(t);
    const taken = (d: Delivery) => d.status >= 200 && d.status < 300;
    if (faults.probe) {
      const probe = { ...signHeaders(body, platform.privateKey), 'Wechatpay-Signature': `WECHATPAY/SIGNTEST/${randomBytes(8).toString('base64')}` };
      const log: Delivery[] = [];
      await notifyUntilAccepted(t.notifyUrl, { headers: { 'Content-Type': 'application/json', ...probe }, body }, () => true, [], 0, log);
      deliveries.push(...log.map((d) => ({ ...d, probe: true })));
    }
    const one = () =>
      notifyUntilAccepted(
        t.notifyUrl,
        // Signed as it is sent (its own timestamp and nonce).
        {
          headers: {
            'Content-Type': 'application/json',
            ...signHeaders(body, faults.badNotifySign ? wrong.privateKey : platform.privateKey, { skew: faults.skewSeconds, serial: faults.serial }),
          },
          body,
        },
        taken,
        WECHAT_RETRY_SECONDS.map((s) => s * 1000),
        timeScale,
        deliveries,
      );
    return Promise.all(Array.from({ length: faults.copies ?? 1 }, one));
  };

  /** The buyer scans and pays. */
  const pay = (outTradeNo: string): Promise<boolean[]> => {
    const t = trades.get(outTradeNo);
    if (!t) throw new Error(`no trade ${outTradeNo}`);
    if (t.state !== 'SUCCESS') Object.assign(t, { state: 'SUCCESS', transactionId: `4200${Date.now()}${randomBytes(2).toString('hex')}` });
    if (faults.dropNotify) return Promise.resolve([]);
    const sent = notify(t);
    pending.push(sent);
    return sent;
  };

  const server = await startHttpsSimulator((req) => {
    if (armed(faults, 'timeouts')) return HANG;
    if (req.url.pathname.startsWith('/v3/')) {
      if (armed(faults, 'http500')) return { status: 500, body: '{"code":"SYSTEM_ERROR","message":"系统错误"}' };
      return api(req);
    }
    const m = /^\/scan\/([^/]+)(\/pay)?$/.exec(req.url.pathname);
    const t = m ? trades.get(decodeURIComponent(m[1]!)) : undefined;
    if (m && t) {
      const html = (inner: string): SimResponse => ({
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
        body: `<!doctype html><meta charset="utf-8"><title>微信支付模拟器</title><body>${inner}</body>`,
      });
      if (m[2] && req.method === 'POST') {
        void pay(t.outTradeNo);
        return html('<p id="result">支付成功</p>');
      }
      return html(
        `<h1>微信支付 (模拟)</h1><p>${t.description} ¥${(t.total / 100).toFixed(2)}</p><form method="post" action="/scan/${t.outTradeNo}/pay"><button id="pay">确认支付</button></form>`,
      );
    }
    return { status: 404, body: '{}' };
  });

  return {
    base: server.base,
    mchid,
    appid,
    config: {
      mchid,
      appid,
      merchantSerialNo,
      privateKey: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      apiV3Key,
      platformPublicKey: platform.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      platformSerial: PLATFORM_SERIAL,
      baseUrl: server.base,
    },
    trades,
    calls,
    deliveries,
    faults,
    pay,
    settle: () => Promise.all(pending),
    close: server.close,
  };
}
