import { demoLogins, expect, test } from './fixtures';

// Risk control from the merchant's side: a block rule added in the console stops a buyer in
// the storefront, who is told only that the order cannot be placed; the risk log says why.

test('a merchant blocks a throwaway e-mail domain; its buyer is refused without being told why; the log and the hit count show it', async ({
  page,
  browser,
}, testInfo) => {
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const domain = `throwaway-${Date.now().toString(36)}.example`;
  await page.goto('/console');
  await page.getByLabel('邮箱').fill(demoLogins().merchant.email);
  await page.getByLabel('密码').fill(demoLogins().merchant.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/console$/);
  await page.getByRole('link', { name: '风控', exact: true }).click();
  await expect(page.getByRole('heading', { name: '风控', exact: true })).toBeVisible();

  // A pattern RE2 cannot run is refused in words.
  await page.getByLabel('类型').selectOption('email_regex');
  await page.getByLabel('内容').fill('(?=x)');
  await page.getByRole('button', { name: '添加规则' }).click();
  await expect(page.getByText('格式不对,请参考下方示例。')).toBeVisible();

  await page.getByLabel('类型').selectOption('email_domain');
  await page.getByLabel('内容').fill(domain);
  await page.getByLabel('有效期').selectOption('24h');
  await page.getByLabel('备注(仅自己可见)').fill('一次性邮箱');
  await page.getByRole('button', { name: '添加规则' }).click();
  await expect(page.getByText('规则已添加。')).toBeVisible();
  const ruleRow = () => page.getByRole('row').filter({ hasText: '一次性邮箱' }).filter({ hasText: domain });
  await expect(ruleRow()).toContainText('邮箱域名');
  await expect(ruleRow()).toContainText(domain);
  await expect(ruleRow().getByRole('cell').nth(3)).toHaveText('0');

  const buyer = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await buyer.goto('/p/steam-50');
  await buyer.getByLabel('接收邮箱').fill(`someone@mx.${domain}`);
  await buyer.getByRole('button', { name: '立即下单' }).click();
  await expect(buyer.getByRole('alert').filter({ hasText: '该订单无法提交。如有疑问,请联系商家。' })).toBeVisible();
  await expect(buyer).toHaveURL(/\/p\/steam-50$/);

  await page.reload();
  // The hit is counted, with its time.
  await expect(ruleRow().getByRole('cell').nth(3)).toHaveText(/^1\d{2}\//);
  const logRow = page.getByRole('row').filter({ hasText: `someone@mx.${domain}` });
  await expect(logRow).toContainText(`命中拦截规则(邮箱域名:${domain})`);
  // One click from the log entry: block that buyer's e-mail for a day.
  await logRow.locator('summary').click();
  await logRow.getByLabel('拦截什么').selectOption({ label: `邮箱 someone@mx.${domain}` });
  await logRow.getByRole('button', { name: '拦截', exact: true }).click();
  await expect(logRow.getByText('已添加拦截规则,可在风控页查看或删除。')).toBeVisible();
  await page.reload();
  await expect(
    page
      .getByRole('row')
      .filter({ hasText: `someone@mx.${domain}` })
      .filter({ hasText: '来自风控记录' }),
  ).toContainText('邮箱');
  await shot('risk-page');
  await page.getByRole('button', { name: `删除规则 ${domain}` }).click();
  await expect(ruleRow()).toHaveCount(0);
});
