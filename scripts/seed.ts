// Demo data: a merchant with categories, products, keys, two coupon codes and the demo channel. Idempotent:
// does nothing when the database already has a merchant.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { createAdmin, createMerchant } from '@/lib/accounts';
import { systemActor } from '@/lib/audit';
import { applyLevelTemplate, createAgent, setAgentProduct } from '@/lib/agents';
import { createCategory, createProduct, getStoreProduct } from '@/lib/catalog';
import { createCoupons } from '@/lib/coupons';
import { getConfig } from '@/lib/config';
import { generateKey, importKeys } from '@/lib/inventory';

/**
 * The three demo accounts: the merchant, the agent of /a/vip and the platform admin, so
 * every part of the console can be tried. Their passwords are made at random when the
 * shop is seeded and kept in DATA_DIR/demo-logins.json (mode 600): a demo shop that ends
 * up on a reachable host has no password anyone could read in the README.
 */
export type DemoLogins = { merchant: Login; agent: Login; admin: Login };
type Login = { email: string; password: string };
const DEMO_EMAILS = { merchant: 'demo@openfaka.local', agent: 'vip@openfaka.local', admin: 'admin@openfaka.local' };

function randomPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(14);
  return `demo-${[...bytes].map((b) => alphabet[b % alphabet.length]).join('')}`;
}

const loginsFile = () => path.join(getConfig().dataDir, 'demo-logins.json');

/** The demo logins of this data directory, or null before the shop is seeded. */
export function demoLogins(): DemoLogins | null {
  return existsSync(loginsFile()) ? (JSON.parse(readFileSync(loginsFile(), 'utf8')) as DemoLogins) : null;
}

const keys = (n: number, prefix: string, length = 16) =>
  Array.from({ length: n }, () => generateKey({ prefix, length, charset: 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789', groups: length / 4, separator: '-' }));

export async function seedDemo(db: Db): Promise<{ seeded: boolean; apiKeyFile?: string; loginsFile?: string }> {
  const [existing] = await db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM merchants`);
  if (Number(existing?.n) > 0) return { seeded: false };
  const logins: DemoLogins = {
    merchant: { email: DEMO_EMAILS.merchant, password: randomPassword() },
    agent: { email: DEMO_EMAILS.agent, password: randomPassword() },
    admin: { email: DEMO_EMAILS.admin, password: randomPassword() },
  };
  const m = await createMerchant(db, systemActor(), {
    ...logins.merchant,
    slug: 'demo',
    name: 'OpenFaka 演示商店',
    settings: { notice: '欢迎光临演示商店:所有商品均可用「演示支付」免费购买,卡密即时发放。', orderExpiryMinutes: 15 },
    // The demo shop sells through the demo channel (paying only where DEMO_CHANNEL_ENABLED allows).
    demoChannelEnabled: true,
  });
  // The seed acts as the system on the new shop's behalf; the audit log says so.
  const actor = systemActor(m.merchantId);
  const games = await createCategory(db, actor, { name: '游戏点卡', slug: 'games', sort: 1 });
  const software = await createCategory(db, actor, { name: '软件授权', slug: 'software', sort: 2 });
  const vip = await createCategory(db, actor, { name: '会员卡', slug: 'vip', sort: 3 });

  const catalogue = [
    {
      title: 'Steam 钱包充值卡 ¥50',
      slug: 'steam-50',
      price: 4800,
      categoryId: games.id,
      keys: keys(50, 'STM-'),
      stockAlert: 5,
      agentPrices: { '1': 4500, '3': 4300 },
      description: '**Steam 官方钱包充值码**,全区通用。\n\n- 自动发货,付款后立即显示卡密\n- 每个卡密仅可使用一次',
      instructions: '打开 Steam 客户端 → 账户 → 充值钱包 → 兑换 Steam 钱包充值码,粘贴卡密即可。',
    },
    {
      title: 'Windows 11 专业版激活密钥',
      slug: 'win11-pro',
      price: 9900,
      categoryId: software.id,
      keys: keys(20, '', 20),
      description: '零售版密钥,支持在线激活。',
      instructions: '设置 → 系统 → 激活 → 更改产品密钥,输入密钥后联网激活。',
    },
    {
      title: '音乐 VIP 月卡',
      slug: 'music-vip-month',
      price: 1200,
      categoryId: vip.id,
      keys: keys(100, 'VIP-'),
      maxQty: 20,
      agentPrices: { '1': 1100 },
      wholesaleTiers: [
        { minQty: 5, unitPrice: 1000 },
        { minQty: 10, unitPrice: 900 },
      ],
      description: '批发价:5 张起每张 ¥10,10 张起每张 ¥9。',
      instructions: '在 App「我的 → 兑换码」中输入卡密。',
    },
    {
      title: 'AI 助手 Plus 代充(人工发货)',
      slug: 'ai-plus-manual',
      price: 14900,
      categoryId: vip.id,
      deliveryType: 'manual' as const,
      keys: [],
      description: '下单后由商家人工处理,通常 10 分钟内完成。',
      instructions: '',
    },
    {
      title: '随机兑换码(自动生成)',
      slug: 'generated-code',
      price: 100,
      categoryId: games.id,
      deliveryType: 'generated' as const,
      generatorRule: { prefix: 'GIFT-', length: 12, charset: 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789', groups: 3, separator: '-' },
      keys: [],
      description: '每次付款时即时生成唯一兑换码。',
      instructions: '',
    },
    {
      title: '限量纪念兑换码',
      slug: 'limited-edition',
      price: 2900,
      categoryId: games.id,
      keys: [],
      description: '已全部售出,补货请关注店铺公告。',
      instructions: '',
    },
  ];
  for (const [i, item] of catalogue.entries()) {
    const { keys: list, ...input } = item;
    const product = await createProduct(db, actor, { ...input, sort: i });
    if (list.length > 0) await importKeys(db, actor, { productId: product.id, keys: list });
  }
  // Two codes to try at checkout: ¥5 off any order from ¥30, and 10% off (at most ¥10) the VIP cards.
  await createCoupons(db, actor, { code: 'DEMO5', type: 'fixed', value: 500, minAmount: 3000, perEmailLimit: 3, note: '演示优惠码' });
  await createCoupons(db, actor, { code: 'VIP10', type: 'percent', value: 10, maxDiscount: 1000, categoryIds: [vip.id], note: '演示优惠码' });
  // The seven-level agent programme of the template, and a level-3 agent whose shop at
  // /a/vip sells at retail and earns the difference to its cost.
  await applyLevelTemplate(db, actor);
  const agent = await createAgent(db, actor, { slug: 'vip', name: '小王数码', rank: 3, email: logins.agent.email, password: logins.agent.password });
  // The agent prices the Steam card at ¥50.00 (its cost at level 3 is ¥43.00); everything else at retail.
  const steam = await getStoreProduct(db, m.merchantId, 'steam-50');
  await setAgentProduct(db, { kind: 'agent', id: null, merchantId: m.merchantId, ip: null, agentId: agent.id }, { productId: steam!.id, price: 5000 });
  await createAdmin(db, systemActor(), logins.admin);
  writeFileSync(loginsFile(), JSON.stringify(logins, null, 2) + '\n', { mode: 0o600 });
  // The API key is a secret: it goes to a file only its owner can read, never to the log.
  const apiKeyFile = path.join(getConfig().dataDir, 'demo-api-key.txt');
  writeFileSync(apiKeyFile, m.apiKey + '\n', { mode: 0o600 });
  return { seeded: true, apiKeyFile, loginsFile: loginsFile() };
}
