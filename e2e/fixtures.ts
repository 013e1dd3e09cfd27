// Shared helpers for the browser tests: the shop's own database (the embedded one the
// web server started, found through DATA_DIR/pg.json), orders created through the API, and
// `test`, which gives each test its own buyer address.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { expect, test as base, type APIRequestContext, type Page } from '@playwright/test';
import postgres from 'postgres';

export function shopDatabase() {
  const { url } = JSON.parse(readFileSync(path.join('.data/e2e', 'pg.json'), 'utf8')) as { url: string };
  return postgres(url, { max: 2, onnotice: () => {} });
}

/** The demo accounts of the test shop: random passwords made by the seed, kept beside its data. */
export function demoLogins(): Record<'merchant' | 'agent' | 'admin', { email: string; password: string }> {
  return JSON.parse(readFileSync(path.join('.data/e2e', 'demo-logins.json'), 'utf8'));
}

/** Signs the demo merchant in to the console on this page (through the login page the console sends it to). */
export async function signInMerchant(page: Page): Promise<void> {
  await page.goto('/console');
  await expect(page).toHaveURL(/\/login\?next=%2Fconsole/);
  await page.getByLabel('邮箱').fill(demoLogins().merchant.email);
  await page.getByLabel('密码').fill(demoLogins().merchant.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/console$/);
}

export async function apiOrder(request: APIRequestContext, slug: string, extra: Record<string, unknown> = {}) {
  const products = await (await request.get('/api/store/products')).json();
  const channels = await (await request.get('/api/store/channels')).json();
  const product = products.products.find((p: { slug: string }) => p.slug === slug);
  const res = await request.post('/api/store/orders', {
    // A buyer of its own each time (one e-mail may hold only 2 unpaid orders).
    data: { productId: product.id, quantity: 1, email: `api-${randomUUID().slice(0, 8)}@example.com`, channel: channels.channels[0].id, ...extra },
  });
  if (res.status() !== 201) throw new Error(`order failed: ${res.status()} ${await res.text()}`);
  return (await res.json()) as { orderNo: string; token: string; amount: number };
}

/**
 * Each test is its own buyer: the shop's risk caps hold one address to a few unpaid orders,
 * and the whole suite runs from 127.0.0.1. The test server trusts 127.0.0.1 as a proxy
 * (TRUSTED_PROXIES in playwright.config.ts), and each test's pages and API requests carry
 * `X-Forwarded-For` with an address of its own in 198.18.0.0/15 (the benchmarking range),
 * different on a retry, as a proxy in front of the shop would send it. Contexts a test opens
 * itself (`browser.newContext()`) are other buyers at 127.0.0.1.
 */
export const test = base.extend({
  extraHTTPHeaders: async ({}, provide, testInfo) => {
    const h = createHash('sha256').update(`${testInfo.testId}:${testInfo.retry}`).digest();
    await provide({ 'x-forwarded-for': `198.${18 + (h[0]! & 1)}.${h[1]}.${h[2]! || 1}` });
  },
});
export { expect } from '@playwright/test';
