// Which outbox rows a piece of work wrote, so the request that wrote them can drain exactly
// those right after its response (Next's `after()`), instead of leaving them to the next
// worker poll or cron run. The ids are collected in AsyncLocalStorage, like the log context:
// `enqueue` reports what it inserted, whatever transaction or use case it ran in. An id of a
// transaction that rolled back names no row, and claiming it claims nothing.
import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';

const written = new AsyncLocalStorage<Set<number>>();

/** Called by `enqueue`/`enqueueFor` with the ids of the rows they inserted (none for a repeat). */
export function noteEnqueued(ids: readonly number[]): void {
  const into = written.getStore();
  if (into) for (const id of ids) into.add(id);
}

/**
 * Runs `fn` and hands the ids of every outbox row it wrote to `then`, also when `fn` throws
 * (rows committed before the error are still worth draining). A nested call collects its own.
 */
export async function trackOutbox<T>(fn: () => Promise<T>, then: (ids: number[]) => void): Promise<T> {
  const ids = new Set<number>();
  try {
    return await written.run(ids, fn);
  } finally {
    if (ids.size > 0) then([...ids]);
  }
}
