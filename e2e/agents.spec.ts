// The reseller programme end to end, as its people meet it in the browser: the merchant
// makes an invite link; a new agent joins through it, sets a markup and shares its shop; a
// buyer buys there; the agent sees the commission pending, then (after the hold) available,
// asks for a withdrawal; the merchant pays it; the agent sees it paid.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { expect, shopDatabase, signInMerchant, test } from './fixtures';

async function signIn(browser: Browser, email: string, password: string): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await page.goto('/login');
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/console/);
  return page;
}

test('invite → join → markup → a sale in the agent’s shop → commission pending, then available → withdrawal paid', async ({
  page,
  browser,
  request,
}, testInfo) => {
  test.setTimeout(120_000);
  const shot = (p: Page, name: string) => p.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const slug = `e2e-${Date.now().toString(36)}`;
  const email = `${slug}@agents.example.com`;
  const password = 'agent password 123';
  const shopName = `小李游戏卡 ${slug.slice(-4)}`;

  // The merchant makes an auto-approved invite link for level 1.
  await signInMerchant(page);
  await page.goto('/console/agents/invites');
  await page.getByLabel('等级').selectOption('1');
  await page.getByLabel('注册后自动通过').check();
  await page.getByRole('button', { name: '生成邀请链接' }).click();
  const link = (await page.getByTestId('new-invite-link').locator('code').textContent())!.trim();
  expect(link).toMatch(/\/join\/[A-Za-z0-9_-]{16,}$/);
  await shot(page, 'merchant-invite');

  // A newcomer joins through it: the shop is live at once.
  const joiner = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await joiner.goto(new URL(link).pathname);
  await expect(joiner.getByText('注册后立即开店')).toBeVisible();
  await joiner.getByLabel('邮箱').fill(email);
  await joiner.getByLabel('密码').fill(password);
  await joiner.getByLabel('店铺名称').fill(shopName);
  await joiner.getByLabel('店铺地址').fill(slug);
  await joiner.getByLabel('联系方式').fill('微信:xiaoli-e2e');
  await shot(joiner, 'join-form');
  await joiner.getByRole('button', { name: '注册并开店' }).click();
  await expect(joiner.getByText('开店成功')).toBeVisible();
  await expect(joiner.getByText(`/a/${slug}`)).toBeVisible();
  await shot(joiner, 'join-done');

  // The agent signs in, finds its shop link and puts a 50 % markup on the Steam card
  // (its level-1 cost is ¥45.00: ¥67.50, above retail ¥48.00).
  const agent = await signIn(browser, email, password);
  await expect(agent.getByRole('main')).toContainText(`/a/${slug}`);
  await agent.goto('/console/agent/products');
  // While its price editor is open, the editor's row names the product too: the first is the product's.
  const row = agent.getByRole('row', { name: /Steam 钱包充值卡/ }).first();
  await row.getByRole('button', { name: '调整售价' }).click();
  // One editor is open at a time, in a row of its own under the product's.
  await agent.getByRole('radio', { name: '按加价比例' }).click();
  await agent.getByLabel(/「Steam 钱包充值卡 ¥50」的加价比例/).fill('50');
  await agent.getByRole('button', { name: '保存' }).click();
  // Saved: the editor closes and the row shows the new price and what each sale earns.
  await expect(row).toContainText('¥67.50');
  await expect(row).toContainText('每件赚 ¥22.50');
  await shot(agent, 'agent-products');

  // A buyer in the agent's shop pays ¥67.50 with the demo channel and gets the key.
  const buyer = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await buyer.goto(`/a/${slug}`);
  await expect(buyer.getByText(`「${shopName}」的代理店铺`)).toBeVisible();
  const card = buyer.getByRole('link', { name: /Steam 钱包充值卡/ });
  await expect(card).toContainText('¥67.50');
  await card.click();
  await buyer.getByLabel('接收邮箱').fill('agent-shop-buyer@example.com');
  await expect(buyer.getByTestId('order-total')).toHaveText('¥67.50');
  await buyer.getByRole('button', { name: '立即下单' }).click();
  await expect(buyer).toHaveURL(/\/pay\/\d{24}$/);
  await buyer.getByRole('button', { name: '模拟支付成功' }).click();
  await expect(buyer).toHaveURL(/\/order\/\d{24}$/);
  await expect(buyer.getByTestId('card-key')).toHaveCount(1);

  // The commission (67.50 − 45.00) is pending for the level's 72-hour hold.
  await agent.goto('/console/agent/money');
  await expect(agent.getByTestId('balance-pending')).toContainText('¥22.50');
  await expect(agent.getByTestId('balance-available')).toContainText('¥0.00');
  await shot(agent, 'agent-money-pending');

  // The hold passes (moved into the past here), and the release job makes it available.
  const db = shopDatabase();
  try {
    await db`UPDATE order_agent_snapshots SET release_at = now() - interval '1 second' WHERE agent_id = (SELECT id FROM agents WHERE slug = ${slug})`;
  } finally {
    await db.end();
  }
  const { CRON_SECRET } = JSON.parse(readFileSync(path.join('.data/e2e', 'secrets.json'), 'utf8')) as { CRON_SECRET: string };
  const released = await request.post('/api/cron/agents', { headers: { authorization: `Bearer ${CRON_SECRET}` } });
  expect(released.status()).toBe(200);
  expect(await released.json()).toMatchObject({ job: 'agents', released: 1, balanceDrift: 0 });
  await agent.reload();
  await expect(agent.getByTestId('balance-available')).toContainText('¥22.50');
  await expect(agent.getByTestId('balance-pending')).toContainText('¥0.00');

  // The agent asks for ¥20.00 to its Alipay account.
  await agent.getByLabel('提现金额').fill('20.00');
  await agent.getByLabel('收款方式').selectOption('alipay');
  await agent.getByLabel('收款账户').fill('xiaoli@alipay.example.com');
  await agent.getByRole('button', { name: '提交申请' }).click();
  await expect(agent.getByText('提现申请已提交,金额已冻结,等待商家处理。')).toBeVisible();
  await shot(agent, 'agent-money-requested');

  // The merchant pays it, with the transfer's reference.
  await page.goto('/console/agents/withdrawals?status=pending');
  const request_ = page.getByRole('row', { name: new RegExp(shopName) });
  await expect(request_).toContainText('¥20.00');
  await request_.getByRole('button', { name: '标记已付款' }).click();
  await request_.getByPlaceholder('付款流水号 / 转账单号').fill('ALIPAY-E2E-0001');
  await request_.getByRole('button', { name: '确认已付款' }).click();
  // Paid, it leaves the pending list; the paid list shows it with its reference.
  await expect(request_).toHaveCount(0);
  await page.goto('/console/agents/withdrawals?status=paid');
  await expect(page.getByRole('row', { name: /ALIPAY-E2E-0001/ })).toContainText('¥20.00');
  await shot(page, 'merchant-withdrawal-paid');

  // The agent sees it paid, with the reference; its balance is what is left.
  await agent.reload();
  await expect(agent.getByText('付款凭证:ALIPAY-E2E-0001')).toBeVisible();
  await expect(agent.getByTestId('balance-available')).toContainText('¥2.50');
  await expect(agent.getByTestId('balance-held')).toContainText('¥0.00');
  await shot(agent, 'agent-money-paid');
});
