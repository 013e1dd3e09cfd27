// Every write is audited exactly once. Each console server action and console route
// handler (found by scanning app/(console)) and each mutating merchant-API route (found by
// scanning app/api/v1) is called with valid input by the caller it is meant for, and the
// audit rows it adds are compared with what that write should record: every expected
// action once, nothing else. A new action or route fails this test until it is listed here
// with the audit rows it writes (or, for one that changes nothing, none).
//
// Buyers' writes (orders, lookups, the demo pay button) and providers' payment
// notifications are not merchant acts and are recorded as order events, not here.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionClaims } from '@/app/(auth)/auth.config';
import { createAdmin } from '@/lib/accounts';
import { systemActor } from '@/lib/audit';
import { createCategory } from '@/lib/catalog';
import { createCoupons } from '@/lib/coupons';
import { createPlatformRiskRule, createRiskRule } from '@/lib/risk';
import { translate } from '@/lib/i18n';
import { applyPayment, createOrder } from '@/lib/orders';
import { createEndpoint } from '@/lib/webhooks';
import { createApiKey } from '@/lib/auth';
import { adjustBalance, createAgent, createAgentApiKey, createInvite, decideWithdrawal, joinByInvite, requestWithdrawal, type Agent } from '@/lib/agents';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedEpayChannel, seedMerchant, seedProduct } from '@/test/fixtures';

const session = vi.hoisted(() => ({ claims: null as SessionClaims | null }));
vi.mock('@/app/(auth)/auth', () => ({ auth: async () => session.claims, signIn: async () => undefined, signOut: async () => undefined }));
vi.mock('next/headers', () => ({
  headers: async () => new Headers({ 'x-openfaka-peer': '198.51.100.23' }),
  cookies: async () => ({ get: () => undefined, set: () => undefined, delete: () => undefined, getAll: () => [] }),
}));
vi.mock('next/cache', () => ({ revalidateTag: () => {}, revalidatePath: () => {}, updateTag: () => {}, refresh: () => {}, unstable_cache: (f: unknown) => f }));
vi.mock('next-intl/server', () => ({
  getTranslations: async (ns?: string) => {
    const t = (key: string, vars?: Record<string, string | number>) => translate('en', ns ? `${ns}.${key}` : key, vars);
    return Object.assign(t, { has: (key: string) => translate('en', ns ? `${ns}.${key}` : key) !== (ns ? `${ns}.${key}` : key) });
  },
  getLocale: async () => 'en',
}));

type Fn = (...args: unknown[]) => Promise<unknown>;
/** `agentApi`: an agent's own API key; `agent`: an agent's console session. */
type Case = { as: 'merchant' | 'admin' | 'api' | 'agentApi' | 'agent'; expect: string[]; args: () => Promise<unknown[]> };

const root = path.dirname(fileURLToPath(import.meta.url));

/** Server-action modules and route handlers under a folder, by path relative to app/. */
function scan(dir: string, pick: (file: string, text: string) => boolean): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(e.name) && !e.name.includes('.test.') && pick(e.name, readFileSync(full, 'utf8'))) found.push(path.relative(root, full));
    }
  };
  walk(path.join(root, dir));
  return found;
}
const consoleFiles = scan('(console)', (name, text) => name === 'route.ts' || /^\s*['"]use server['"]/.test(text));
const apiRoutes = scan('api/v1', (name) => name === 'route.ts');

let t: TestDb;
let m: Awaited<ReturnType<typeof seedMerchant>>;
let other: Awaited<ReturnType<typeof seedMerchant>>;
let adminClaims: SessionClaims;
let merchantClaims: SessionClaims;
/** The console session of an agent of `m` (its own login), for the agent console's actions. */
let agentClaims: SessionClaims;
let sessionAgent: Agent;
const sessionActor = () => ({ kind: 'agent' as const, id: sessionAgent.userId, merchantId: m.merchantId, ip: null, agentId: sessionAgent.id });

/** The session agent's open withdrawal, made if there is none. */
async function openWithdrawal(): Promise<string> {
  const [open] = await t.db.execute<{ id: string }>(
    sql`SELECT id FROM agent_withdrawals WHERE agent_id = ${sessionAgent.id} AND status IN ('pending', 'approved')`,
  );
  if (open) return open.id;
  return (await requestWithdrawal(t.db, sessionActor(), { amount: 1000, method: 'bank', account: '6222 0000 0000' })).id;
}

const form = (fields: Record<string, string | string[]>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) f.append(k, x);
  return f;
};
const one = async <T>(q: ReturnType<typeof sql>) => (await t.db.execute<T & Record<string, unknown>>(q))[0]!;

/** An order its buyer left for a manual payment. */
async function queuedOrder(): Promise<string> {
  const product = await seedProduct(t.db, m.merchantId, { keys: 1 });
  const o = await createOrder(
    t.db,
    { productId: product.id, quantity: 1, email: 'queued@example.test', channel: m.demoChannelId },
    { merchantId: m.merchantId },
  );
  // Queued directly: a demo order (its button shown at once) cannot be left by the buyer;
  // the buyer's side is tested in lib/orders/manual-queue.test.ts.
  await t.db.execute(sql`UPDATE orders SET manual_queue_at = now() WHERE order_no = ${o.orderNo}`);
  return o.orderNo;
}

async function paidOrder(productId: string, email = 'buyer@example.test'): Promise<string> {
  const o = await createOrder(t.db, { productId, quantity: 1, email, channel: m.demoChannelId }, { merchantId: m.merchantId });
  await applyPayment(t.db, m.demoChannelId, { outTradeNo: o.orderNo, tradeNo: `T-${o.orderNo}`, amount: o.amount, currency: o.currency, raw: {} });
  return o.orderNo;
}

/** A paid order a review rule held (the rule is made once, without an audit row of the case's own). */
async function heldOrder(): Promise<string> {
  await t.db.execute(sql`
    INSERT INTO risk_rules (merchant_id, kind, pattern, action) SELECT ${m.merchantId}, 'email_domain', 'held.test', 'review'
     WHERE NOT EXISTS (SELECT 1 FROM risk_rules WHERE merchant_id = ${m.merchantId} AND pattern = 'held.test')`);
  return paidOrder((await seedProduct(t.db, m.merchantId, { keys: 1 })).id, 'buyer@held.test');
}

function api(pathname: string, method: string, body?: unknown, key = m.apiKey): Request {
  return new Request(`http://shop.test${pathname}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
const params = (p: Record<string, string>) => ({ params: Promise.resolve(p) });

let agentSeq = 0;
/** An agent of the merchant with a console login and some available money (set up without audit rows of the case's own). */
async function seedAgent(): Promise<{ agent: Agent; key: string; userId: string }> {
  const n = ++agentSeq;
  const agent = await createAgent(t.db, systemActor(m.merchantId), {
    slug: `audit-agent-${n}`,
    name: `Agent ${n}`,
    rank: 3,
    email: `agent${n}@audit.test`,
    password: 'agent password 1',
  });
  await adjustBalance(t.db, systemActor(m.merchantId), { agentId: agent.id, amount: 100_000, reason: 'seed' });
  const { key } = await createAgentApiKey(t.db, systemActor(m.merchantId), { agentId: agent.id });
  return { agent, key, userId: agent.userId! };
}

/** How to call each write, as whom, and the audit rows it must add. Keyed `file#export`. */
const cases: Record<string, Case> = {
  '(console)/console/admin/actions.ts#createMerchantAction': {
    as: 'admin',
    expect: ['merchant.create', 'api_key.create', 'channel.create'],
    args: async () => [{}, form({ email: 'opened@example.test', password: 'a long password 1', slug: 'opened' })],
  },
  '(console)/console/admin/actions.ts#setMerchantStatusAction': {
    as: 'admin',
    expect: ['merchant.suspend'],
    args: async () => [{}, form({ merchantId: other.merchantId, status: 'suspended' })],
  },
  '(console)/console/admin/actions.ts#chooseDefaultMerchantAction': {
    as: 'admin',
    expect: ['platform.default_merchant'],
    args: async () => [{}, form({ merchantId: m.merchantId })],
  },
  '(console)/console/api-keys/actions.ts#createApiKeyAction': {
    as: 'merchant',
    expect: ['api_key.create'],
    args: async () => [{}, form({ name: 'ci', scopes: ['orders:read'] })],
  },
  '(console)/console/api-keys/actions.ts#revokeApiKeyAction': {
    as: 'merchant',
    expect: ['api_key.revoke'],
    args: async () => [{}, form({ apiKeyId: (await createApiKey(t.db, systemActor(m.merchantId), { name: 'to revoke' })).id })],
  },
  '(console)/console/channels/actions.ts#createChannelAction': {
    as: 'merchant',
    expect: ['channel.create'],
    args: async () => [
      {},
      form({
        kind: 'epay',
        name: 'Epay',
        priority: '1',
        'config.gateway': 'https://pay.example.com',
        'config.pid': '1001',
        'config.key': 'epay-key-0123456789',
      }),
    ],
  },
  '(console)/console/channels/actions.ts#updateChannelAction': {
    as: 'merchant',
    expect: ['channel.update'],
    args: async () => [
      (await seedEpayChannel(t.db, m.merchantId, 'https://pay.example.com')).id,
      {},
      form({ name: 'Renamed', priority: '0', 'config.gateway': 'https://pay.example.com', 'config.pid': '1001' }),
    ],
  },
  '(console)/console/channels/actions.ts#setChannelEnabledAction': {
    as: 'merchant',
    expect: ['channel.disable'],
    args: async () => [(await seedEpayChannel(t.db, m.merchantId, 'https://pay.example.com')).id, false, {}, form({})],
  },
  // Asks the provider; changes nothing (the demo channel has nothing to ask).
  '(console)/console/channels/actions.ts#testChannelAction': { as: 'merchant', expect: [], args: async () => [m.demoChannelId, {}, form({})] },
  '(console)/console/keys/actions.ts#revealKeyAction': {
    as: 'merchant',
    expect: ['key.reveal'],
    args: async () => {
      const p = await seedProduct(t.db, m.merchantId, { keys: 1 });
      return [(await one<{ id: string }>(sql`SELECT id::text FROM card_keys WHERE product_id = ${p.id}`)).id];
    },
  },
  '(console)/console/keys/actions.ts#voidKeysAction': {
    as: 'merchant',
    expect: ['key.void'],
    args: async () => {
      const p = await seedProduct(t.db, m.merchantId, { keys: 2 });
      const k = await one<{ id: string }>(sql`SELECT id::text FROM card_keys WHERE product_id = ${p.id} ORDER BY id LIMIT 1`);
      return [{ productId: p.id, keyIds: [k.id] }];
    },
  },
  '(console)/console/keys/actions.ts#importKeysBatchAction': {
    as: 'merchant',
    expect: ['key.import'],
    args: async () => [{ productId: (await seedProduct(t.db, m.merchantId)).id, keys: ['NEW-1', 'NEW-2'], first: true }],
  },
  // The end of an import only refreshes the storefront's cache.
  '(console)/console/keys/actions.ts#finishKeyImportAction': { as: 'merchant', expect: [], args: async () => [(await seedProduct(t.db, m.merchantId)).id] },
  '(console)/console/keys/export/route.ts#GET': {
    as: 'merchant',
    expect: ['key.export'],
    args: async () => [new Request(`http://shop.test/console/keys/export?product=${(await seedProduct(t.db, m.merchantId, { keys: 2 })).id}&status=available`)],
  },
  '(console)/console/orders/actions.ts#revealOrderItemsAction': {
    as: 'merchant',
    expect: ['order.keys_reveal'],
    args: async () => [await paidOrder((await seedProduct(t.db, m.merchantId, { keys: 1 })).id)],
  },
  '(console)/console/orders/actions.ts#deliverManuallyAction': {
    as: 'merchant',
    expect: ['order.manual_delivery'],
    args: async () => [{}, form({ orderNo: await paidOrder((await seedProduct(t.db, m.merchantId, { deliveryType: 'manual' })).id), text: 'ACCOUNT-1' })],
  },
  '(console)/console/orders/actions.ts#resendMailAction': {
    as: 'merchant',
    expect: ['order.resend_mail'],
    args: async () => [{}, form({ orderNo: await paidOrder((await seedProduct(t.db, m.merchantId, { keys: 1 })).id) })],
  },
  '(console)/console/orders/actions.ts#refundAction': {
    as: 'merchant',
    expect: ['order.refund'],
    args: async () => [{}, form({ orderNo: await paidOrder((await seedProduct(t.db, m.merchantId, { keys: 1 })).id), keys: 'void' })],
  },
  '(console)/console/orders/actions.ts#sendPaymentLinkAction': {
    as: 'merchant',
    expect: ['order.payment_link'],
    args: async () => [{}, form({ orderNo: await queuedOrder() })],
  },
  '(console)/console/orders/actions.ts#recordOfflinePaymentAction': {
    as: 'merchant',
    expect: ['order.offline_payment'],
    args: async () => [{}, form({ orderNo: await queuedOrder(), reference: 'BANK-20261206-1' })],
  },
  '(console)/console/orders/actions.ts#reviewOrderAction': {
    as: 'merchant',
    expect: ['order.review_approve'],
    args: async () => [{}, form({ orderNo: await heldOrder(), decision: 'approve' })],
  },
  'api/v1/orders/[orderNo]/review/route.ts#POST': {
    as: 'api',
    expect: ['order.review_reject'],
    args: async () => {
      const orderNo = await heldOrder();
      return [api(`/api/v1/orders/${orderNo}/review`, 'POST', { decision: 'reject', reason: 'test' }), params({ orderNo })];
    },
  },
  '(console)/console/orders/export/route.ts#GET': {
    as: 'merchant',
    expect: ['order.export'],
    args: async () => [new Request('http://shop.test/console/orders/export')],
  },
  '(console)/console/outbox/actions.ts#retryOutboxAction': {
    as: 'merchant',
    expect: ['outbox.retry'],
    args: async () => {
      const row = await one<{ id: string }>(
        sql`INSERT INTO outbox (merchant_id, topic, consumer, payload, status, attempts, last_error) VALUES (${m.merchantId}, 'order.delivered', 'mail.delivery', '{}'::jsonb, 'dead', 10, 'SMTP refused') RETURNING id::text`,
      );
      return [{}, form({ outboxId: row.id })];
    },
  },
  '(console)/console/products/actions.ts#saveProductAction': {
    as: 'merchant',
    expect: ['product.create'],
    args: async () => [{}, form({ title: 'From the form', price: '12.00', currency: 'CNY', deliveryType: 'auto', active: 'on', minQty: '1', maxQty: '5' })],
  },
  '(console)/console/products/actions.ts#toggleProductAction': {
    as: 'merchant',
    expect: ['product.update'],
    args: async () => [{}, form({ id: (await seedProduct(t.db, m.merchantId)).id, active: 'false' })],
  },
  '(console)/console/products/actions.ts#moveProductAction': {
    as: 'merchant',
    expect: ['product.update'],
    args: async () => [{}, form({ id: (await seedProduct(t.db, m.merchantId)).id, direction: 'up' })],
  },
  '(console)/console/products/actions.ts#createCategoryAction': {
    as: 'merchant',
    expect: ['category.create'],
    args: async () => [{}, form({ name: 'Games' })],
  },
  '(console)/console/products/actions.ts#updateCategoryAction': {
    as: 'merchant',
    expect: ['category.update'],
    args: async () => [{}, form({ id: (await createCategory(t.db, systemActor(m.merchantId), { name: 'Old name' })).id, name: 'New name' })],
  },
  '(console)/console/products/actions.ts#moveCategoryAction': {
    as: 'merchant',
    expect: ['category.update'],
    args: async () => [{}, form({ id: (await createCategory(t.db, systemActor(m.merchantId), { name: 'Movable' })).id, direction: 'up' })],
  },
  '(console)/console/products/actions.ts#deleteCategoryAction': {
    as: 'merchant',
    expect: ['category.delete'],
    args: async () => [{}, form({ id: (await createCategory(t.db, systemActor(m.merchantId), { name: 'Unused' })).id })],
  },
  '(console)/console/products/actions.ts#deliverySecretAction': {
    as: 'merchant',
    expect: ['product.delivery_secret_reveal'],
    args: async () => [{}, form({ id: (await seedProduct(t.db, m.merchantId, { deliveryType: 'webhook', deliveryUrl: 'https://example.com/deliver' })).id })],
  },
  '(console)/console/settings/actions.ts#updateSettingsAction': {
    as: 'merchant',
    expect: ['settings.update'],
    args: async () => [{}, form({ name: 'A new name', orderExpiryMinutes: '20' })],
  },
  '(console)/console/settings/actions.ts#changePasswordAction': {
    as: 'merchant',
    expect: ['auth.password_change'],
    args: async () => [{}, form({ current: 'correct horse battery', next: 'a brand new password', confirm: 'a brand new password' })],
  },
  '(console)/console/webhooks/actions.ts#createEndpointAction': {
    as: 'merchant',
    expect: ['webhook.create'],
    args: async () => [{}, form({ kind: 'http', name: 'ERP', url: 'https://example.com/hook' })],
  },
  '(console)/console/webhooks/actions.ts#toggleEndpointAction': {
    as: 'merchant',
    expect: ['webhook.disable'],
    args: async () => [{}, form({ endpointId: (await endpoint()).id, enabled: 'false' })],
  },
  '(console)/console/webhooks/actions.ts#testEndpointAction': {
    as: 'merchant',
    expect: ['webhook.test'],
    args: async () => [{}, form({ endpointId: (await endpoint()).id })],
  },
  '(console)/console/webhooks/actions.ts#deleteEndpointAction': {
    as: 'merchant',
    expect: ['webhook.delete'],
    args: async () => [{}, form({ endpointId: (await endpoint()).id })],
  },
  'api/v1/products/route.ts#POST': {
    as: 'api',
    expect: ['product.create'],
    args: async () => [api('/api/v1/products', 'POST', { title: 'By API', price: 500 })],
  },
  'api/v1/products/[id]/keys/route.ts#POST': {
    as: 'api',
    expect: ['key.import'],
    args: async () => {
      const id = (await seedProduct(t.db, m.merchantId)).id;
      return [api(`/api/v1/products/${id}/keys`, 'POST', { keys: ['API-1', 'API-2'] }), params({ id })];
    },
  },
  'api/v1/channels/route.ts#POST': {
    as: 'api',
    expect: ['channel.create'],
    args: async () => [
      api('/api/v1/channels', 'POST', { kind: 'epay', name: 'By API', config: { gateway: 'https://pay.example.com', pid: '9', key: 'epay-key-0123456789' } }),
    ],
  },
  'api/v1/channels/[id]/route.ts#PATCH': {
    as: 'api',
    expect: ['channel.update'],
    args: async () => {
      const id = (await seedEpayChannel(t.db, m.merchantId, 'https://pay.example.com')).id;
      return [api(`/api/v1/channels/${id}`, 'PATCH', { name: 'Patched' }), params({ id })];
    },
  },
  'api/v1/risk/policy/route.ts#PUT': {
    as: 'api',
    expect: ['risk.policy_update'],
    args: async () => [api('/api/v1/risk/policy', 'PUT', { pendingPerAddress: 4, pendingPerEmail: 2, stockSharePercent: 20 })],
  },
  'api/v1/risk/rules/route.ts#POST': {
    as: 'api',
    expect: ['risk.rule_create'],
    args: async () => [api('/api/v1/risk/rules', 'POST', { kind: 'cidr', pattern: '203.0.113.0/24' })],
  },
  'api/v1/risk/rules/[id]/route.ts#DELETE': {
    as: 'api',
    expect: ['risk.rule_delete'],
    args: async () => {
      const id = (await createRiskRule(t.db, systemActor(m.merchantId), { kind: 'email', pattern: 'gone@example.test' })).id;
      return [api(`/api/v1/risk/rules/${id}`, 'DELETE'), params({ id })];
    },
  },
  '(console)/console/risk/actions.ts#createRiskRuleAction': {
    as: 'merchant',
    expect: ['risk.rule_create'],
    args: async () => [{}, form({ kind: 'email_domain', pattern: 'mailinator.com', duration: '24h', note: 'throwaway' })],
  },
  '(console)/console/risk/actions.ts#deleteRiskRuleAction': {
    as: 'merchant',
    expect: ['risk.rule_delete'],
    args: async () => [{}, form({ ruleId: (await createRiskRule(t.db, systemActor(m.merchantId), { kind: 'ip', pattern: '192.0.2.1' })).id })],
  },
  '(console)/console/risk/actions.ts#updateRiskPolicyAction': {
    as: 'merchant',
    expect: ['risk.policy_update'],
    args: async () => [{}, form({ pendingPerAddress: '5', pendingPerEmail: '3', stockSharePercent: '25', velocityChallengeAbove: '6' })],
  },
  '(console)/console/admin/actions.ts#createPlatformRuleAction': {
    as: 'admin',
    expect: ['risk.rule_create'],
    args: async () => [{}, form({ kind: 'cidr', pattern: '198.18.0.0/15', action: 'challenge', duration: '7d', note: 'bench range' })],
  },
  '(console)/console/admin/actions.ts#deletePlatformRuleAction': {
    as: 'admin',
    expect: ['risk.rule_delete'],
    args: async () => {
      const admin = { kind: 'user' as const, id: null, merchantId: null, ip: null };
      return [{}, form({ ruleId: (await createPlatformRiskRule(t.db, admin, { kind: 'email', pattern: 'platform-gone@example.test' })).id })];
    },
  },
  '(console)/console/risk/actions.ts#importRiskRulesAction': {
    as: 'merchant',
    expect: ['risk.rule_import'],
    args: async () => {
      const f = new FormData();
      f.append('file', new File(['kind,pattern\nemail,imported@example.test\n'], 'rules.csv', { type: 'text/csv' }));
      return [{}, f];
    },
  },
  '(console)/console/risk/export/route.ts#GET': { as: 'merchant', expect: ['risk.rule_export'], args: async () => [] },
  'api/v1/risk/rules/import/route.ts#POST': {
    as: 'api',
    expect: ['risk.rule_import'],
    args: async () => [
      new Request('http://shop.test/api/v1/risk/rules/import', {
        method: 'POST',
        headers: { authorization: `Bearer ${m.apiKey}`, 'content-type': 'text/csv' },
        body: 'cidr,203.0.113.128/25,challenge\n',
      }),
    ],
  },
  '(console)/console/risk/actions.ts#testRiskAction': {
    as: 'merchant',
    expect: [],
    args: async () => [{}, form({ address: '203.0.113.7', email: 'someone@mailinator.com' })],
  },
  'api/v1/coupons/route.ts#POST': {
    as: 'api',
    expect: ['coupon.create'],
    args: async () => [api('/api/v1/coupons', 'POST', { type: 'fixed', value: 500, count: 3, prefix: 'API' })],
  },
  'api/v1/coupons/[id]/route.ts#PATCH': {
    as: 'api',
    expect: ['coupon.disable'],
    args: async () => {
      const id = (await createCoupons(t.db, systemActor(m.merchantId), { type: 'fixed', value: 100 })).coupons[0]!.id;
      return [api(`/api/v1/coupons/${id}`, 'PATCH', { enabled: false }), params({ id })];
    },
  },
  'api/v1/agent-levels/route.ts#POST': {
    as: 'api',
    expect: ['agent_level.save'],
    args: async () => [api('/api/v1/agent-levels', 'POST', { rank: 4, name: 'API level', discountBp: 1500 })],
  },
  'api/v1/agent-levels/template/route.ts#POST': {
    as: 'api',
    expect: ['agent_level.template'],
    args: async () => [api('/api/v1/agent-levels/template', 'POST')],
  },
  'api/v1/agent-levels/[rank]/prices/route.ts#PUT': {
    as: 'api',
    expect: ['agent_level.prices'],
    args: async () => {
      const product = await seedProduct(t.db, m.merchantId, { price: 1000 });
      return [api('/api/v1/agent-levels/2/prices', 'PUT', { prices: [{ productId: product.id, cost: 800, visible: true }] }), params({ rank: '2' })];
    },
  },
  'api/v1/agents/route.ts#POST': {
    as: 'api',
    expect: ['agent.create'],
    args: async () => [api('/api/v1/agents', 'POST', { slug: 'by-api', name: 'By API', rank: 1 })],
  },
  'api/v1/agents/[id]/route.ts#PATCH': {
    as: 'api',
    expect: ['agent.update'],
    args: async () => {
      const { agent } = await seedAgent();
      return [api(`/api/v1/agents/${agent.id}`, 'PATCH', { rank: 2 }), params({ id: agent.id })];
    },
  },
  'api/v1/agents/[id]/review/route.ts#POST': {
    as: 'api',
    expect: ['agent.approve'],
    args: async () => {
      const { token } = await createInvite(t.db, systemActor(m.merchantId), { rank: 1 });
      const { agentId } = await joinByInvite(
        t.db,
        { token, email: 'applicant@audit.test', password: 'applicant password', name: 'Applicant', slug: 'applicant', contact: 'wx' },
        null,
      );
      return [api(`/api/v1/agents/${agentId}/review`, 'POST', { decision: 'approve' }), params({ id: agentId })];
    },
  },
  'api/v1/agents/[id]/adjustments/route.ts#POST': {
    as: 'api',
    expect: ['agent.adjust'],
    args: async () => {
      const { agent } = await seedAgent();
      return [api(`/api/v1/agents/${agent.id}/adjustments`, 'POST', { amount: -500, reason: 'correction' }), params({ id: agent.id })];
    },
  },
  'api/v1/agents/[id]/api-keys/route.ts#POST': {
    as: 'api',
    expect: ['api_key.create'],
    args: async () => {
      const { agent } = await seedAgent();
      return [api(`/api/v1/agents/${agent.id}/api-keys`, 'POST', { name: 'bot' }), params({ id: agent.id })];
    },
  },
  'api/v1/agent-invites/route.ts#POST': {
    as: 'api',
    expect: ['agent_invite.create'],
    args: async () => [api('/api/v1/agent-invites', 'POST', { rank: 2, maxUses: 5 })],
  },
  'api/v1/withdrawals/[id]/[decision]/route.ts#POST': {
    as: 'api',
    expect: ['withdrawal.approve'],
    args: async () => {
      const { agent } = await seedAgent();
      const w = await requestWithdrawal(
        t.db,
        { kind: 'agent', id: 'seed', merchantId: m.merchantId, ip: null, agentId: agent.id },
        { amount: 5000, method: 'bank', account: '6222 0000' },
      );
      return [api(`/api/v1/withdrawals/${w.id}/approve`, 'POST'), params({ id: w.id, decision: 'approve' })];
    },
  },
  'api/v1/orders/[orderNo]/refunds/route.ts#POST': {
    as: 'api',
    expect: ['order.refund'],
    args: async () => {
      const orderNo = await paidOrder((await seedProduct(t.db, m.merchantId, { keys: 1, price: 1000 })).id);
      return [api(`/api/v1/orders/${orderNo}/refunds`, 'POST', { amount: 300, reason: 'partial', keys: 'keep' }), params({ orderNo })];
    },
  },
  'api/v1/agent/products/[productId]/route.ts#PUT': {
    as: 'agentApi',
    expect: ['agent.product'],
    args: async () => {
      const { key } = await seedAgent();
      const product = await seedProduct(t.db, m.merchantId, { price: 1000 });
      return [api(`/api/v1/agent/products/${product.id}`, 'PUT', { listed: false }, key), params({ productId: product.id })];
    },
  },
  'api/v1/agent/withdrawals/route.ts#POST': {
    as: 'agentApi',
    expect: ['withdrawal.request'],
    args: async () => [api('/api/v1/agent/withdrawals', 'POST', { amount: 5000, method: 'alipay', account: 'agent@alipay.test' }, (await seedAgent()).key)],
  },
  'api/v1/agent/invites/route.ts#POST': {
    as: 'agentApi',
    expect: ['agent_invite.create'],
    args: async () => [api('/api/v1/agent/invites', 'POST', { rank: 1 }, (await seedAgent()).key)],
  },
  '(console)/console/agent/actions.ts#updateAgentShopAction': {
    as: 'agent',
    expect: ['agent.shop_update'],
    args: async () => [{}, form({ name: 'My shop', notice: 'Welcome', contact: 'wx: me', logoUrl: '' })],
  },
  '(console)/console/agent/actions.ts#setAgentProductAction': {
    as: 'agent',
    expect: ['agent.product'],
    args: async () => [{}, form({ productId: (await seedProduct(t.db, m.merchantId, { price: 1000 })).id, mode: 'markup', value: '10' })],
  },
  '(console)/console/agent/actions.ts#requestWithdrawalAction': {
    as: 'agent',
    expect: ['withdrawal.request'],
    args: async () => {
      const open = await t.db.execute<{ id: string }>(
        sql`SELECT id FROM agent_withdrawals WHERE agent_id = ${sessionAgent.id} AND status IN ('pending', 'approved')`,
      );
      for (const w of open) await decideWithdrawal(t.db, sessionActor(), { id: w.id, decision: 'cancel' });
      return [{}, form({ amount: '50.00', method: 'alipay', account: 'agent@alipay.test', accountName: 'Agent' })];
    },
  },
  '(console)/console/agent/actions.ts#cancelWithdrawalAction': {
    as: 'agent',
    expect: ['withdrawal.cancel'],
    args: async () => [{}, form({ id: await openWithdrawal() })],
  },
  '(console)/console/agent/actions.ts#createInviteAction': {
    as: 'agent',
    expect: ['agent_invite.create'],
    args: async () => [{}, form({ rank: '1', maxUses: '3', validDays: '7' })],
  },
  '(console)/console/agent/actions.ts#revokeInviteAction': {
    as: 'agent',
    expect: ['agent_invite.revoke'],
    args: async () => [{}, form({ id: (await createInvite(t.db, sessionActor(), { rank: 1 })).id })],
  },
  '(console)/console/agent/actions.ts#createAgentApiKeyAction': {
    as: 'agent',
    expect: ['api_key.create'],
    args: async () => [{}, form({ name: 'my bot' })],
  },
  '(console)/console/agents/actions.ts#applyLevelTemplateAction': {
    as: 'merchant',
    expect: ['agent_level.template'],
    args: async () => [{}, form({})],
  },
  '(console)/console/agents/actions.ts#saveLevelAction': {
    as: 'merchant',
    expect: ['agent_level.save'],
    args: async () => [
      {},
      form({
        rank: '5',
        name: 'Diamond+',
        discountBp: '20',
        minMarkupBp: '0',
        maxMarkupBp: '50',
        holdHours: '72',
        withdrawMin: '10',
        withdrawFeeBp: '0',
        parentShare: 'price_diff',
        parentShareBp: '0',
      }),
    ],
  },
  '(console)/console/agents/actions.ts#setLevelPricesAction': {
    as: 'merchant',
    expect: ['agent_level.prices'],
    args: async () => [{}, form({ rank: '2', productId: (await seedProduct(t.db, m.merchantId, { price: 1000 })).id, cost: '8.00', visible: 'shown' })],
  },
  '(console)/console/agents/actions.ts#createAgentAction': {
    as: 'merchant',
    expect: ['agent.create'],
    args: async () => [{}, form({ name: 'Console agent', slug: 'console-agent', rank: '1', parentId: '', contact: '', email: '', password: '' })],
  },
  '(console)/console/agents/actions.ts#reviewApplicationAction': {
    as: 'merchant',
    expect: ['agent.reject'],
    args: async () => {
      const { token } = await createInvite(t.db, systemActor(m.merchantId), { rank: 1 });
      const { agentId } = await joinByInvite(
        t.db,
        { token, email: 'applicant2@audit.test', password: 'applicant password', name: 'Applicant 2', slug: 'applicant-2', contact: 'wx' },
        null,
      );
      return [{}, form({ agentId, decision: 'reject', reason: 'not a fit' })];
    },
  },
  '(console)/console/agents/actions.ts#updateAgentAction': {
    as: 'merchant',
    expect: ['agent.update'],
    args: async () => {
      const { agent } = await seedAgent();
      return [{}, form({ agentId: agent.id, rank: '2', status: 'suspended', parentId: '', wasRank: '3', wasStatus: 'active', wasParentId: '' })];
    },
  },
  '(console)/console/agents/actions.ts#adjustBalanceAction': {
    as: 'merchant',
    expect: ['agent.adjust'],
    args: async () => [{}, form({ agentId: (await seedAgent()).agent.id, amount: '-3.50', reason: 'correction' })],
  },
  '(console)/console/agents/actions.ts#createAgentApiKeyAction': {
    as: 'merchant',
    expect: ['api_key.create'],
    args: async () => [{}, form({ agentId: (await seedAgent()).agent.id, name: 'bot' })],
  },
  '(console)/console/agents/actions.ts#revokeAgentApiKeyAction': {
    as: 'merchant',
    expect: ['api_key.revoke'],
    args: async () => {
      const { agent } = await seedAgent();
      const { id } = await createAgentApiKey(t.db, systemActor(m.merchantId), { agentId: agent.id });
      return [{}, form({ apiKeyId: id, agentId: agent.id })];
    },
  },
  '(console)/console/agents/actions.ts#createInviteAction': {
    as: 'merchant',
    expect: ['agent_invite.create'],
    args: async () => [{}, form({ rank: '2', maxUses: '5', expiresAt: '2099-01-01', autoApprove: 'on' })],
  },
  '(console)/console/agents/actions.ts#revokeInviteAction': {
    as: 'merchant',
    expect: ['agent_invite.revoke'],
    args: async () => [{}, form({ inviteId: (await createInvite(t.db, systemActor(m.merchantId), { rank: 1 })).id })],
  },
  '(console)/console/agents/actions.ts#decideWithdrawalAction': {
    as: 'merchant',
    expect: ['withdrawal.pay'],
    args: async () => {
      const { agent } = await seedAgent();
      const w = await requestWithdrawal(
        t.db,
        { kind: 'agent', id: 'seed', merchantId: m.merchantId, ip: null, agentId: agent.id },
        { amount: 5000, method: 'wechat', account: 'wx-agent' },
      );
      return [{}, form({ withdrawalId: w.id, decision: 'pay', reference: 'WX-1' })];
    },
  },
  '(console)/console/coupons/actions.ts#createCouponsAction': {
    as: 'merchant',
    expect: ['coupon.create'],
    args: async () => [
      {},
      form({ mode: 'single', code: 'CONSOLE5', type: 'fixed', value: '5.00', currency: 'CNY', scope: 'all', totalLimit: '1', enabled: 'on' }),
    ],
  },
  '(console)/console/coupons/actions.ts#updateCouponAction': {
    as: 'merchant',
    expect: ['coupon.update'],
    args: async () => {
      const { batchId } = await createCoupons(t.db, systemActor(m.merchantId), { type: 'fixed', value: 100, count: 2 });
      return [{}, form({ batchId: batchId!, type: 'percent', value: '10', currency: 'CNY', scope: 'all', enabled: 'on', stackWholesale: 'on' })];
    },
  },
  '(console)/console/coupons/actions.ts#setCouponEnabledAction': {
    as: 'merchant',
    expect: ['coupon.enable'],
    args: async () => {
      const id = (await createCoupons(t.db, systemActor(m.merchantId), { type: 'fixed', value: 100, enabled: false })).coupons[0]!.id;
      return [{}, form({ couponId: id, enabled: 'true' })];
    },
  },
  '(console)/console/coupons/export/route.ts#GET': {
    as: 'merchant',
    expect: ['coupon.export'],
    args: async () => {
      const { batchId } = await createCoupons(t.db, systemActor(m.merchantId), { type: 'fixed', value: 100, count: 2 });
      return [new Request(`http://shop.test/console/coupons/export?batch=${batchId}`)];
    },
  },
};

async function endpoint() {
  return (await createEndpoint(t.db, systemActor(m.merchantId), { kind: 'http', name: 'Hook', url: 'https://example.com/hook', events: [] })).endpoint;
}

/** Every callable this test must cover: server actions and route handlers by export name. */
async function writePaths(): Promise<string[]> {
  const names: string[] = [];
  for (const file of consoleFiles) {
    const mod = (await import(path.join(root, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod))
      if (typeof value === 'function' && (file.endsWith('route.ts') ? name === 'GET' || name === 'POST' : true)) names.push(`${file}#${name}`);
  }
  for (const file of apiRoutes) {
    const mod = (await import(path.join(root, file))) as Record<string, unknown>;
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) if (typeof mod[method] === 'function') names.push(`${file}#${method}`);
  }
  return names.map((n) => n.split(path.sep).join('/'));
}

beforeAll(async () => {
  t = await createTestDatabase({ max: 20 });
  m = await seedMerchant(t.db, 'audited');
  other = await seedMerchant(t.db, 'audited-other');
  const admin = await createAdmin(t.db, systemActor(), { email: 'root@example.test', password: 'admin password 1' });
  adminClaims = { uid: admin.userId, role: 'admin', mid: null, sv: 0 };
  merchantClaims = { uid: m.userId, role: 'merchant', mid: m.merchantId, sv: 0 };
  const seeded = await seedAgent();
  sessionAgent = seeded.agent;
  agentClaims = { uid: seeded.userId, role: 'agent', mid: m.merchantId, sv: 0 };
});
afterAll(async () => dropTestDatabase(t));

describe('every write is audited exactly once', () => {
  it('finds the console actions, console routes and merchant-API writes, and each one is listed here', async () => {
    const found = await writePaths();
    expect(found.length).toBeGreaterThan(30);
    expect(found.filter((n) => !(n in cases))).toEqual([]);
    expect(Object.keys(cases).filter((n) => !found.includes(n))).toEqual([]);
  });

  for (const [name, c] of Object.entries(cases)) {
    it(`${name} writes ${c.expect.length ? c.expect.join(' + ') : 'no audit row'}`, async () => {
      const args = await c.args();
      // A password change bumps the session version: sign in afresh for every case.
      const { sv } = await one<{ sv: number }>(sql`SELECT session_version AS sv FROM users WHERE id = ${m.userId}`);
      session.claims = c.as === 'admin' ? adminClaims : c.as === 'merchant' ? { ...merchantClaims, sv } : c.as === 'agent' ? agentClaims : null;
      const [file, exported] = name.split('#') as [string, string];
      const fn = ((await import(path.join(root, file))) as Record<string, Fn>)[exported]!;
      const { n: before } = await one<{ n: string }>(sql`SELECT coalesce(max(id), 0) AS n FROM audit_log`);
      let outcome: unknown;
      try {
        outcome = await fn(...args);
      } catch (err) {
        // A redirect after success (new channel, new product) is how those actions answer.
        if (!String((err as { digest?: string }).digest ?? '').startsWith('NEXT_REDIRECT')) throw err;
      }
      if (outcome instanceof Response) {
        expect(outcome.status, await outcome.clone().text()).toBeLessThan(300);
        await outcome.body?.cancel();
      } else if (c.expect.length) {
        expect((outcome as { error?: string } | undefined)?.error, JSON.stringify(outcome)).toBeUndefined();
      }
      const rows = await t.db.execute<{ action: string; actor_type: string; ip: string | null }>(
        sql`SELECT action, actor_type, ip FROM audit_log WHERE id > ${before} ORDER BY id`,
      );
      expect(rows.map((r) => r.action).sort()).toEqual([...c.expect].sort());
      // The actor is the caller: its kind, and the address the request came from.
      for (const r of rows) {
        expect(r.actor_type).toBe(c.as === 'api' ? 'api_key' : c.as === 'agentApi' || c.as === 'agent' ? 'agent' : 'user');
        if (c.as !== 'api' && c.as !== 'agentApi') expect(r.ip).toBe('198.51.100.23');
      }
    });
  }
});
