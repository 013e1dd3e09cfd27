// Rules as CSV: an import adds what it can read, reports each bad line by number and field,
// counts duplicates (in the file or already there), audits once; an export imports as it is.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder } from '@/lib/orders';
import { csvRow } from '@/lib/csv';
import { AppError } from '@/lib/errors';
import { createRiskRule, importRiskRules, listRiskRules, ruleCsvCells, RULE_CSV_COLUMNS } from '@/lib/risk';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';
import { POST as importRoute } from '@/app/api/v1/risk/rules/import/route';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDatabase({ max: 10 });
});
afterAll(async () => dropTestDatabase(t));

const order = async (m: Awaited<ReturnType<typeof seedMerchant>>, productId: string, email: string, ip: string | null = null) =>
  createOrder(t.db, { productId, email, channel: m.demoChannelId }, { merchantId: m.merchantId, buyerIp: ip }).then(
    () => 'ok',
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );

describe('rules as CSV', () => {
  it('imports what it can read, says which lines it cannot, skips duplicates, and the rules work', async () => {
    const m = await seedMerchant(t.db);
    const product = await seedProduct(t.db, m.merchantId, { keys: 20 });
    await createRiskRule(t.db, m.actor, { kind: 'ip', pattern: '192.0.2.1' });
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const csv = [
      'kind,pattern,action,expires_at,note',
      'email,Spam.Mer+x@gmail.com,,,chargeback',
      'cidr,2001:db8:abcd:12::5/64,challenge,,',
      `email_regex,"^bot[0-9]{1,3}@",block,${future},"scripted, seen in three shops"`,
      'ip,192.0.2.1,block,,already there',
      'email,spammer@gmail.com,block,,same as line 2 once normalised',
      'cidr,10.0.0.0/33,block,,',
      'email,not-an-email,block,,',
      'telepathy,x,block,,',
      'ip,203.0.113.9,maybe,,',
      'ip,203.0.113.10,block,2020-01-01T00:00:00Z,',
      '# a comment line',
      '',
      'email_domain,@Mailinator.com,review,,',
    ].join('\n');
    const result = await importRiskRules(t.db, m.actor, csv);
    expect(result.added).toBe(4);
    expect(result.duplicates).toBe(2);
    expect(result.invalid).toEqual([
      { line: 7, field: 'pattern', code: 'invalid_format' },
      { line: 8, field: 'pattern', code: 'invalid_email' },
      { line: 9, field: 'kind', code: 'invalid' },
      { line: 10, field: 'action', code: 'invalid' },
      { line: 11, field: 'expires_at', code: 'expired' },
    ]);
    const rules = await listRiskRules(t.db, m.merchantId);
    expect(rules.map((r) => [r.kind, r.pattern, r.action]).sort()).toEqual(
      [
        ['cidr', '2001:db8:abcd:12::/64', 'challenge'],
        ['email', 'spammer@gmail.com', 'block'],
        ['email_domain', 'mailinator.com', 'review'],
        ['email_regex', '^bot[0-9]{1,3}@', 'block'],
        ['ip', '192.0.2.1', 'block'],
      ].sort(),
    );
    const audit = await t.db.execute<{ action: string; detail: Record<string, number> }>(
      sql`SELECT action, detail FROM audit_log WHERE merchant_id = ${m.merchantId} AND action = 'risk.rule_import'`,
    );
    expect(audit).toEqual([{ action: 'risk.rule_import', detail: { added: 4, duplicates: 2, invalid: 5 } }]);

    expect(await order(m, product.id, 'bot12@example.test')).toBe('risk_blocked');
    expect(await order(m, product.id, 's.p.a.m.m.e.r@gmail.com')).toBe('risk_blocked');
    expect(await order(m, product.id, 'human@example.test')).toBe('ok');

    // Nothing readable: a clear error, nothing added.
    await expect(importRiskRules(t.db, m.actor, 'kind,pattern\n')).rejects.toMatchObject({ code: 'validation_failed', fields: { file: { code: 'required' } } });
    await expect(importRiskRules(t.db, m.actor, 'email,"unterminated\n')).rejects.toMatchObject({ fields: { file: { code: 'invalid_format' } } });
  });

  it("an export imports into another shop as it is, patterns a spreadsheet would run included; another merchant's import touches only its own", async () => {
    const a = await seedMerchant(t.db);
    const b = await seedMerchant(t.db);
    await createRiskRule(t.db, a.actor, { kind: 'email_regex', pattern: '@(mailinator|yopmail)\\.com$', action: 'challenge', note: '=HYPERLINK("x")' });
    await createRiskRule(t.db, a.actor, { kind: 'cidr', pattern: '198.51.100.0/24', expiresIn: '7d' });
    const exported = [csvRow([...RULE_CSV_COLUMNS]), ...(await listRiskRules(t.db, a.merchantId)).map((r) => csvRow(ruleCsvCells(r)))].join('');
    expect(exported).toContain(`'@(mailinator|yopmail)`);
    expect(await importRiskRules(t.db, b.actor, exported)).toEqual({ added: 2, duplicates: 0, invalid: [] });
    const strip = (rs: Awaited<ReturnType<typeof listRiskRules>>) =>
      rs.map((r) => [r.kind, r.pattern, r.action, r.note, r.expiresAt?.toISOString() ?? null]).sort();
    expect(strip(await listRiskRules(t.db, b.merchantId))).toEqual(strip(await listRiskRules(t.db, a.merchantId)));
    expect((await listRiskRules(t.db, a.merchantId)).length).toBe(2);
  });

  it('over the API: text/csv is imported (201), another type is 415', async () => {
    const m = await seedMerchant(t.db);
    const req = (type: string, body: string) =>
      new Request('http://shop.test/api/v1/risk/rules/import', {
        method: 'POST',
        headers: { authorization: `Bearer ${m.apiKey}`, 'content-type': type },
        body,
      });
    const ok = await importRoute(req('text/csv', 'ip,203.0.113.77\nip,bad\n'));
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({ added: 1, duplicates: 0, invalid: [{ line: 2, field: 'pattern', code: 'invalid_format' }] });
    expect((await importRoute(req('application/json', '{}'))).status).toBe(415);
  });

  it('one rule per stored form: a range and its network, an address in two spellings, once; a zone-scoped address is a bad line', async () => {
    const m = await seedMerchant(t.db);
    const csv = ['cidr,10.1.2.3/8', 'cidr,10.0.0.0/8', 'ip,2001:DB8:0::1', 'ip,2001:db8::1', 'ip,fe80::1%eth0', 'ip,2001:db8::1,challenge'].join('\n');
    const result = await importRiskRules(t.db, m.actor, csv);
    expect(result).toEqual({ added: 3, duplicates: 2, invalid: [{ line: 5, field: 'pattern', code: 'invalid_format' }] });
    expect((await listRiskRules(t.db, m.merchantId)).map((r) => [r.kind, r.pattern, r.action]).sort()).toEqual(
      [
        ['cidr', '10.0.0.0/8', 'block'],
        ['ip', '2001:db8::1', 'block'],
        ['ip', '2001:db8::1', 'challenge'],
      ].sort(),
    );
    // The console's own form stores the same canonical form, and knows the duplicate.
    await expect(createRiskRule(t.db, m.actor, { kind: 'ip', pattern: '2001:0DB8::0:1' })).rejects.toMatchObject({
      fields: { pattern: { code: 'duplicate' } },
    });
  });
});
