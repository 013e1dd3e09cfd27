// Structured JSON logs (pino), one line each: `time`, `level`, `msg`, then fields. Callers
// pass identifiers (order numbers, ids), never secrets; `redact` below is the second line of
// defence for a secret passed by mistake under a telling name. Lines written inside
// `withLogContext` carry its fields (the request id, an order number) without every caller
// threading them through: the context lives in AsyncLocalStorage, per request or job.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import pino, { type DestinationStream, type Logger } from 'pino';
import { getConfig } from '@/lib/config';

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type LogLevel = Level | 'silent';
export type LogFields = Record<string, unknown>;

/**
 * Field names that may carry a secret, wherever they sit in the first two levels of a line.
 * Card keys travel as `keys`/`key`/`cardKey`; channel credentials as `config`/`secret`/`key`;
 * buyers' capabilities as `token`/`queryPassword`; API keys as `apiKey`.
 */
export const REDACTED_FIELDS = [
  'key',
  'keys',
  'cardKey',
  'cardKeys',
  'plaintext',
  'secret',
  'password',
  'queryPassword',
  'token',
  'accessToken',
  'apiKey',
  'authorization',
  'cookie',
  'config',
  'sign',
  'smtpUrl',
  'databaseUrl',
] as const;

const redactPaths = REDACTED_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);

const context = new AsyncLocalStorage<LogFields>();

/** Builds a logger; the app uses the shared one, tests pass their own destination. */
export function createLogger(options: { level?: LogLevel; destination?: DestinationStream } = {}): Logger {
  const level = options.level ?? 'info';
  const destination =
    options.destination ??
    // Warnings and errors to stderr, the rest to stdout, each line once (dedupe).
    pino.multistream(
      [
        { level: 'debug', stream: process.stdout },
        { level: 'warn', stream: process.stderr },
      ],
      { dedupe: true },
    );
  return pino(
    {
      level,
      base: { pid: process.pid },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      // Level names, not pino's numbers: `"level":"error"` is what people grep for.
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths, censor: '[redacted]' },
      // The fields of the surrounding request or job, on every line written inside it. A copy:
      // pino merges the line's own fields into the object mixin returns.
      mixin: () => ({ ...context.getStore() }),
    },
    destination,
  );
}

const globalForLog = globalThis as unknown as { __openfakaLogger?: Logger };

function configuredLevel(): LogLevel {
  try {
    return getConfig().logLevel;
  } catch {
    // Config errors are reported elsewhere; logging must not throw.
    return 'info';
  }
}

/** The process's logger, created on first use at LOG_LEVEL. */
export function logger(): Logger {
  globalForLog.__openfakaLogger ??= createLogger({ level: configuredLevel() });
  return globalForLog.__openfakaLogger;
}

/** Replaces the process's logger (tests capture output this way); undefined → rebuilt from config. */
export function setLogger(next: Logger | undefined): void {
  globalForLog.__openfakaLogger = next;
}

export function log(level: Level, msg: string, fields: LogFields = {}): void {
  try {
    logger()[level](fields, msg);
  } catch {
    // A log line must never break the work it describes.
  }
}

/** A logger bound to some fields (an order number, a job name): same signature as `log`. */
export function childLog(bindings: LogFields): (level: Level, msg: string, fields?: LogFields) => void {
  return (level, msg, fields = {}) => log(level, msg, { ...bindings, ...fields });
}

/**
 * Runs `fn` with `fields` on every log line written inside it, however deep (AsyncLocalStorage).
 * Nested contexts add to the outer one.
 */
export function withLogContext<T>(fields: LogFields, fn: () => T): T {
  const outer = context.getStore();
  return context.run({ ...outer, ...fields }, fn);
}

/** The fields of the current context (e.g. to echo the request id in a response). */
export function logContext(): LogFields {
  return context.getStore() ?? {};
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A request's id: the caller's `X-Request-Id` (a proxy or load balancer sets one) when it is
 * a short token, otherwise a new UUID. Anything else is replaced, not trusted into the logs.
 */
export function requestIdFrom(header: string | null | undefined): string {
  const given = header?.trim();
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}
