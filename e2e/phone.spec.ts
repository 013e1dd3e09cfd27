import { expect, test } from '@playwright/test';

test('on a 360-px phone the shop and the buy form fit the screen', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: '全部商品' })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: testInfo.outputPath('home-phone.png'), fullPage: true });
  await page.getByRole('link', { name: /音乐 VIP 月卡/ }).click();
  await expect(page.getByLabel('接收邮箱')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: testInfo.outputPath('product-phone.png'), fullPage: true });
});
