// Paying through the providers' own channels, each against its simulator
// (test/simulators): the merchant adds the channel in the console with the credentials the
// provider issues and tests the connection; a buyer pays on the pay page, the simulator's
// "pay" button standing in for the buyer's phone, and reads the key.
import { devices, type Browser, type Page } from '@playwright/test';
import { startAlipaySimulator } from '../test/simulators/alipay';
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
      channelId = await addChannel(
        page,
        'alipay',
        '支付宝当面付',
        { '应用 APPID': sim.appId, 应用私钥: sim.config.privateKey, 支付宝公钥: sim.config.alipayPublicKey, '网关地址(可选)': sim.gateway },
        testInfo.outputPath('alipay-form.png'),
      );
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
