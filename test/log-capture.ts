// Captures the JSON lines the shared logger writes (undo with setLogger(undefined)).
import { Writable } from 'node:stream';
import { createLogger, setLogger } from '@/lib/log';

export function captureLog(level: 'debug' | 'info' | 'warn' | 'error' | 'silent' = 'debug') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  setLogger(createLogger({ level, destination }));
  return {
    lines,
    parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
