-- Rate-limit counters need no WAL: an order attempt's count no longer waits for a WAL flush of
-- its own, and after a crash the table starts empty (the current windows are forgotten).
-- UNLOGGED tables are not replicated; the limiter reads and writes the primary only.
ALTER TABLE "rate_limits" SET UNLOGGED;
