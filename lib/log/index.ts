// Structured JSON logs, one line each. Callers pass identifiers (order numbers, ids),
// never secrets: no card keys, tokens, credentials or full URLs with query strings.
import { getConfig } from '@/lib/config';

type Level = 'debug' | 'info' | 'warn' | 'error';
const rank: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  let threshold: Level | 'silent' = 'info';
  try {
    threshold = getConfig().logLevel;
  } catch {
    // config errors are reported elsewhere; logging must not throw
  }
  if (rank[level] < rank[threshold]) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  if (level === 'error' || level === 'warn') process.stderr.write(line + '\n');
  else process.stdout.write(line + '\n');
}
