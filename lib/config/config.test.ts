import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@/lib/config';

const key = Buffer.alloc(32, 1).toString('base64');

describe('config', () => {
  it('production refuses to start without its secrets, naming them', () => {
    expect(() => parseConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x' })).toThrow(ConfigError);
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_SECRET, KEY_ENCRYPTION_KEY, CRON_SECRET/);
  });

  it('production rejects a malformed encryption key and accepts a full set', () => {
    const env = { NODE_ENV: 'production' as const, AUTH_SECRET: 'a'.repeat(40), CRON_SECRET: 'c'.repeat(32), APP_URL: 'https://shop.example.com' };
    expect(() => parseConfig({ ...env, KEY_ENCRYPTION_KEY: 'short' })).toThrow(/32-byte/);
    const c = parseConfig({ ...env, KEY_ENCRYPTION_KEY: key });
    expect(c.isProduction).toBe(true);
    expect(c.demoChannelEnabled).toBe(false);
    expect(parseConfig({ ...env, KEY_ENCRYPTION_KEY: key, DEMO_CHANNEL_ENABLED: 'true' }).demoChannelEnabled).toBe(true);
  });

  it('production needs an explicit https APP_URL (this machine excepted) and a CRON_SECRET of 32 characters', () => {
    const env = { NODE_ENV: 'production' as const, AUTH_SECRET: 'a'.repeat(40), CRON_SECRET: 'c'.repeat(32), KEY_ENCRYPTION_KEY: key };
    // Before: APP_URL defaulted to http://localhost:3000, so links in e-mails pointed at localhost and cookies lost Secure.
    expect(() => parseConfig(env)).toThrow(/without APP_URL/);
    expect(() => parseConfig({ ...env, APP_URL: 'http://shop.example.com' })).toThrow(/https/);
    expect(parseConfig({ ...env, APP_URL: 'https://shop.example.com/' }).appUrl).toBe('https://shop.example.com');
    expect(parseConfig({ ...env, APP_URL: 'http://127.0.0.1:3000' }).appUrl).toBe('http://127.0.0.1:3000');
    expect(() => parseConfig({ ...env, APP_URL: 'https://shop.example.com', CRON_SECRET: 'c'.repeat(31) })).toThrow(/CRON_SECRET/);
  });

  it('development generates its secrets once under DATA_DIR and keeps them', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ofk-config-'));
    const a = parseConfig({ NODE_ENV: 'development', DATA_DIR: dir });
    const b = parseConfig({ NODE_ENV: 'development', DATA_DIR: dir });
    expect(a.keyEncryptionKeys).toEqual(b.keyEncryptionKeys);
    expect(a.cronSecret).toBe(b.cronSecret);
    const file = path.join(dir, 'secrets.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('KEY_ENCRYPTION_KEY');
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(a.demoChannelEnabled).toBe(true);
  });
});
