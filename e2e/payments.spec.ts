// Paying through the providers' own channels, each against its simulator
// (test/simulators): the merchant adds the channel in the console with the credentials the
// provider issues and tests the connection; a buyer pays on the pay page, the simulator's
// "pay" button standing in for the buyer's phone, and reads the key.
import { devices, type Browser, type Page } from '@playwright/test';
import { startAlipaySimulator } from '../test/simulators/alipay';
import { startEpusdtSimulator } from '../test/simulators/epusdt';
import { startStripeSimulator } from '../test/simulators/stripe';
import { startWechatSimulator } from '../test/simulators/wechat';
import { expect, shopDatabase, signInMerchant, test } from './fixtures';

/** Adds a channel through the console form; returns its id. */
async function addChannel(page: Page, kind: string, name: string, fields: Record<string, string>, shot: string) {
  await page.goto('/console/channels/new');
  await page.getByLabel('通道类型').selectOption(kind);
  await page.getByLabel('显示名称').fill(name);
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.screenshot({ path: shot, fullPage: true });
  await page.getByRole('button', { name: '添加通道' }).click();
  await expect(page).toHaveURL(/\/console\/channels\/[0-9a-f-]{36}\?created=1$/);
  return /channels\/([0-9a-f-]{36})/.exec(page.url())![1]!;
}

/** The console form's fields for an Alipay channel, filled with what the simulator issued. */
function alipayFields(sim: Awaited<ReturnType<typeof startAlipaySimulator>>): Record<string, string> {
  return { '应用 APPID': sim.appId, 应用私钥: sim.config.privateKey, 支付宝公钥: sim.config.alipayPublicKey, '网关地址(可选)': sim.gateway };
}

async function disableChannel(id: string) {
  const sql = shopDatabase();
  try {
    await sql`UPDATE payment_channels SET enabled = false WHERE id = ${id}`;
  } finally {
    await sql.end();
  }
}

/** A phone whose requests come from its own buyer address through the test proxy. */
async function phone(browser: Browser, address: string) {
  return browser.newContext({
    ...devices['Pixel 7'],
    viewport: { width: 360, height: 780 },
    locale: 'zh-CN',
    ignoreHTTPSErrors: true,
    extraHTTPHeaders: { 'x-forwarded-for': address },
  });
}

test.describe('Alipay 当面付', () => {
  test('the merchant adds and tests the channel; a buyer scans the QR, pays, and reads the key; on a phone one tap opens Alipay', async ({
    page,
    browser,
  }, testInfo) => {
    const sim = await startAlipaySimulator();
    let channelId: string | undefined;
    try {
      await signInMerchant(page);
      channelId = await addChannel(page, 'alipay', '支付宝当面付', alipayFields(sim), testInfo.outputPath('alipay-form.png'));
      await page.getByRole('button', { name: '测试连接' }).click();
      await expect(page.getByText('连接正常')).toBeVisible();
      await page.goto('/console/channels');
      await expect(page.getByRole('row', { name: /支付宝当面付.*支付宝/ })).toBeVisible();

      // A buyer on a computer: the QR code with the amount.
      await page.goto('/p/win11-pro');
      await page.getByLabel('接收邮箱').fill('alipay-buyer@example.com');
      await page.getByText('支付宝当面付').click();
      await page.getByRole('button', { name: '立即下单' }).click();
      await expect(page).toHaveURL(/\/pay\/\d{24}$/);
      const orderNo = /pay\/(\d{24})/.exec(page.url())![1]!;
      await expect(page.getByText('请使用支付宝扫一扫付款')).toBeVisible();
      await expect(page.getByRole('img', { name: '支付二维码' })).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath('alipay-pay.png'), fullPage: true });
      // Reloads show the stored QR: Alipay was asked once.
      await page.reload();
      await expect(page.getByText('请使用支付宝扫一扫付款')).toBeVisible();
      expect(sim.calls.filter((c) => c.method === 'alipay.trade.precreate' && c.bizContent.out_trade_no === orderNo)).toHaveLength(1);

      // The buyer's phone scans and pays (the simulator's page stands in for the Alipay app).
      const scanner = await (await phone(browser, '198.51.100.7')).newPage();
      await scanner.goto(`${sim.gateway.replace('/gateway.do', '')}/qr/${orderNo}`);
      await scanner.getByRole('button', { name: '确认付款' }).click();
      await expect(scanner.getByText('支付成功')).toBeVisible();
      await scanner.context().close();
      // The pay page sees the payment by itself and moves on to the order page.
      await expect(page).toHaveURL(new RegExp(`/order/${orderNo}$`), { timeout: 20_000 });
      await expect(page.getByTestId('card-key')).toHaveCount(1);

      // The merchant refunds it: through Alipay, by default.
      await page.goto(`/console/orders/${orderNo}`);
      await expect(page.getByLabel('通过原支付通道把钱退回给买家(推荐)')).toBeChecked();
      await page.getByRole('button', { name: '标记为已退款…' }).click();
      await expect(page.getByText('将通过支付通道原路退回这笔款项。')).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath('alipay-refund.png'), fullPage: true });
      await page.getByRole('button', { name: '确认退款' }).click();
      // The order page now shows it refunded, and its timeline says the money went back through Alipay.
      await expect(page.getByText('已通过支付通道原路退款')).toBeVisible();
      expect(sim.calls.filter((c) => c.method === 'alipay.trade.refund' && c.bizContent.out_trade_no === orderNo)).toHaveLength(1);

      // A buyer on the phone the shop is open on: one tap opens Alipay.
      const ctx = await phone(browser, '198.51.100.8');
      const mobile = await ctx.newPage();
      await mobile.goto('/p/win11-pro');
      await mobile.getByLabel('接收邮箱').fill('alipay-phone@example.com');
      await mobile.getByText('支付宝当面付').click();
      await mobile.getByRole('button', { name: '立即下单' }).click();
      await expect(mobile).toHaveURL(/\/pay\/\d{24}$/);
      const phoneOrder = /pay\/(\d{24})/.exec(mobile.url())![1]!;
      const open = mobile.getByRole('link', { name: '打开支付宝付款' });
      await expect(open).toBeVisible();
      await mobile.screenshot({ path: testInfo.outputPath('alipay-phone.png'), fullPage: true });
      await open.click();
      await mobile.getByRole('button', { name: '确认付款' }).click();
      await expect(mobile.getByText('支付成功')).toBeVisible();
      await mobile.goto(`/pay/${phoneOrder}`);
      await expect(mobile).toHaveURL(new RegExp(`/order/${phoneOrder}$`));
      await expect(mobile.getByTestId('card-key')).toHaveCount(1);
      await mobile.screenshot({ path: testInfo.outputPath('alipay-phone-order.png'), fullPage: true });
      await ctx.close();
    } finally {
      if (channelId) await disableChannel(channelId);
      await sim.close();
    }
  });
});

/** A buyer orders one key of the Windows product with the named channel; returns the order number. */
async function buy(page: Page, channel: string, email: string) {
  await page.goto('/p/win11-pro');
  await page.getByLabel('接收邮箱').fill(email);
  await page.getByText(channel, { exact: true }).click();
  await page.getByRole('button', { name: '立即下单' }).click();
  await expect(page).toHaveURL(/\/pay\/\d{24}$/);
  return /pay\/(\d{24})/.exec(page.url())![1]!;
}

test.describe('WeChat Pay Native', () => {
  test('the merchant adds and tests it; a buyer scans the QR and reads the key; on a phone the page says how to pay', async ({ page, browser }, testInfo) => {
    const sim = await startWechatSimulator();
    let channelId: string | undefined;
    try {
      await signInMerchant(page);
      channelId = await addChannel(
        page,
        'wechat',
        '微信支付',
        {
          '商户号(mchid)': sim.config.mchid,
          AppID: sim.config.appid,
          '商户 API 证书序列号': sim.config.merchantSerialNo,
          '商户 API 私钥(apiclient_key.pem)': sim.config.privateKey,
          'APIv3 密钥': sim.config.apiV3Key,
          微信支付公钥: sim.config.platformPublicKey,
          '微信支付公钥 ID': sim.config.platformSerial,
          '接口地址(可选)': sim.base,
        },
        testInfo.outputPath('wechat-form.png'),
      );
      await page.getByRole('button', { name: '测试连接' }).click();
      await expect(page.getByText('连接正常')).toBeVisible();

      const orderNo = await buy(page, '微信支付', 'wechat-buyer@example.com');
      await expect(page.getByText('请使用微信扫一扫付款')).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath('wechat-pay.png'), fullPage: true });
      const scanner = await (await phone(browser, '198.51.100.9')).newPage();
      await scanner.goto(`${sim.base}/scan/${orderNo}`);
      await scanner.getByRole('button', { name: '确认支付' }).click();
      await expect(scanner.getByText('支付成功')).toBeVisible();
      await scanner.context().close();
      await expect(page).toHaveURL(new RegExp(`/order/${orderNo}$`), { timeout: 20_000 });
      await expect(page.getByTestId('card-key')).toHaveCount(1);

      const ctx = await phone(browser, '198.51.100.10');
      const mobile = await ctx.newPage();
      await buy(mobile, '微信支付', 'wechat-phone@example.com');
      await expect(mobile.getByText(/长按二维码保存到相册/)).toBeVisible();
      await expect(mobile.getByRole('link', { name: '返回商店,换一种支付方式' })).toBeVisible();
      await mobile.screenshot({ path: testInfo.outputPath('wechat-phone.png'), fullPage: true });
      await ctx.close();
    } finally {
      if (channelId) await disableChannel(channelId);
      await sim.close();
    }
  });
});

test.describe('USDT (epusdt)', () => {
  test('on a 360-px phone the buyer sees the exact amount, the address and the network, copies them, transfers, and reads the key', async ({
    page,
    browser,
  }, testInfo) => {
    const sim = await startEpusdtSimulator();
    let channelId: string | undefined;
    try {
      await signInMerchant(page);
      channelId = await addChannel(
        page,
        'usdt',
        'USDT-TRC20',
        { 'epusdt 地址': sim.baseUrl, 'API 密钥(api_auth_token)': sim.token },
        testInfo.outputPath('usdt-form.png'),
      );
      await page.getByRole('button', { name: '测试连接' }).click();
      await expect(page.getByText('连接正常')).toBeVisible();

      const ctx = await phone(browser, '198.51.100.11');
      await ctx.grantPermissions(['clipboard-read', 'clipboard-write']);
      const mobile = await ctx.newPage();
      const orderNo = await buy(mobile, 'USDT-TRC20', 'usdt-phone@example.com');
      const trade = sim.tradeOf(orderNo)!;
      await expect(mobile.getByText('TRON (TRC-20)', { exact: true })).toBeVisible();
      // epusdt's own 10-minute expiry comes before the order's 15: the countdown shows the earlier.
      await expect(mobile.getByText(/请在 10 分钟内完成支付/)).toBeVisible();
      await expect(mobile.getByTestId('crypto-amount')).toHaveText(`${trade.actualAmount} USDT`);
      await expect(mobile.getByTestId('crypto-address')).toHaveText(sim.wallet);
      await expect(mobile.getByText(/只能通过 TRON \(TRC-20\) 转账/)).toBeVisible();
      // Nothing wider than the phone: the address wraps instead of pushing the page sideways.
      expect(await mobile.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await mobile.getByRole('button', { name: '复制 收款地址' }).click();
      expect(await mobile.evaluate(() => navigator.clipboard.readText())).toBe(sim.wallet);
      await mobile.screenshot({ path: testInfo.outputPath('usdt-phone.png'), fullPage: true });

      await mobile.goto(`${sim.baseUrl}/pay/checkout-counter/${trade.tradeId}`);
      await mobile.getByRole('button', { name: '模拟链上转账' }).click();
      await expect(mobile.getByText('转账已确认')).toBeVisible();
      await mobile.goto(`/pay/${orderNo}`);
      await expect(mobile).toHaveURL(new RegExp(`/order/${orderNo}$`), { timeout: 20_000 });
      await expect(mobile.getByTestId('card-key')).toHaveCount(1);
      await ctx.close();
    } finally {
      if (channelId) await disableChannel(channelId);
      await sim.close();
    }
  });
});

test.describe('Stripe Checkout', () => {
  test('the merchant adds and tests it; a buyer is sent to Checkout, pays, comes back and reads the key', async ({ page, browser }, testInfo) => {
    const sim = await startStripeSimulator();
    let channelId: string | undefined;
    try {
      await signInMerchant(page);
      channelId = await addChannel(
        page,
        'stripe',
        '银行卡(Stripe)',
        { '密钥(Secret key)': sim.config.secretKey, 'Webhook 签名密钥': sim.config.webhookSecret, 'API 地址(可选)': sim.apiBase },
        testInfo.outputPath('stripe-form.png'),
      );
      sim.webhookUrl = `${new URL(page.url()).origin}/api/pay/${channelId}/notify`;
      await page.getByRole('button', { name: '测试连接' }).click();
      await expect(page.getByText('连接正常')).toBeVisible();

      const ctx = await browser.newContext({ locale: 'zh-CN', ignoreHTTPSErrors: true, extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.12' } });
      const buyer = await ctx.newPage();
      const orderNo = await buy(buyer, '银行卡(Stripe)', 'stripe-buyer@example.com');
      await buyer.screenshot({ path: testInfo.outputPath('stripe-pay.png'), fullPage: true });
      await buyer.getByTestId('pay-redirect').click();
      await expect(buyer.getByRole('heading', { name: /Pay 99\.00 CNY/ })).toBeVisible();
      await buyer.getByRole('button', { name: 'Pay' }).click();
      await expect(buyer).toHaveURL(new RegExp(`/order/${orderNo}$`));
      await expect(buyer.getByTestId('card-key')).toHaveCount(1, { timeout: 20_000 });
      await ctx.close();
    } finally {
      if (channelId) await disableChannel(channelId);
      await sim.close();
    }
  });
});

test.describe('Failover between two Alipay channels', () => {
  test('the main channel goes down: buyers keep paying through the backup, the merchant sees it and is alerted, and sees it come back', async ({
    page,
    request,
  }, testInfo) => {
    const [main, backup] = await Promise.all([startAlipaySimulator({ appId: '2021000000000101' }), startAlipaySimulator({ appId: '2021000000000102' })]);
    const ids: string[] = [];
    const sql = shopDatabase();
    try {
      await signInMerchant(page);
      for (const [sim, name, priority] of [
        [main, '支付宝', '10'],
        [backup, '支付宝(备用)', '5'],
      ] as const) {
        ids.push(await addChannel(page, 'alipay', name, { 优先级: priority, ...alipayFields(sim) }, testInfo.outputPath(`failover-form-${priority}.png`)));
      }
      const [mainId, backupId] = ids as [string, string];
      // The storefront offers Alipay once: the backup is not a second button.
      await page.goto('/p/win11-pro');
      await expect(page.getByText('支付宝', { exact: true })).toBeVisible();
      await expect(page.getByText('支付宝(备用)', { exact: true })).toHaveCount(0);

      const products = await (await request.get('/api/store/products')).json();
      const productId = products.products.find((p: { slug: string }) => p.slug === 'win11-pro').id;
      let buyer = 40;
      /** A buyer of its own orders on the main channel and opens the payment. */
      const buyAndPay = async () => {
        const headers = { 'x-forwarded-for': `198.51.100.${buyer++}` };
        const created = await request.post('/api/store/orders', {
          headers,
          data: { productId, quantity: 1, email: `fo${buyer}@example.com`, channel: mainId },
        });
        expect(created.status()).toBe(201);
        const { orderNo, token } = await created.json();
        const res = await request.get(`/api/store/orders/${orderNo}/payment`, { headers: { ...headers, Authorization: `Bearer ${token}` } });
        expect(res.status()).toBe(200);
        return ((await res.json()) as { channel: { id: string } }).channel.id;
      };

      // The main channel's gateway fails 5 times: every one of those buyers is served by the backup.
      main.faults.http500 = 5;
      for (let i = 0; i < 5; i++) expect(await buyAndPay()).toBe(backupId);
      expect(await buyAndPay()).toBe(backupId);
      await page.goto('/console/channels');
      await expect(page.getByRole('row', { name: /^支付宝 .*已熔断/ })).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath('failover-open.png'), fullPage: true });
      await page.goto(`/console/channels/${mainId}`);
      await expect(page.getByText(/已熔断:新的付款会交给同一付款方式的其他通道/)).toBeVisible();
      // The merchant's alert went out (e-mail; and its pushes where it has endpoints).
      await expect
        .poll(
          async () =>
            (await sql`SELECT count(*)::int AS n FROM outbox WHERE topic = 'channel.health' AND consumer = 'mail.merchant' AND status = 'done'`)[0]!.n,
        )
        .toBeGreaterThanOrEqual(1);

      // The cooldown passes (the database's clock, moved for the test): 3 probes succeed and it closes.
      await sql`UPDATE channel_health SET opened_at = now() - interval '61 seconds' WHERE channel_id = ${mainId}`;
      for (let i = 0; i < 3; i++) expect(await buyAndPay()).toBe(mainId);
      await page.goto('/console/channels');
      await expect(page.getByRole('row', { name: /^支付宝 / })).not.toContainText('已熔断');
      await expect(page.getByRole('row', { name: /^支付宝 / })).toContainText(/成功率 \d+%/);
      await page.screenshot({ path: testInfo.outputPath('failover-closed.png'), fullPage: true });
    } finally {
      for (const id of ids) await disableChannel(id);
      await sql.end();
      await Promise.all([main.close(), backup.close()]);
    }
  });
});

test.describe('The manual queue', () => {
  test('no channel can take the payment: the buyer leaves the order with the shop, the merchant records the offline payment, the buyer reads the key', async ({
    page,
    browser,
  }, testInfo) => {
    const sim = await startAlipaySimulator({ appId: '2021000000000201' });
    let channelId: string | undefined;
    try {
      await signInMerchant(page);
      channelId = await addChannel(page, 'alipay', '支付宝(单通道)', alipayFields(sim), testInfo.outputPath('queue-form.png'));
      // Alipay's gateway is down for this buyer's first load and the retry.
      sim.faults.http500 = 2;
      const ctx = await browser.newContext({ locale: 'zh-CN', extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.60' } });
      const buyer = await ctx.newPage();
      const orderNo = await buy(buyer, '支付宝(单通道)', 'queue-buyer@example.com');
      await expect(buyer.getByText('支付通道暂时无法创建付款')).toBeVisible();
      await buyer.getByRole('button', { name: '重试' }).click();
      await expect(buyer.getByText('支付通道暂时无法创建付款')).toBeVisible();
      await buyer.screenshot({ path: testInfo.outputPath('queue-failed.png'), fullPage: true });
      await buyer.getByRole('button', { name: '留给商家人工处理' }).click();
      await expect(buyer.getByText(/订单已交给商家人工处理,卡密保留至/)).toBeVisible();
      await buyer.screenshot({ path: testInfo.outputPath('queue-buyer.png'), fullPage: true });

      await page.goto('/console/orders');
      const queue = page.getByTestId('manual-queue');
      await expect(queue.getByRole('link', { name: orderNo })).toBeVisible();
      await queue.getByRole('link', { name: orderNo }).click();
      await page.getByLabel('线下收款凭证(转账单号等)').fill('BANK-TRANSFER-42');
      await page.screenshot({ path: testInfo.outputPath('queue-merchant.png'), fullPage: true });
      await page.getByRole('button', { name: '记录线下收款并发货' }).click();
      await expect(page.getByText('已发货').first()).toBeVisible();

      await buyer.goto(`/pay/${orderNo}`);
      await expect(buyer).toHaveURL(new RegExp(`/order/${orderNo}$`));
      await expect(buyer.getByTestId('card-key')).toHaveCount(1);
      await ctx.close();
    } finally {
      if (channelId) await disableChannel(channelId);
      await sim.close();
    }
  });
});
