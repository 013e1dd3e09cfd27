// Runs the rest of a test under production rules (https-only, public addresses only, an
// https APP_URL) and resets the parsed configuration; undo with vi.unstubAllEnvs() and
// resetConfig() in the test's finally, as every caller does.
import { vi } from 'vitest';
import { resetConfig } from '@/lib/config';

export function stubProduction(): void {
  vi.stubEnv('NODE_ENV', 'production');
  vi.stubEnv('OUTBOUND_ALLOW_PRIVATE', '');
  vi.stubEnv('APP_URL', 'https://shop.test');
  resetConfig();
}
