import AxeBuilder from '@axe-core/playwright';
import { apiOrder, shopDatabase, expect, test } from './fixtures';

test.describe('finding an order later', () => {
  test('by order number and e-mail, then it is remembered in this browser', async ({ page, request }) => {
    const order = await apiOrder(request, 'music-vip-month', { email: 'Later@Example.com' });
    await page.goto('/lookup');
    await page.screenshot({ path: test.info().outputPath('lookup.png'), fullPage: true });
    await page.getByLabel('订单号').fill(order.orderNo);
    await page.getByLabel('邮箱').fill('later@example.com');
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/order/${order.orderNo}$`));
    await expect(page.getByText('待支付').first()).toBeVisible();

    await page.goto('/lookup');
    const recent = page.getByTestId('recent-orders');
    await expect(recent).toContainText(order.orderNo);
    await page.getByRole('button', { name: '清除记录' }).click();
    await expect(page.getByText('本浏览器还没有订单记录。')).toBeVisible();
  });

  test('by order number and query password; a wrong password finds nothing', async ({ page, request }) => {
    const order = await apiOrder(request, 'music-vip-month', { queryPassword: 'sesame-42' });
    await page.goto('/lookup');
    await page.getByRole('tab', { name: '用查询密码查询' }).click();
    await page.getByLabel('订单号').fill(order.orderNo);
    await page.getByLabel('查询密码').fill('wrong-one');
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await expect(page.getByText('没有找到匹配的订单,请检查订单号和邮箱/查询密码。')).toBeVisible();
    await page.getByLabel('查询密码').fill('sesame-42');
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/order/${order.orderNo}$`));
  });
});

const stockOf = async (request: import('@playwright/test').APIRequestContext, slug: string) =>
  ((await (await request.get('/api/store/products')).json()).products as { slug: string; stock: number }[]).find((p) => p.slug === slug)!.stock;

test('an expired order says so, released its key, and offers to buy again', async ({ page, request }, testInfo) => {
  const before = await stockOf(request, 'win11-pro');
  const order = await apiOrder(request, 'win11-pro');
  expect(await stockOf(request, 'win11-pro')).toBe(before - 1);
  const sql = shopDatabase();
  try {
    await sql`UPDATE orders SET expires_at = now() - interval '1 second' WHERE order_no = ${order.orderNo}`;
  } finally {
    await sql.end();
  }
  await page.goto(`/pay/${order.orderNo}`);
  await expect(page.getByText('订单已过期,库存已释放。')).toBeVisible();
  expect(await stockOf(request, 'win11-pro')).toBe(before);
  await page.screenshot({ path: testInfo.outputPath('pay-expired.png'), fullPage: true });
  await page.getByRole('link', { name: '重新购买' }).click();
  await expect(page.getByRole('heading', { name: '全部商品' })).toBeVisible();
});

test('pages have no serious accessibility violations', async ({ page }) => {
  for (const path of ['/', '/p/music-vip-month', '/lookup']) {
    await page.goto(path);
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${path}: ${v.id} ${v.help}`)).toEqual([]);
  }
});
