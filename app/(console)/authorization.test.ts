// Every console server action and console route handler, called signed out, as an agent,
// as the platform admin (for merchant actions) and as another merchant, is refused and
// changes nothing. The list is found by globbing, so a new action is covered the day it
// is written. Sessions are the one thing simulated here (the Auth.js cookie); the guard,
// the domain modules and the database are real.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionClaims } from '@/app/(auth)/auth.config';
import { auditLog, paymentChannels } from '@/db/schema';
import { createAgent } from '@/lib/agents';
import { translate } from '@/lib/i18n';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';
import { createAdmin } from '@/lib/accounts';
import { hashPassword } from '@/lib/auth/passwords';
import { users } from '@/db/schema';
import { createEndpoint } from '@/lib/webhooks';
import { systemActor } from '@/lib/audit';
import { createOrder } from '@/lib/orders';

const session = vi.hoisted(() => ({ claims: null as SessionClaims | null }));

vi.mock('@/app/(auth)/auth', () => ({
  auth: async () => session.claims,
  signIn: async () => undefined,
  signOut: async () => undefined,
}));
vi.mock('next/headers', () => ({
  headers: async () => new Headers({ 'x-openfaka-peer': '192.0.2.77' }),
  cookies: async () => ({ get: () => undefined, set: () => undefined, delete: () => undefined, getAll: () => [] }),
}));
vi.mock('next/cache', () => ({ revalidateTag: () => {}, revalidatePath: () => {}, updateTag: () => {}, refresh: () => {}, unstable_cache: (f: unknown) => f }));
vi.mock('next-intl/server', () => ({
  getTranslations: async (ns?: string) => (key: string, vars?: Record<string, string | number>) => translate('en', ns ? `${ns}.${key}` : key, vars),
  getLocale: async () => 'en',
}));

type Action = (...args: unknown[]) => Promise<unknown>;

/** Every file under app/(console) that is a server-action module ('use server') or a route handler. */
function consoleFiles(): { actions: Record<string, () => Promise<unknown>>; routes: Record<string, () => Promise<unknown>> } {
  const root = path.dirname(fileURLToPath(import.meta.url));
  const actions: Record<string, () => Promise<unknown>> = {};
  const routes: Record<string, () => Promise<unknown>> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.includes('.test.')) {
        const rel = path.relative(root, full);
        if (/^route\.ts$/.test(entry.name)) routes[rel] = () => import(full);
        else if (/^\s*['"]use server['"]/.test(readFileSync(full, 'utf8'))) actions[rel] = () => import(full);
      }
    }
  };
  walk(root);
  return { actions, routes };
}
const { actions: actionModules, routes: routeModules } = consoleFiles();

let t: TestDb;
let victim: Awaited<ReturnType<typeof seedMerchant>>;
let intruder: Awaited<ReturnType<typeof seedMerchant>>;
const ids: Record<string, string> = {};
const claimsOf: Record<string, SessionClaims | null> = {};
let auditBaseline = '0';

/**
 * A fingerprint of every business table (or of one merchant's rows of them): equal before
 * and after means nothing changed.
 */
async function fingerprint(merchantId?: string): Promise<Record<string, string>> {
  const tables: Record<string, string> = {
    merchants: 'id',
    users: 'merchant_id',
    api_keys: 'merchant_id',
    categories: 'merchant_id',
    products: 'merchant_id',
    card_keys: 'merchant_id',
    orders: 'merchant_id',
    order_events: 'merchant_id',
    payments: 'merchant_id',
    payment_channels: 'merchant_id',
    outbox: 'merchant_id',
    agents: 'merchant_id',
    webhook_endpoints: 'merchant_id',
    platform_settings: '',
  };
  const out: Record<string, string> = {};
  for (const [table, column] of Object.entries(tables)) {
    const where = merchantId && column ? sql` WHERE x.${sql.raw(column)} = ${merchantId}` : sql``;
    const [row] = await t.db.execute<{ h: string | null }>(
      sql`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${sql.raw(table)} x${where}`,
    );
    out[table] = row!.h ?? '';
  }
  return out;
}

/** A form that names the victim's rows under every field name an action might read. */
function victimForm(): FormData {
  const form = new FormData();
  const fields: Record<string, string> = {
    id: ids.product!,
    productId: ids.product!,
    product: ids.product!,
    categoryId: ids.category!,
    category: ids.category!,
    keyId: ids.key!,
    keyIds: ids.key!,
    channelId: ids.channel!,
    channel: ids.channel!,
    orderNo: ids.orderNo!,
    orderId: ids.order!,
    merchantId: victim.merchantId,
    apiKeyId: ids.apiKey!,
    endpointId: ids.endpoint!,
    agentId: ids.agent!,
    outboxId: ids.outbox!,
    rowId: ids.outbox!,
    title: 'hijacked',
    name: 'hijacked',
    slug: 'hijacked',
    price: '1',
    keys: 'HIJACK-1\nHIJACK-2',
    text: 'HIJACK',
    status: 'void',
    enabled: 'false',
    active: 'false',
    restock: 'true',
    direction: 'up',
    email: 'x@example.test',
    password: 'hijacked password',
  };
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}

beforeAll(async () => {
  t = await createTestDatabase({ max: 20 });
  victim = await seedMerchant(t.db, 'victim');
  intruder = await seedMerchant(t.db, 'intruder');
  const product = await seedProduct(t.db, victim.merchantId, { keys: 3 });
  ids.product = product.id;
  const [cat] = await t.db.execute<{ id: string }>(
    sql`INSERT INTO categories (merchant_id, name, slug) VALUES (${victim.merchantId}, 'Cat', 'cat') RETURNING id`,
  );
  ids.category = cat!.id;
  const [key] = await t.db.execute<{ id: string }>(sql`SELECT id::text FROM card_keys WHERE product_id = ${product.id} ORDER BY id LIMIT 1`);
  ids.key = key!.id;
  ids.channel = victim.demoChannelId;
  const order = await createOrder(
    t.db,
    { productId: product.id, quantity: 1, email: 'buyer@example.test', channel: victim.demoChannelId },
    { merchantId: victim.merchantId },
  );
  ids.orderNo = order.orderNo;
  const [o] = await t.db.execute<{ id: string }>(sql`SELECT id FROM orders WHERE order_no = ${order.orderNo}`);
  ids.order = o!.id;
  const [k] = await t.db.execute<{ id: string }>(sql`SELECT id FROM api_keys WHERE merchant_id = ${victim.merchantId}`);
  ids.apiKey = k!.id;
  const agent = await createAgent(t.db, victim.actor, { slug: 'agent-a', name: 'Agent A', rank: 1 });
  ids.agent = agent.id;
  const [ob] = await t.db.execute<{ id: string }>(
    sql`INSERT INTO outbox (merchant_id, topic, consumer, payload, status, attempts) VALUES (${victim.merchantId}, 'order.delivered', 'mail.delivery', '{}'::jsonb, 'dead', 8) RETURNING id::text`,
  );
  ids.outbox = ob!.id;
  const [agentUser] = await t.db
    .insert(users)
    .values({ email: 'agent-a@example.test', passwordHash: await hashPassword('agent password 1'), role: 'agent', merchantId: victim.merchantId })
    .returning({ id: users.id });
  await t.db.execute(sql`UPDATE agents SET user_id = ${agentUser!.id} WHERE id = ${agent.id}`);
  const endpoint = await createEndpoint(t.db, victim.actor, { kind: 'http', name: 'Victim hook', url: 'https://example.com/hook', events: [] });
  ids.endpoint = endpoint.endpoint.id;
  const admin = await createAdmin(t.db, systemActor(), { email: 'root@example.test', password: 'admin password 1' });
  const [baseline] = await t.db.execute<{ id: string }>(sql`SELECT coalesce(max(id), 0) AS id FROM audit_log`);
  auditBaseline = baseline!.id;
  claimsOf['signed out'] = null;
  claimsOf['an agent of the merchant'] = { uid: agentUser!.id, role: 'agent', mid: victim.merchantId, sv: 0 };
  claimsOf['another merchant'] = { uid: intruder.userId, role: 'merchant', mid: intruder.merchantId, sv: 0 };
  claimsOf['the platform admin'] = { uid: admin.userId, role: 'admin', mid: null, sv: 0 };
  claimsOf['a stale session (password changed since)'] = { uid: victim.userId, role: 'merchant', mid: victim.merchantId, sv: 7 };
});
afterAll(async () => dropTestDatabase(t));

/** Did the call refuse? A thrown error, or a FormState carrying an error. */
function refused(outcome: { threw?: unknown; value?: unknown }): boolean {
  if (outcome.threw) return true;
  const v = outcome.value as { error?: unknown; ok?: unknown } | undefined | null;
  return !!v && typeof v === 'object' && !!v.error && !v.ok;
}

/**
 * The argument shapes console actions take: `(previousState, formData)` for useActionState,
 * `(formData)` for plain form actions, and a plain object or one id for actions called from
 * client code (the key import's batches). Each shape names the victim's rows.
 */
function argumentsFor(fn: Action): unknown[][] {
  if (fn.length >= 2) return [[{}, victimForm()]];
  const plain = { ...Object.fromEntries(victimForm().entries()), keys: ['HIJACK-1', 'HIJACK-2'], keyIds: [ids.key], first: true };
  return [[victimForm()], [plain], [ids.product]];
}

async function call(fn: Action, args: unknown[]): Promise<{ threw?: unknown; value?: unknown }> {
  try {
    return { value: await fn(...args) };
  } catch (threw) {
    return { threw };
  }
}

describe('console authorization', () => {
  it('finds the console actions to check', async () => {
    expect(Object.keys(actionModules).length).toBeGreaterThan(0);
  });

  for (const who of ['signed out', 'an agent of the merchant', 'another merchant', 'the platform admin', 'a stale session (password changed since)']) {
    it(`every console action called by ${who} with the merchant's ids ${who === 'another merchant' ? "changes and reveals nothing of the merchant's" : 'is refused and changes nothing'}`, async () => {
      session.claims = claimsOf[who]!;
      const failures: string[] = [];
      let checked = 0;
      for (const [file, load] of Object.entries(actionModules)) {
        // The admin's own actions are meant for the admin; they are checked below against the other roles.
        const adminOnly = file.split(path.sep).includes('admin');
        if (adminOnly && who === 'the platform admin') continue;
        // The agent console's actions are the agent's own (its shop, markups, withdrawals): an
        // agent may use them; every other caller is checked against them like the rest.
        const agentOwn = file.split(path.sep).includes('agent');
        if (agentOwn && who === 'an agent of the merchant') continue;
        const mod = (await load()) as Record<string, unknown>;
        for (const [name, fn] of Object.entries(mod)) {
          if (typeof fn !== 'function') continue;
          // Another merchant may act on its own data (a create is a create); it must not touch
          // or see the victim's. Everyone else must be refused outright, changing nothing.
          const scope = who === 'another merchant' ? victim.merchantId : undefined;
          for (const args of argumentsFor(fn as Action)) {
            const before = await fingerprint(scope);
            const outcome = await call(fn as Action, args);
            const after = await fingerprint(scope);
            checked++;
            const shape = typeof args[args.length - 1] === 'string' ? 'id' : args[args.length - 1] instanceof FormData ? 'form' : 'object';
            const changed = Object.keys(before).filter((k) => before[k] !== after[k]);
            if (!scope && !refused(outcome)) failures.push(`${file} ${name}(${shape}): not refused (${JSON.stringify(outcome.value)?.slice(0, 200)})`);
            if (changed.length) failures.push(`${file} ${name}(${shape}): changed ${changed.join(', ')}`);
            const text = JSON.stringify(outcome.value ?? '') + String((outcome.threw as Error | undefined)?.message ?? '');
            if (text.includes('HIJACK') || text.includes(victim.apiKey) || /K-[0-9a-f]{8}-\d/.test(text))
              failures.push(`${file} ${name}(${shape}): leaked data`);
          }
        }
      }
      expect(checked).toBeGreaterThan(0);
      expect(failures).toEqual([]);
    });
  }

  it('console route handlers (exports) refuse the same callers and return none of the data', async () => {
    for (const who of ['signed out', 'an agent of the merchant', 'another merchant', 'the platform admin']) {
      session.claims = claimsOf[who]!;
      for (const [file, load] of Object.entries(routeModules)) {
        const mod = (await load()) as Record<string, unknown>;
        const get = mod.GET as ((req: Request, ctx: unknown) => Promise<Response>) | undefined;
        if (!get) continue;
        const url = `http://shop.test/console/x?product=${ids.product}&productId=${ids.product}&status=available&orderNo=${ids.orderNo}`;
        const res = await get(new Request(url), { params: Promise.resolve({}) });
        // Another merchant may get an answer about its own (empty) data; the others are refused.
        if (who === 'another merchant') expect(res.status, `${who} → ${file}`).toBeLessThan(500);
        else expect([401, 403], `${who} → ${file}: ${res.status}`).toContain(res.status);
        const body = await res.text();
        expect(body).not.toContain(ids.orderNo);
        expect(body).not.toMatch(/K-[0-9a-f]{8}-\d/); // the victim's key texts (seedProduct's prefix)
      }
    }
  });

  it('refused calls by another merchant leave no audit entry on the victim', async () => {
    const rows = await t.db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.merchantId} = ${victim.merchantId} AND ${auditLog.id} > ${Number(auditBaseline)}`);
    expect(rows).toEqual([]);
    const channels = await t.db
      .select()
      .from(paymentChannels)
      .where(sql`${paymentChannels.merchantId} = ${victim.merchantId}`);
    expect(channels).toHaveLength(1);
  });
});
