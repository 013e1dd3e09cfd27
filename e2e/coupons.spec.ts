import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, signInMerchant, test } from './fixtures';

// Coupons end to end against the production build and the seeded demo shop: a buyer applies
// a code, sees the new total, pays and sees the discount; a merchant runs a launch with a
// batch of single-use codes, exports them, and reads who used which.

test.describe.configure({ mode: 'serial' });

test('a buyer applies a code, sees the new total, pays, and sees the discount on the order page', async ({ page }, testInfo) => {
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  await page.goto('/p/steam-50');
  await expect(page.getByTestId('order-total')).toHaveText('¥48.00');
  await page.getByLabel('接收邮箱').fill('saver@example.com');

  // A code that does not exist says so, and changes nothing.
  const code = page.getByLabel('优惠码(可选)');
  await code.fill('NOSUCHCODE');
  await page.getByRole('button', { name: '使用', exact: true }).click();
  await expect(page.getByText('优惠码不存在。')).toBeVisible();
  await expect(page.getByTestId('order-total')).toHaveText('¥48.00');

  // DEMO5: ¥5 off orders from ¥30.
  await code.fill('demo5');
  await page.getByRole('button', { name: '使用', exact: true }).click();
  await expect(page.getByText('已使用优惠码 DEMO5:立减 ¥5.00')).toBeVisible();
  await expect(page.getByTestId('order-total')).toHaveText('¥43.00');
  await shot('coupon-applied');

  await page.getByRole('button', { name: '立即下单' }).click();
  await expect(page).toHaveURL(/\/pay\/\d{24}$/);
  await expect(page.getByText('¥43.00')).toBeVisible();
  await expect(page.getByText('−¥5.00')).toBeVisible();
  await shot('coupon-pay');
  await page.getByRole('button', { name: '模拟支付成功' }).click();

  await expect(page).toHaveURL(/\/order\/\d{24}$/);
  await expect(page.getByText('已发货').first()).toBeVisible();
  await expect(page.getByTestId('order-discount')).toHaveText('−¥5.00');
  await expect(page.getByText('¥43.00')).toBeVisible();
  await shot('coupon-order');
});

test('a code that does not reach its minimum says why, and the order is refused with the same reason', async ({ page }) => {
  // The music VIP card is ¥12: DEMO5 needs ¥30.
  await page.goto('/p/music-vip-month');
  await page.getByLabel('接收邮箱').fill('small@example.com');
  await page.getByLabel('优惠码(可选)').fill('DEMO5');
  await page.getByRole('button', { name: '使用', exact: true }).click();
  await expect(page.getByText('订单金额满 ¥30.00 才可使用此优惠码。')).toBeVisible();
  // Three cards (¥36) reach it: the code is judged again when the quantity changes.
  await page.getByRole('button', { name: '增加数量' }).click();
  await page.getByRole('button', { name: '增加数量' }).click();
  await page.getByRole('button', { name: '使用', exact: true }).click();
  await expect(page.getByTestId('order-total')).toHaveText('¥31.00');
  await page.getByRole('button', { name: '减少数量' }).click();
  await expect(page.getByText('订单金额满 ¥30.00 才可使用此优惠码。')).toBeVisible();
  await expect(page.getByTestId('order-total')).toHaveText('¥24.00');
  // Placing the order anyway: refused, with the reason under the field, nothing reserved.
  await page.getByRole('button', { name: '立即下单' }).click();
  await expect(page).toHaveURL(/\/p\/music-vip-month$/);
  await expect(page.getByText('订单金额满 ¥30.00 才可使用此优惠码。')).toBeVisible();
});

test('a merchant runs a launch with 1,000 single-use codes, exports them, and reads who used one', async ({ page, browser }, testInfo) => {
  test.setTimeout(180_000);
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  await signInMerchant(page);
  await page.getByRole('link', { name: '优惠码', exact: true }).click();
  await expect(page.getByRole('heading', { name: '优惠码', exact: true })).toBeVisible();
  await shot('coupons-list');

  await page.getByRole('link', { name: '新建优惠码' }).click();
  await page.getByText('批量生成', { exact: true }).click();
  await page.getByLabel('数量').fill('1000');
  await page.getByLabel('前缀').fill('LAUNCH-');
  await page.getByLabel('批次名称').fill('上线活动');
  await page.getByLabel('立减金额').fill('3.00');
  await page.getByLabel('总使用次数').fill('1');
  await page.getByLabel('每个邮箱可用次数').fill('1');
  await shot('coupon-new');
  await page.getByRole('button', { name: '创建' }).click();

  await expect(page).toHaveURL(/\/console\/coupons\/batches\/[0-9a-f-]{36}\?created=1$/);
  await expect(page.getByText('已生成 1000 个优惠码')).toBeVisible();
  await expect(page.getByRole('heading', { name: '上线活动' })).toBeVisible();
  const firstCode = (await page
    .getByRole('link', { name: /^LAUNCH-/ })
    .first()
    .textContent())!.trim();
  expect(firstCode).toMatch(/^LAUNCH-[2-9A-HJKMNP-Z]{12}$/);

  // The CSV: 1,000 codes, one per row, cells safe for a spreadsheet.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 CSV' }).click()]);
  const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
  const rows = csv.trim().split('\r\n');
  expect(rows).toHaveLength(1001);
  expect(rows.slice(1).every((r) => /^LAUNCH-[2-9A-HJKMNP-Z]{12},固定金额,3\.00,CNY,/.test(r))).toBe(true);

  // A buyer in another browser uses one code.
  const buyer = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await buyer.goto('/p/steam-50');
  await buyer.getByLabel('接收邮箱').fill('launch-buyer@example.com');
  await buyer.getByLabel('优惠码(可选)').fill(firstCode.toLowerCase());
  await buyer.getByRole('button', { name: '使用', exact: true }).click();
  await expect(buyer.getByTestId('order-total')).toHaveText('¥45.00');
  await buyer.getByRole('button', { name: '立即下单' }).click();
  await expect(buyer).toHaveURL(/\/pay\/\d{24}$/);
  const orderNo = buyer.url().split('/').pop()!;
  await buyer.getByRole('button', { name: '模拟支付成功' }).click();
  await expect(buyer).toHaveURL(/\/order\/\d{24}$/);

  // Used once: a second buyer is told so.
  const second = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await second.goto('/p/steam-50');
  await second.getByLabel('接收邮箱').fill('late-buyer@example.com');
  await second.getByLabel('优惠码(可选)').fill(firstCode);
  await second.getByRole('button', { name: '使用', exact: true }).click();
  await expect(second.getByText('该优惠码的名额已用完')).toBeVisible();

  // The merchant reads the batch report, who used which code, and the code's redemption.
  await page.reload();
  const [who] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出使用记录' }).click()]);
  const used = readFileSync((await who.path())!, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(used).toHaveLength(2);
  expect(used[1]).toMatch(new RegExp(`^${firstCode},${orderNo},launch-buyer@example\\.com,已付款,,3\\.00,45\\.00,CNY,`));
  const stats = page.locator('dl').first();
  await expect(stats).toContainText('已用码数1 / 1000');
  await expect(stats).toContainText('优惠成本¥3.00');
  await expect(stats).toContainText('带来实收¥45.00');
  await shot('coupon-batch');
  await page.getByRole('link', { name: firstCode }).click();
  await expect(page.getByRole('heading', { name: firstCode })).toBeVisible();
  const redemption = page.getByRole('row', { name: new RegExp(orderNo) });
  await expect(redemption).toContainText('launch-buyer@example.com');
  await expect(redemption).toContainText('已付款');
  await expect(redemption).toContainText('−¥3.00');
  await shot('coupon-detail');
  const serious = async () =>
    (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze()).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${page.url()}: ${v.id} ${v.help}`);
  const violations = await serious();

  // Disabling the whole batch: the next buyer is told the code is no longer active.
  await page.getByRole('link', { name: '上线活动' }).click();
  violations.push(...(await serious()));
  expect(violations).toEqual([]);
  await page.getByRole('button', { name: '停用整批' }).click();
  await expect(page.getByRole('button', { name: '启用整批' })).toBeVisible();
  const secondCode = (await page
    .getByRole('link', { name: /^LAUNCH-/ })
    .nth(1)
    .textContent())!.trim();
  await second.getByLabel('优惠码(可选)').fill(secondCode);
  await second.getByRole('button', { name: '使用', exact: true }).click();
  await expect(second.getByText('该优惠码已停用。')).toBeVisible();
});

test('the coupon form says what is wrong, field by field', async ({ page }) => {
  await signInMerchant(page);
  await page.goto('/console/coupons/new');
  await page.getByRole('textbox', { name: '优惠码' }).fill('DEMO5');
  await page.getByText('百分比折扣', { exact: true }).click();
  await page.getByLabel('折扣百分比(1–100)').fill('150');
  await page.getByRole('button', { name: '创建' }).click();
  await expect(page.getByText('不能超过 100。')).toBeVisible();
  await page.getByLabel('折扣百分比(1–100)').fill('15');
  await page.getByRole('button', { name: '创建' }).click();
  await expect(page.getByText('这个优惠码已存在。')).toBeVisible();
  await expect(page).toHaveURL(/\/console\/coupons\/new$/);
});
