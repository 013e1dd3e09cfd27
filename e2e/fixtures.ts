// Shared helpers for the browser tests: the shop's own database (the embedded one the
// web server started, found through DATA_DIR/pg.json) and orders created through the API.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import postgres from 'postgres';

export function shopDatabase() {
  const { url } = JSON.parse(readFileSync(path.join('.data/e2e', 'pg.json'), 'utf8')) as { url: string };
  return postgres(url, { max: 2, onnotice: () => {} });
}

/** The demo accounts of the test shop: random passwords made by the seed, kept beside its data. */
export function demoLogins(): Record<'merchant' | 'agent' | 'admin', { email: string; password: string }> {
  return JSON.parse(readFileSync(path.join('.data/e2e', 'demo-logins.json'), 'utf8'));
}

export async function apiOrder(request: APIRequestContext, slug: string, extra: Record<string, unknown> = {}) {
  const products = await (await request.get('/api/store/products')).json();
  const channels = await (await request.get('/api/store/channels')).json();
  const product = products.products.find((p: { slug: string }) => p.slug === slug);
  const res = await request.post('/api/store/orders', {
    data: { productId: product.id, quantity: 1, email: 'api@example.com', channel: channels.channels[0].id, ...extra },
  });
  if (res.status() !== 201) throw new Error(`order failed: ${res.status()} ${await res.text()}`);
  return (await res.json()) as { orderNo: string; token: string; amount: number };
}
