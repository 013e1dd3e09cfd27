// A log line per distinct event per window instead of one per occurrence: for things an
// outsider can make happen at will (notifications with a forged signature), where one
// line each would let them flood the logs. The first occurrence of a key in a window is
// written at once; the repeats are counted and written as one line when the window ends.
import { log, type Level } from './logger';

/** Distinct keys kept per window; past it, occurrences are counted under `overflow`. */
const MAX_KEYS = 1000;

export type AggregatedLog = {
  (fields: Record<string, string>): void;
  /** Writes the pending counts now (tests; process shutdown). */
  flush(): void;
};

export function aggregatedLog(level: Level, message: string, windowMs = 60_000): AggregatedLog {
  let counts = new Map<string, { fields: Record<string, string>; repeats: number }>();
  let overflow = 0;
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const window = counts;
    counts = new Map();
    for (const { fields, repeats } of window.values()) {
      if (repeats > 0) log(level, message, { ...fields, repeats, windowSeconds: windowMs / 1000 });
    }
    if (overflow > 0) log(level, message, { overflow, windowSeconds: windowMs / 1000 });
    overflow = 0;
  };

  const record = (fields: Record<string, string>) => {
    timer ??= setTimeout(flush, windowMs).unref();
    const key = JSON.stringify(fields);
    const seen = counts.get(key);
    if (seen) seen.repeats++;
    else if (counts.size >= MAX_KEYS) overflow++;
    else {
      counts.set(key, { fields, repeats: 0 });
      log(level, message, fields);
    }
  };
  return Object.assign(record, { flush });
}
