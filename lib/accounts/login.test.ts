import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, merchants, users } from '@/db/schema';
import { changePassword, MAX_FAILED_LOGINS, sessionUser, verifyLogin } from '@/lib/accounts';
import { AppError } from '@/lib/errors';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant } from '@/test/fixtures';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDatabase({ max: 20 });
});
afterAll(async () => dropTestDatabase(t));

const PASSWORD = 'correct horse battery'; // what seedMerchant sets

describe('console sign-in', () => {
  it('accepts the right password in any e-mail case, audits it and resets the failure count', async () => {
    const m = await seedMerchant(t.db, 'login-ok');
    await t.db.update(users).set({ failedLogins: 3 }).where(eq(users.id, m.userId));
    const result = await verifyLogin(t.db, { email: ' Login-OK@Example.TEST ', password: PASSWORD, ip: '203.0.113.9' });
    expect(result).toMatchObject({ ok: true, user: { id: m.userId, role: 'merchant', merchantId: m.merchantId, sessionVersion: 0 } });
    const [u] = await t.db.select().from(users).where(eq(users.id, m.userId));
    expect(u!.failedLogins).toBe(0);
    expect(u!.lastLoginAt).not.toBeNull();
    const audits = await t.db.select().from(auditLog).where(eq(auditLog.actorId, m.userId));
    expect(audits.map((a) => [a.action, a.success, a.ip])).toEqual([['auth.sign_in', true, '203.0.113.9']]);
  });

  it('an unknown e-mail and a wrong password are refused alike', async () => {
    await seedMerchant(t.db, 'login-wrong');
    expect(await verifyLogin(t.db, { email: 'nobody@example.test', password: PASSWORD, ip: null })).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifyLogin(t.db, { email: 'login-wrong@example.test', password: 'not it', ip: null })).toEqual({ ok: false, reason: 'invalid' });
  });

  it(`${MAX_FAILED_LOGINS} wrong passwords pause sign-in, answered exactly like a wrong password, and the owner is e-mailed once`, async () => {
    const m = await seedMerchant(t.db, 'login-lock');
    const results = [];
    for (let i = 0; i < MAX_FAILED_LOGINS; i++)
      results.push(await verifyLogin(t.db, { email: 'login-lock@example.test', password: `guess ${i}`, ip: '198.51.100.4' }));
    // No "locked" answer: it would tell an attacker that the account exists.
    expect(results).toEqual(Array(MAX_FAILED_LOGINS).fill({ ok: false, reason: 'invalid' }));
    expect(await verifyLogin(t.db, { email: 'login-lock@example.test', password: PASSWORD, ip: null })).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifyLogin(t.db, { email: 'login-lock@example.test', password: 'guess 9', ip: null })).toEqual({ ok: false, reason: 'invalid' });
    const mails = await t.db.execute<{ topic: string; consumer: string; payload: { userId: string; ip: string } }>(
      sql`SELECT topic, consumer, payload FROM outbox WHERE topic = 'account.locked' AND payload->>'userId' = ${m.userId}`,
    );
    expect(mails.map((r) => [r.consumer, r.payload.ip])).toEqual([['mail.account', '198.51.100.4']]);
    // When the pause has run out, the right password works again.
    await t.db
      .update(users)
      .set({ lockedUntil: sql`now() - interval '1 second'`, failedSince: sql`now() - interval '16 minutes'` })
      .where(eq(users.id, m.userId));
    expect((await verifyLogin(t.db, { email: 'login-lock@example.test', password: PASSWORD, ip: null })).ok).toBe(true);
  });

  it('after a pause, one wrong password now and then never locks the owner out again (the count starts anew)', async () => {
    const m = await seedMerchant(t.db, 'login-drip');
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) await verifyLogin(t.db, { email: 'login-drip@example.test', password: `guess ${i}`, ip: null });
    // The pause and its window are over: an attacker tries one more password.
    await t.db
      .update(users)
      .set({ lockedUntil: sql`now() - interval '1 second'`, failedSince: sql`now() - interval '16 minutes'` })
      .where(eq(users.id, m.userId));
    expect(await verifyLogin(t.db, { email: 'login-drip@example.test', password: 'one more guess', ip: null })).toEqual({ ok: false, reason: 'invalid' });
    // Before this change that single guess locked the account for another 15 minutes.
    expect((await verifyLogin(t.db, { email: 'login-drip@example.test', password: PASSWORD, ip: null })).ok).toBe(true);
    const [u] = await t.db.select().from(users).where(eq(users.id, m.userId));
    expect([u!.failedLogins, u!.failedSince, u!.lockedUntil]).toEqual([0, null, null]);
  });

  it('concurrent wrong guesses are all counted (no lost updates)', async () => {
    const m = await seedMerchant(t.db, 'login-race');
    await Promise.all(Array.from({ length: 12 }, (_, i) => verifyLogin(t.db, { email: 'login-race@example.test', password: `x${i}`, ip: null })));
    const [u] = await t.db.select().from(users).where(eq(users.id, m.userId));
    expect(u!.failedLogins).toBe(12);
    expect(u!.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
  });

  it('a suspended merchant cannot sign in, and its open sessions stop', async () => {
    const m = await seedMerchant(t.db, 'login-susp');
    expect(await sessionUser(t.db, m.userId, 0)).not.toBeNull();
    await t.db.update(merchants).set({ status: 'suspended' }).where(eq(merchants.id, m.merchantId));
    expect(await verifyLogin(t.db, { email: 'login-susp@example.test', password: PASSWORD, ip: null })).toEqual({ ok: false, reason: 'suspended' });
    expect(await sessionUser(t.db, m.userId, 0)).toBeNull();
  });

  it('a password change ends older sessions and needs the current password', async () => {
    const m = await seedMerchant(t.db, 'login-pw');
    const wrong = await changePassword(t.db, m.actor, { current: 'nope', next: 'a new long password', confirm: 'a new long password' }).catch(
      (e: AppError) => e,
    );
    expect(wrong).toMatchObject({ code: 'validation_failed', fields: { current: { code: 'wrong' } } });
    const mismatch = await changePassword(t.db, m.actor, { current: PASSWORD, next: 'a new long password', confirm: 'different' }).catch((e: AppError) => e);
    expect(mismatch).toMatchObject({ code: 'validation_failed', fields: { confirm: { code: 'mismatch' } } });
    expect(await sessionUser(t.db, m.userId, 0)).not.toBeNull(); // nothing changed so far

    const { sessionVersion } = await changePassword(
      t.db,
      { ...m.actor, ip: '198.51.100.4' },
      { current: PASSWORD, next: 'a new long password', confirm: 'a new long password' },
    );
    expect(sessionVersion).toBe(1);
    expect(await sessionUser(t.db, m.userId, 0)).toBeNull();
    expect(await sessionUser(t.db, m.userId, 1)).not.toBeNull();
    expect((await verifyLogin(t.db, { email: 'login-pw@example.test', password: PASSWORD, ip: null })).ok).toBe(false);
    expect((await verifyLogin(t.db, { email: 'login-pw@example.test', password: 'a new long password', ip: null })).ok).toBe(true);
  });

  it('a session naming no real user is no session', async () => {
    expect(await sessionUser(t.db, 'not-a-uuid', 0)).toBeNull();
    expect(await sessionUser(t.db, '00000000-0000-4000-8000-000000000000', 0)).toBeNull();
  });
});
