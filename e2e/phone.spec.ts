import { expect, test } from './fixtures';

const fits = (page: import('@playwright/test').Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

test('on a 360-px phone a buyer browses, buys and reads the key, and every page fits the screen', async ({ page }, testInfo) => {
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}-phone.png`), fullPage: true });
  await page.goto('/');
  await expect(page.getByRole('heading', { name: '全部商品' })).toBeVisible();
  expect(await fits(page)).toBeLessThanOrEqual(0);
  await shot('home');

  await page.getByRole('link', { name: /音乐 VIP 月卡/ }).click();
  await expect(page.getByLabel('接收邮箱')).toBeVisible();
  await page.getByRole('button', { name: '增加数量' }).click();
  await expect(page.getByTestId('order-total')).toHaveText('¥24.00');
  expect(await fits(page)).toBeLessThanOrEqual(0);
  await shot('product');
  await page.getByLabel('接收邮箱').fill('phone@example.com');
  await page.getByRole('button', { name: '立即下单' }).click();

  await expect(page.getByRole('button', { name: '模拟支付成功' })).toBeVisible();
  expect(await fits(page)).toBeLessThanOrEqual(0);
  await shot('pay');
  await page.getByRole('button', { name: '模拟支付成功' }).click();

  await expect(page.getByTestId('card-key')).toHaveCount(2);
  expect(await fits(page)).toBeLessThanOrEqual(0);
  await shot('order');

  await page.goto('/lookup');
  await expect(page.getByTestId('recent-orders')).toBeVisible();
  expect(await fits(page)).toBeLessThanOrEqual(0);
  await shot('lookup');
});
