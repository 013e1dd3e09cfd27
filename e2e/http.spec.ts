// What the server answers, as crawlers, monitors and browsers read it: status codes of
// unknown things, the security headers of pages, and how an order link becomes a cookie.
import { apiOrder, expect, test } from './fixtures';

test('unknown products, agent shops, orders and pay pages answer 404 with the not-found page; known ones 200', async ({ request, playwright, baseURL }) => {
  for (const path of ['/p/no-such-product', '/a/no-such-agent', '/a/vip/p/no-such-product', '/pay/20260101120000123456789012']) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(404);
    expect(await res.text(), path).toContain('页面不存在');
  }
  // An order that does not exist and one this client holds no token for: the same 404, with the way in.
  const buyer = await playwright.request.newContext({ baseURL });
  const order = await apiOrder(buyer, 'steam-50');
  await buyer.dispose();
  for (const path of ['/order/20260101120000123456789012', `/order/${order.orderNo}`]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(404);
    expect(await res.text(), path).toContain('找不到该订单');
  }
  for (const path of ['/', '/p/steam-50', '/a/vip', '/a/vip/p/steam-50', '/lookup', '/login', `/pay/${order.orderNo}`]) {
    expect((await request.get(path)).status(), path).toBe(200);
  }
});

test('an order link keeps its token only if it opens the order, in a cookie sent to that order page alone', async ({ playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  const order = await apiOrder(api, 'steam-50');
  const client = await playwright.request.newContext({ baseURL });
  const wrong = await client.get(`/order/${order.orderNo}?token=${order.token.slice(0, -2)}xx`, { maxRedirects: 0 });
  expect(wrong.status()).toBe(303);
  expect(wrong.headers()['location']).toBe(`/order/${order.orderNo}`);
  expect(wrong.headers()['set-cookie']).toBeUndefined();
  expect((await client.get(`/order/${order.orderNo}`)).status()).toBe(404);

  const right = await client.get(`/order/${order.orderNo}?token=${order.token}`, { maxRedirects: 0 });
  expect(right.status()).toBe(303);
  const cookie = right.headers()['set-cookie']!;
  expect(cookie).toContain(`ofk_o_${order.orderNo}=${order.token}`);
  expect(cookie).toContain(`Path=/order/${order.orderNo};`);
  expect(cookie).toContain('HttpOnly');
  expect(right.headers()['referrer-policy']).toBe('no-referrer');
  expect((await client.get(`/order/${order.orderNo}`)).status()).toBe(200);
  const stored = (await client.storageState()).cookies.find((c) => c.name === `ofk_o_${order.orderNo}`)!;
  expect(stored.path).toBe(`/order/${order.orderNo}`);
  await Promise.all([api.dispose(), client.dispose()]);
});

test('pages carry a nonce policy that Next’s scripts follow, no framing, and nothing is blocked while buying', async ({ page, request }) => {
  const res = await request.get('/p/steam-50');
  const policy = res.headers()['content-security-policy']!;
  const nonce = /'nonce-([^']+)'/.exec(policy)![1]!;
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toContain("form-action 'self'");
  const html = await res.text();
  const scripts = html.match(/<script\b[^>]*>/g)!;
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  expect((await request.get('/p/steam-50')).headers()['content-security-policy']).not.toContain(nonce);
  // Route handlers answer JSON with the static headers only.
  expect((await request.get('/api/health/live')).headers()['content-security-policy']).toBeUndefined();

  const blocked: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) blocked.push(m.text());
  });
  await page.goto('/');
  await page.getByRole('link', { name: /Steam 钱包充值卡/ }).click();
  await page.getByLabel('接收邮箱').fill('csp@example.com');
  await page.getByRole('button', { name: '立即下单' }).click();
  await page.getByRole('button', { name: '模拟支付成功' }).click();
  await expect(page.getByTestId('card-key')).toHaveCount(1);
  await page.goto('/login');
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
  expect(blocked).toEqual([]);
});
