import type {RefusalStore} from './db/refusal-store.ts';

const HOUR_MS = 60 * 60_000;

/** Counts refused junk requests in this process's memory and adds them to the store now and then. */
export interface RefusalCounter {
  /** Counts one refusal for `reason`, one of our fixed error codes. Writes at most once a minute. */
  count(reason: string): void;
  /** Writes what was counted so far (before the counts are read, and at shutdown). */
  flush(): Promise<void>;
}

/**
 * Creates a RefusalCounter. A junk request costs a map increment, not a write: the counts reach
 * the store at most once a minute, as one row per reason and hour.
 */
export function createRefusalCounter({
  store,
  now = Date.now,
}: {
  store: RefusalStore;
  now?: () => number;
}): RefusalCounter {
  let pending = new Map<string, number>();
  let hour = Math.floor(now() / HOUR_MS) * HOUR_MS;
  let lastFlush = now();

  const flush = async () => {
    const counts = pending;
    const countedHour = hour;
    pending = new Map();
    hour = Math.floor(now() / HOUR_MS) * HOUR_MS;
    lastFlush = now();
    if (counts.size > 0) await store.add(countedHour, counts);
  };

  return {
    count(reason) {
      const time = now();
      // A new hour, or a minute since the last write: write first, so each count lands in its hour.
      if (time - lastFlush >= 60_000 || time >= hour + HOUR_MS) void flush();
      pending.set(reason, (pending.get(reason) ?? 0) + 1);
    },
    flush,
  };
}
