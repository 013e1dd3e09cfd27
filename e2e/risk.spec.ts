import { expect, signInMerchant, test } from './fixtures';

// Risk control from the merchant's side: a block rule added in the console stops a buyer in
// the storefront, who is told only that the order cannot be placed; the risk log says why.
// From the buyer's side: a challenged order is verified in the browser with a short wait.

test('a merchant blocks a throwaway e-mail domain; its buyer is refused without being told why; the log and the hit count show it', async ({
  page,
  browser,
}, testInfo) => {
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const domain = `throwaway-${Date.now().toString(36)}.example`;
  await signInMerchant(page);
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
  await expect(ruleRow()).toContainText('拒绝');
  await expect(ruleRow().getByRole('cell').nth(4)).toHaveText('0');

  const buyer = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await buyer.goto('/p/steam-50');
  await buyer.getByLabel('接收邮箱').fill(`someone@mx.${domain}`);
  await buyer.getByRole('button', { name: '立即下单' }).click();
  await expect(buyer.getByRole('alert').filter({ hasText: '该订单无法提交。如有疑问,请联系商家。' })).toBeVisible();
  await expect(buyer).toHaveURL(/\/p\/steam-50$/);

  await page.reload();
  // The hit is counted, with its time.
  await expect(ruleRow().getByRole('cell').nth(4)).toHaveText(/^1\d{2}\//);
  const logRow = page.getByRole('row').filter({ hasText: `someone@mx.${domain}` });
  await expect(logRow).toContainText(`命中规则(邮箱域名:${domain},拒绝) (+100)`);
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

test('a buyer with a throwaway e-mail is challenged and verified in the browser without doing anything; the log shows the challenge and the pass', async ({
  page,
  browser,
}, testInfo) => {
  // The demo shop runs the default policy: a throwaway e-mail weighs 40, a challenge.
  const email = `shopper-${Date.now().toString(36)}@mailinator.com`;
  await page.goto('/p/steam-50');
  await page.getByLabel('接收邮箱').fill(email);
  await page.getByLabel('查询密码(可选)').fill('letmein');
  await page.getByRole('button', { name: '立即下单' }).click();
  // The form says it is verifying, then the order is placed with the same details.
  await expect(page.getByTestId('verifying')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('challenge-verifying.png'), fullPage: true });
  await expect(page).toHaveURL(/\/pay\/\d{24}$/, { timeout: 30_000 });
  const orderNo = page.url().split('/').pop()!;

  const merchant = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await signInMerchant(merchant);
  await merchant.goto(`/console/risk?buyer=${encodeURIComponent(email)}`);
  const rows = merchant.getByRole('row').filter({ hasText: email });
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('放行');
  await expect(rows.nth(0)).toContainText(orderNo);
  await expect(rows.nth(0)).toContainText('已完成安全验证');
  await expect(rows.nth(1)).toContainText('需验证');
  await expect(rows.nth(1)).toContainText('一次性邮箱域名 mailinator.com (+40)');

  // The test box gives the same answer for that e-mail, and holds nothing against it.
  await merchant.locator('#test-email').fill(email);
  await merchant.getByRole('button', { name: '测试', exact: true }).click();
  const result = merchant.getByTestId('risk-test-result');
  await expect(result).toContainText('需验证');
  await expect(result).toContainText('分值 40');
  await expect(result).toContainText('该邮箱持有 1 笔未付款订单(上限 2)');
  await merchant.screenshot({ path: testInfo.outputPath('risk-page-filtered.png'), fullPage: true });
});

test('a review rule: the buyer pays and waits, the merchant approves from the queue, the keys appear for the buyer', async ({ page, browser }, testInfo) => {
  const domain = `review-${Date.now().toString(36)}.example`;
  const merchant = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await signInMerchant(merchant);
  await merchant.goto('/console/risk');
  await merchant.getByLabel('类型').selectOption('email_domain');
  await merchant.getByLabel('内容').fill(domain);
  await merchant.getByLabel('动作').selectOption('review');
  await merchant.getByRole('button', { name: '添加规则' }).click();
  await expect(merchant.getByText('规则已添加。')).toBeVisible();

  // The buyer orders and pays as usual, then is told the order is being reviewed.
  await page.goto('/p/steam-50');
  await page.getByLabel('接收邮箱').fill(`buyer@${domain}`);
  await page.getByRole('button', { name: '立即下单' }).click();
  await expect(page).toHaveURL(/\/pay\/\d{24}$/);
  const orderNo = page.url().split('/').pop()!;
  await page.getByRole('button', { name: '模拟支付成功' }).click();
  await expect(page).toHaveURL(/\/order\/\d{24}$/);
  await expect(page.getByTestId('order-in-review')).toHaveText('已收到付款。订单正在由商家审核,通过后卡密会立即显示在这里并发送到您的邮箱。');
  await expect(page.getByTestId('card-key')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('buyer-in-review.png'), fullPage: true });

  // The merchant finds it at the top of the orders, sees why, and approves it.
  await merchant.goto('/console/orders');
  const queue = merchant.getByTestId('review-queue');
  await expect(queue).toContainText('笔订单等待审核');
  await queue.getByRole('link', { name: orderNo }).click();
  await expect(merchant.getByRole('heading', { name: '等待审核' })).toBeVisible();
  await expect(merchant.getByText(`命中规则(邮箱域名:${domain},人工审核)`)).toBeVisible();
  await merchant.screenshot({ path: testInfo.outputPath('merchant-review.png'), fullPage: true });
  await merchant.getByLabel('原因(可选,仅自己可见)').fill('老客户');
  await merchant.getByRole('button', { name: '通过并发货' }).click();
  // The page shows the decided order: delivered, the decision and its reason in its history.
  await expect(merchant.getByRole('heading', { name: '等待审核' })).toHaveCount(0);
  await expect(merchant.getByText('审核通过')).toBeVisible();
  await expect(merchant.getByText('原因:老客户')).toBeVisible();

  // The buyer's page (refreshing by itself) now shows the key.
  await expect(page.getByTestId('card-key')).toHaveCount(1, { timeout: 15_000 });
  await expect(page.getByTestId('order-in-review')).toHaveCount(0);

  // A second order from that domain is rejected, after a confirmation that says what it does.
  await page.goto('/p/steam-50');
  await page.getByLabel('接收邮箱').fill(`second@${domain}`);
  await page.getByRole('button', { name: '立即下单' }).click();
  await expect(page).toHaveURL(/\/pay\/\d{24}$/);
  const second = page.url().split('/').pop()!;
  await page.getByRole('button', { name: '模拟支付成功' }).click();
  await expect(page.getByTestId('order-in-review')).toBeVisible();
  await merchant.goto(`/console/orders/${second}`);
  await merchant.getByRole('button', { name: '拒绝并退款…' }).click();
  await expect(merchant.getByRole('alertdialog')).toContainText('预留的卡密放回库存');
  await merchant.getByRole('button', { name: '拒绝并退款', exact: true }).click();
  await expect(merchant.getByText('审核未通过').first()).toBeVisible();
  await expect(page.getByText('商家未通过此订单,将为您办理退款。如有疑问,请联系商家。')).toBeVisible({ timeout: 15_000 });
});

test('a merchant imports rules from a CSV file, is told which lines it could not read, and exports them again', async ({ browser }, testInfo) => {
  const tag = Date.now().toString(36);
  const merchant = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await signInMerchant(merchant);
  await merchant.goto('/console/risk');
  const csv = ['kind,pattern,action,expires_at,note', `email_domain,csv-${tag}.example,challenge,,imported`, `email,bad-${tag},block,,`].join('\n');
  await merchant.getByLabel('从 CSV 导入规则').setInputFiles({ name: 'rules.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(merchant.getByTestId('rules-file-name')).toHaveText('rules.csv');
  await merchant.getByRole('button', { name: '导入', exact: true }).click();
  await expect(merchant.getByText('已添加 1 条规则;0 条已存在;1 行无法读取。')).toBeVisible();
  await expect(merchant.getByTestId('import-invalid')).toHaveText('第 3 行 pattern:不是有效的邮箱');
  await expect(merchant.getByRole('row').filter({ hasText: `csv-${tag}.example` })).toContainText('需验证');
  await merchant.screenshot({ path: testInfo.outputPath('risk-import.png'), fullPage: true });

  const download = merchant.waitForEvent('download');
  await merchant.getByRole('link', { name: '导出 CSV' }).click();
  const file = await (await download).path();
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(file!, 'utf8');
  expect(text.split('\r\n')[0]).toBe('\uFEFFkind,pattern,action,expires_at,note,source,hit_count,last_hit_at');
  expect(text).toContain(`email_domain,csv-${tag}.example,challenge,,imported,merchant,0,`);
});
