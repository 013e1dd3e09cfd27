// In production mode, a merchant's webhook at a public IPv4 address is delivered. (Before,
// every IPv4 address was "private" to the outbound check, and nothing was ever delivered.)
// The receiver listens on a public-range address inside a network namespace this test
// creates; the drainer runs as a separate process with NODE_ENV=production, trusting the
// receiver's test certificate through NODE_EXTRA_CA_CERTS.
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '@/lib/outbox';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant } from '@/test/fixtures';
import { netnsAvailable, startPublicHost, type PublicHost } from '@/test/netns';
import { createEndpoint } from './endpoints';

const available = netnsAvailable();
if (!available)
  console.warn('skipped: network namespaces are not permitted here (needs root with CAP_NET_ADMIN), so the public-address webhook test cannot run');

const run = promisify(execFile);
const RECEIVER = `
const https = require('node:https'); const fs = require('node:fs');
const server = https.createServer({ key: fs.readFileSync(process.env.TLS_KEY), cert: fs.readFileSync(process.env.TLS_CERT) }, (req, res) => {
  let body = ''; req.on('data', (c) => (body += c)); req.on('end', () => {
    process.stdout.write(JSON.stringify({ path: req.url, signature: req.headers['x-openfaka-signature'], event: req.headers['x-openfaka-event'], body }) + '\\n');
    res.writeHead(200, { 'Content-Type': 'application/json' }); res.end('{"ok":true}');
  });
});
server.listen(8443, '11.0.0.2', () => process.stdout.write('ready\\n'));
`;

describe.skipIf(!available)('a webhook to a public address, in production', () => {
  let t: TestDb;
  let host: PublicHost;
  const received: { path: string; signature: string; event: string; body: string }[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    host = startPublicHost();
    const receiver = host.run(RECEIVER);
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      receiver.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (line === 'ready') resolve();
          else received.push(JSON.parse(line));
        }
      });
      receiver.on('exit', (code) => reject(new Error(`the receiver exited with ${code}`)));
    });
  });
  afterAll(async () => {
    host?.close();
    await dropTestDatabase(t);
  });

  it('is delivered, signed, to https://11.0.0.2, by a drainer with production settings', async () => {
    const m = await seedMerchant(t.db);
    const { secret } = await createEndpoint(t.db, m.actor, { kind: 'http', name: 'Public', url: `https://${host.address}:8443/hook`, events: ['stock.low'] });
    await enqueue(t.db, { merchantId: m.merchantId, topic: 'stock.low', eventKey: 'public-1', payload: { productId: 'p1', title: 'Game card', available: 2 } });

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      OUTBOUND_ALLOW_PRIVATE: '',
      NODE_EXTRA_CA_CERTS: host.caFile,
      DATABASE_URL: t.url,
      DATA_DIR: path.resolve('.data/test-netns'),
      APP_URL: 'https://shop.example.com',
      AUTH_SECRET: process.env.AUTH_SECRET!,
      KEY_ENCRYPTION_KEY: process.env.KEY_ENCRYPTION_KEY!,
      CRON_SECRET: 'a-cron-secret-of-at-least-thirty-two-characters',
      LOG_LEVEL: 'silent',
    };
    const tsx = path.resolve('node_modules/.bin/tsx');
    // Fan-out, then the send itself: two rounds of the same drain.
    for (let i = 0; i < 2 && received.length === 0; i++) {
      const { stdout } = await run(tsx, ['--conditions=react-server', 'test/drain-outbox.ts'], { env, timeout: 60_000 });
      const errors = await t.db.execute<{ last_error: string | null }>(sql`SELECT last_error FROM outbox WHERE last_error IS NOT NULL`);
      expect(JSON.parse(stdout.trim().split('\n').at(-1)!), JSON.stringify(errors)).toMatchObject({ failed: 0, dead: 0 });
    }
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1);
    const got = received[0]!;
    expect(got).toMatchObject({ path: '/hook', event: 'stock.low' });
    expect(JSON.parse(got.body)).toMatchObject({ type: 'stock.low', data: { title: 'Game card', available: 2 } });
    const [, ts, mac] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(got.signature)!;
    expect(mac).toBe(createHmac('sha256', secret!).update(`${ts}.${got.body}`).digest('hex'));
    const rows = await t.db.execute<{ status: string }>(sql`SELECT status FROM outbox WHERE consumer = 'webhook.send'`);
    expect(rows.map((r) => r.status)).toEqual(['done']);
  });
});
