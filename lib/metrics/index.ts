// Operational metrics for /api/metrics in the Prometheus text format, read from PostgreSQL at scrape time (prometheus.ts).
export * from './prometheus';
