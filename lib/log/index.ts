// Structured JSON logs with redaction and a request context (logger.ts), and per-window
// aggregation for events an outsider can repeat at will (aggregate.ts).
export * from './logger';
export { aggregatedLog, type AggregatedLog } from './aggregate';
