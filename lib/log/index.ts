// Structured JSON logs with redaction and a request context (logger.ts).
export * from './logger';
