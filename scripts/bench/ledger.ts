// npm run bench:ledger: the agent balance check (lib/agents checkBalances, the job that
// recomputes every balance from the ledger's legs and compares it with the cache) on a
// ledger of BENCH_LEDGER_TXNS transactions (100,000 by default) over BENCH_LEDGER_AGENTS
// agents, on its own embedded PostgreSQL (or BENCH_DATABASE_URL, a database it may fill).
//
// The first 1,000 movements go through the real use cases (sales delivered, commission
// released, refunds reversed, withdrawals held, paid, rejected); the rest are written in
// batches the way postTxn writes them (balanced legs, the deferred balance trigger on),
// with the cache kept by the generator's own running sums, never by the check's query.
// Then: the check's time (median of 3) and the differences it finds (expected 0); then
// one cache row is corrupted on purpose and the check must find exactly that one.
// Bounded: a fixed number of transactions; stops by itself.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDb, createDb } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { createMerchant } from '@/lib/accounts';
import { adjustBalance, applyLevelTemplate, checkBalances, createAgent, decideWithdrawal, releaseDueCommissions, requestWithdrawal } from '@/lib/agents';
import { systemActor } from '@/lib/audit';
import { createProduct } from '@/lib/catalog';
import { resetConfig } from '@/lib/config';
import { importKeys } from '@/lib/inventory';
import { applyPayment, createOrder, refundOrder } from '@/lib/orders';
import { startEmbeddedPostgres } from '../embedded-postgres';

const TXNS = Number(process.env.BENCH_LEDGER_TXNS ?? 100_000);
const AGENTS = Number(process.env.BENCH_LEDGER_AGENTS ?? 200);
const REAL_SALES = 300;

async function main() {
  let tmp: string | undefined;
  let stop = async () => {};
  let url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'openfaka-ledger-'));
    const pg = await startEmbeddedPostgres({ dir: path.join(tmp, 'pg'), persistent: false, maxConnections: 50 });
    url = pg.url('postgres');
    stop = pg.stop;
  }
  await runMigrations(url);
  process.env.DATABASE_URL = url;
  resetConfig();
  const { db, sql: raw } = createDb(url, { max: 20 });
  const started = Date.now();
  const m = await createMerchant(db, systemActor(), {
    email: 'ledger@bench.test',
    password: 'ledger bench password',
    slug: 'ledger',
    name: 'Ledger bench',
    demoChannelEnabled: true,
  });
  const actor = systemActor(m.merchantId);
  await applyLevelTemplate(db, actor);
  await raw`UPDATE agent_levels SET hold_hours = 0, withdraw_min = 100 WHERE merchant_id = ${m.merchantId}`;
  const [demo] = await raw<{ id: string }[]>`SELECT id FROM payment_channels WHERE merchant_id = ${m.merchantId} AND kind = 'demo'`;
  const agents: string[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const parentId = i >= 20 ? agents[i % 20] : undefined;
    const a = await createAgent(db, actor, { slug: `agent-${i}`, name: `Agent ${i}`, rank: i < 20 ? 5 : 1 + (i % 4), ...(parentId ? { parentId } : {}) });
    agents.push(a.id);
  }
  // Real movements through the use cases.
  const product = await createProduct(db, actor, { title: 'Bench card', price: 10_000 });
  await importKeys(db, actor, { productId: product.id, keys: Array.from({ length: REAL_SALES }, (_, i) => `BENCH-LEDGER-${i}`) });
  for (let i = 0; i < REAL_SALES; i++) {
    const o = await createOrder(
      db,
      { productId: product.id, email: `b${i}@bench.test`, channel: demo!.id, agent: `agent-${20 + (i % (AGENTS - 20))}` },
      { merchantId: m.merchantId },
    );
    await applyPayment(db, demo!.id, { outTradeNo: o.orderNo, tradeNo: `T${i}`, amount: o.amount, currency: o.currency, raw: {} });
    if (i % 5 === 0) await refundOrder(db, actor, { orderNo: o.orderNo, amount: Math.floor(o.amount / 3), reason: 'bench', keys: 'keep' });
  }
  await releaseDueCommissions(db);
  for (let i = 20; i < 60; i++) {
    const agentActor = { kind: 'agent' as const, id: 'bench', merchantId: m.merchantId, ip: null, agentId: agents[i]! };
    const w = await requestWithdrawal(db, agentActor, { amount: 100, method: 'alipay', account: 'bench@alipay.test' }).catch(() => null);
    if (w) await decideWithdrawal(db, actor, { id: w.id, decision: i % 2 ? 'reject' : 'pay', reference: 'R', reason: 'bench' });
  }
  await adjustBalance(db, actor, { agentId: agents[0]!, amount: 5_000, reason: 'bench' });
  const realTxns = (await raw<{ n: string }[]>`SELECT count(*) AS n FROM ledger_txns`)[0]!.n;

  // The rest in batches: balanced legs exactly as postTxn writes them, the cache from running sums.
  const bal = new Map<string, { pending: number; available: number; held: number; owed: number }>();
  for (const r of await raw<{ agent_id: string; pending: string; available: string; held: string; owed: string }[]>`SELECT * FROM agent_balances`) {
    bal.set(r.agent_id, { pending: Number(r.pending), available: Number(r.available), held: Number(r.held), owed: Number(r.owed) });
  }
  let written = Number(realTxns);
  let seq = 0;
  while (written < TXNS) {
    const batch = Math.min(5_000, TXNS - written);
    const txns: [string, string, string, string, string, number][] = [];
    const legs: [string, string, string, string, number][] = [];
    for (let k = 0; k < batch; k++) {
      const agentId = agents[(seq * 7919) % AGENTS]!;
      const b = bal.get(agentId)!;
      const id = randomUUID();
      const amount = 1 + ((seq * 104729) % 5_000);
      let kind: string;
      let moves: [string, number][];
      if (b.pending >= amount && seq % 3 === 1)
        [kind, moves] = [
          'release',
          [
            ['pending', -amount],
            ['available', amount],
          ],
        ];
      else if (b.available >= amount && seq % 3 === 2)
        [kind, moves] = [
          'hold',
          [
            ['available', -amount],
            ['held', amount],
          ],
        ];
      else if (b.held >= amount && seq % 5 === 0)
        [kind, moves] = [
          'pay',
          [
            ['held', -amount],
            ['payout', amount],
          ],
        ];
      else
        [kind, moves] = [
          'accrue',
          [
            ['pending', amount],
            ['commission_expense', -amount],
          ],
        ];
      txns.push([id, m.merchantId, agentId, kind, `bench:${seq}`, amount]);
      for (const [account, x] of moves) {
        legs.push([id, m.merchantId, agentId, account, x]);
        if (account in b) b[account as keyof typeof b] += x;
      }
      seq++;
    }
    await raw.begin(async (tx) => {
      await tx`INSERT INTO ledger_txns (id, merchant_id, agent_id, kind, idempotency_key, amount) SELECT * FROM unnest(${txns.map((r) => r[0])}::uuid[], ${txns.map((r) => r[1])}::uuid[], ${txns.map((r) => r[2])}::uuid[], ${txns.map((r) => r[3])}::ledger_txn_kind[], ${txns.map((r) => r[4])}::text[], ${txns.map((r) => r[5])}::bigint[])`;
      await tx`INSERT INTO ledger_entries (txn_id, merchant_id, agent_id, account, amount) SELECT * FROM unnest(${legs.map((r) => r[0])}::uuid[], ${legs.map((r) => r[1])}::uuid[], ${legs.map((r) => r[2])}::uuid[], ${legs.map((r) => r[3])}::ledger_account[], ${legs.map((r) => r[4])}::bigint[])`;
    });
    written += batch;
  }
  for (const [agentId, b] of bal)
    await raw`UPDATE agent_balances SET pending = ${b.pending}, available = ${b.available}, held = ${b.held}, owed = ${b.owed} WHERE agent_id = ${agentId}`;
  const { txns: txnCount, entries } = (
    await raw<{ txns: string; entries: string }[]>`SELECT (SELECT count(*) FROM ledger_txns) AS txns, (SELECT count(*) FROM ledger_entries) AS entries`
  )[0]!;
  await raw`VACUUM ANALYZE ledger_entries`;
  const times: number[] = [];
  let drift = -1;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    drift = (await checkBalances(db)).drift.length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  await raw`UPDATE agent_balances SET available = available + 1 WHERE agent_id = ${agents[42]!}`;
  const corrupted = await checkBalances(db);
  const found = corrupted.drift.map((d) => d.agentId);
  const ok = drift === 0 && found.length === 1 && found[0] === agents[42];
  console.log(`
  agent balance check (lib/agents checkBalances) on ${Number(txnCount).toLocaleString('en')} ledger transactions, ${Number(entries).toLocaleString('en')} legs, ${AGENTS} agents
  (${Number(realTxns).toLocaleString('en')} of them through the use cases: ${REAL_SALES} sales, refunds, releases, withdrawals)
  time: ${times.map((t) => `${t.toFixed(0)} ms`).join(', ')} (median ${times[1]!.toFixed(0)} ms)
  differences found: ${drift}
  after corrupting one cached balance on purpose: ${found.length} difference(s), ${found[0] === agents[42] ? 'the corrupted agent' : 'WRONG AGENT'}
  setup took ${((Date.now() - started) / 1000).toFixed(0)} s
`);
  await closeDb();
  await raw.end({ timeout: 5 });
  await stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  if (!ok) {
    console.error('ledger check FAILED');
    process.exit(1);
  }
}

await main();
