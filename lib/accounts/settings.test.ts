import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, merchants } from '@/db/schema';
import { getMerchant, orderExpiryMinutes, updateMerchantSettings } from '@/lib/accounts';
import { AppError } from '@/lib/errors';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant } from '@/test/fixtures';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => dropTestDatabase(t));

const failure = (p: Promise<unknown>) =>
  p.then(
    () => ({ code: 'ok' as string, fields: {} as Record<string, unknown> }),
    (e: unknown) => (e instanceof AppError ? { code: e.code as string, fields: e.fields ?? {} } : { code: `error: ${String(e)}`, fields: {} }),
  );

const valid = {
  name: '小张的卡铺',
  notice: '周末客服晚些回复',
  logoUrl: 'https://cdn.example.com/logo.png',
  contact: 'QQ 123456',
  contactEmail: 'help@example.com',
  orderExpiryMinutes: '30',
  mailFromName: '小张的卡铺',
};

describe('updateMerchantSettings', () => {
  it('saves name and settings, keeps keys it does not edit, clears blank fields, audits the changed names', async () => {
    const m = await seedMerchant(t.db);
    const actor = { ...m.actor, ip: '198.51.100.7' };
    expect((await updateMerchantSettings(t.db, actor, valid)).changed).toEqual([
      'name',
      'notice',
      'logoUrl',
      'contact',
      'contactEmail',
      'orderExpiryMinutes',
      'mailFromName',
    ]);
    let after = (await getMerchant(t.db, m.merchantId))!;
    expect(after.name).toBe('小张的卡铺');
    expect(after.settings).toEqual({
      notice: '周末客服晚些回复',
      logoUrl: 'https://cdn.example.com/logo.png',
      contact: 'QQ 123456',
      contactEmail: 'help@example.com',
      orderExpiryMinutes: 30,
      mailFromName: '小张的卡铺',
    });
    expect(orderExpiryMinutes(after)).toBe(30);

    // A key another feature keeps in the document survives; a blank notice is removed.
    await t.db
      .update(merchants)
      .set({ settings: { ...after.settings, other: 'kept' } as never })
      .where(eq(merchants.id, m.merchantId));
    expect((await updateMerchantSettings(t.db, actor, { ...valid, notice: '  ' })).changed).toEqual(['notice']);
    after = (await getMerchant(t.db, m.merchantId))!;
    expect(after.settings).not.toHaveProperty('notice');
    expect(after.settings).toMatchObject({ other: 'kept', orderExpiryMinutes: 30 });

    expect((await updateMerchantSettings(t.db, actor, { ...valid, notice: '' })).changed).toEqual([]);
    const audits = await t.db.select().from(auditLog).where(eq(auditLog.action, 'settings.update'));
    expect(audits.filter((x) => x.merchantId === m.merchantId).map((x) => x.detail)).toEqual([
      { fields: ['name', 'notice', 'logoUrl', 'contact', 'contactEmail', 'orderExpiryMinutes', 'mailFromName'] },
      { fields: ['notice'] },
    ]);
  });

  it('order expiry 0 or 5000, a non-https logo, a bad e-mail or a header-breaking sender name: validation_failed, nothing changed', async () => {
    const m = await seedMerchant(t.db);
    const actor = { ...m.actor, ip: null };
    const before = await getMerchant(t.db, m.merchantId);
    const cases: [Record<string, unknown>, string][] = [
      [{ orderExpiryMinutes: '0' }, 'orderExpiryMinutes'],
      [{ orderExpiryMinutes: '5000' }, 'orderExpiryMinutes'],
      [{ orderExpiryMinutes: '1.5' }, 'orderExpiryMinutes'],
      [{ logoUrl: 'http://cdn.example.com/logo.png' }, 'logoUrl'],
      [{ logoUrl: 'javascript:alert(1)' }, 'logoUrl'],
      [{ contactEmail: 'not-an-email' }, 'contactEmail'],
      [{ mailFromName: 'Shop\r\nBcc: x@example.com' }, 'mailFromName'],
      [{ name: '   ' }, 'name'],
      [{ notice: 'x'.repeat(501) }, 'notice'],
    ];
    for (const [patch, field] of cases) {
      const r = await failure(updateMerchantSettings(t.db, actor, { ...valid, ...patch }));
      expect(r.code, JSON.stringify(patch)).toBe('validation_failed');
      expect(Object.keys(r.fields), JSON.stringify(patch)).toEqual([field]);
    }
    expect(await getMerchant(t.db, m.merchantId)).toEqual(before);
  });

  it('the bounds themselves are accepted: 1 and 1440 minutes', async () => {
    const m = await seedMerchant(t.db);
    await updateMerchantSettings(t.db, { ...m.actor, ip: null }, { ...valid, orderExpiryMinutes: '1' });
    expect((await getMerchant(t.db, m.merchantId))!.settings.orderExpiryMinutes).toBe(1);
    await updateMerchantSettings(t.db, { ...m.actor, ip: null }, { ...valid, orderExpiryMinutes: 1440 });
    expect((await getMerchant(t.db, m.merchantId))!.settings.orderExpiryMinutes).toBe(1440);
  });
});
