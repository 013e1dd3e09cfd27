import { apiOrder, expect, test } from './fixtures';

test.describe('buying a key', () => {
  test('a buyer picks a product, pays with the demo channel and sees and copies the key', async ({ page, context }, testInfo) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto('/');
    await expect(page.getByRole('heading', { name: '全部商品' })).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('home.png'), fullPage: true });

    await page.getByRole('link', { name: /Steam 钱包充值卡/ }).click();
    await expect(page.getByRole('heading', { name: /Steam 钱包充值卡/ })).toBeVisible();
    await page.getByLabel('接收邮箱').fill('buyer@example.com');
    await page.screenshot({ path: testInfo.outputPath('product.png'), fullPage: true });
    await page.getByRole('button', { name: '立即下单' }).click();

    await expect(page).toHaveURL(/\/pay\/\d{24}$/);
    await expect(page.getByRole('heading', { name: '支付订单' })).toBeVisible();
    await expect(page.getByText('¥48.00')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('pay.png'), fullPage: true });
    await page.getByRole('button', { name: '模拟支付成功' }).click();

    await expect(page).toHaveURL(/\/order\/\d{24}$/);
    await expect(page.getByText('已发货').first()).toBeVisible();
    const key = page.getByTestId('card-key');
    await expect(key).toHaveCount(1);
    const text = (await key.textContent())!.trim();
    expect(text).toMatch(/^STM-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await page.getByRole('button', { name: '复制', exact: true }).click();
    await expect(page.getByRole('button', { name: '已复制' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);
    await page.screenshot({ path: testInfo.outputPath('order.png'), fullPage: true });

    // The order page needs the order's cookie: another browser gets nothing.
    const url = page.url();
    const stranger = await (await context.browser()!.newContext()).newPage();
    await stranger.goto(url);
    await expect(stranger.getByText('找不到该订单')).toBeVisible();
    await expect(stranger.getByTestId('card-key')).toHaveCount(0);
  });

  test('a buyer already holding 3 unpaid orders is told to pay or wait, and nothing more is reserved', async ({ page, request }, testInfo) => {
    // This test's own address (e2e/fixtures.ts) places three orders and pays none of them.
    for (const email of ['hoard1@example.com', 'hoard2@example.com', 'hoard3@example.com']) await apiOrder(request, 'win11-pro', { email });
    await page.goto('/p/win11-pro');
    const stock = await page.getByText(/^库存 \d+$/).textContent();
    // What unpaid orders hold is shown apart: they come back if those orders lapse.
    await expect(page.getByText(/^\d+ 件已被预订,未付款将释放$/)).toBeVisible();
    await page.getByLabel('接收邮箱').fill('hoard4@example.com');
    await page.getByRole('button', { name: '立即下单' }).click();
    await expect(page.getByRole('alert').filter({ hasText: '你还有未付款的订单。请先完成付款,或等它过期后再下单。' })).toBeVisible();
    await expect(page).toHaveURL(/\/p\/win11-pro$/);
    await page.screenshot({ path: testInfo.outputPath('too-many-pending.png'), fullPage: true });
    await page.reload();
    await expect(page.getByText(/^库存 \d+$/)).toHaveText(stock!);
  });

  test("an agent's shop sells at the agent's own price (its markup on its level's cost)", async ({ page }, testInfo) => {
    await page.goto('/a/vip');
    await expect(page.getByText('「小王数码」的代理店铺')).toBeVisible();
    const card = page.getByRole('link', { name: /Steam 钱包充值卡/ });
    await expect(card).toContainText('¥50.00');
    await page.screenshot({ path: testInfo.outputPath('agent-home.png'), fullPage: true });
    await card.click();
    await expect(page).toHaveURL(/\/a\/vip\/p\/steam-50$/);
    await page.getByLabel('接收邮箱').fill('agent-buyer@example.com');
    await expect(page.getByTestId('order-total')).toHaveText('¥50.00');
    await page.getByRole('button', { name: '立即下单' }).click();
    await expect(page).toHaveURL(/\/pay\/\d{24}$/);
    await expect(page.getByText('¥50.00')).toBeVisible();
    // An unknown agent shop is the not-found page, not the merchant's shop. (Its HTTP status
    // is 200: the page streams behind loading.tsx before notFound() is known.)
    await page.goto('/a/nobody');
    await expect(page.getByRole('heading', { name: '页面不存在' })).toBeVisible();
    await expect(page.getByRole('heading', { name: '全部商品' })).toHaveCount(0);
  });

  test('an invalid e-mail is refused inline and nothing is ordered', async ({ page }) => {
    await page.goto('/p/win11-pro');
    await page.getByLabel('接收邮箱').fill('not-an-email');
    await page.getByRole('button', { name: '立即下单' }).click();
    await expect(page.getByText('请输入有效的邮箱地址。')).toBeVisible();
    await expect(page).toHaveURL(/\/p\/win11-pro$/);
  });

  test('a sold-out product is shown, marked and cannot be bought', async ({ page }) => {
    await page.goto('/');
    const card = page.getByTestId('product-sold-out').filter({ hasText: '限量纪念兑换码' });
    await expect(card).toContainText('已售罄');
    await expect(page.getByRole('link', { name: /限量纪念兑换码/ })).toHaveCount(0);
    // Even by its address, the product offers no way to order.
    await page.goto('/p/limited-edition');
    await expect(page.getByText('已售罄').first()).toBeVisible();
    await expect(page.getByRole('button', { name: '立即下单' })).toHaveCount(0);
  });

  test('an English browser gets English without choosing', async ({ browser }) => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'All products' })).toBeVisible();
    await context.close();
  });

  test('the shop switches to English and back', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByRole('heading', { name: 'All products' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.getByRole('button', { name: '中文' }).click();
    await expect(page.getByRole('heading', { name: '全部商品' })).toBeVisible();
  });

  test('an order link with a token opens the order and leaves a clean URL', async ({ page, request }) => {
    const products = await (await request.get('/api/store/products')).json();
    const channels = await (await request.get('/api/store/channels')).json();
    const steam = products.products.find((p: { slug: string }) => p.slug === 'steam-50');
    const res = await request.post('/api/store/orders', {
      data: { productId: steam.id, quantity: 1, email: 'api@example.com', channel: channels.channels[0].id },
    });
    expect(res.status()).toBe(201);
    const order = await res.json();
    await page.goto(`/order/${order.orderNo}?token=${order.token}`);
    await expect(page).toHaveURL(new RegExp(`/order/${order.orderNo}$`));
    await expect(page.getByText('待支付').first()).toBeVisible();
  });
});
