/**
 * Token buckets by key, in this process's memory: each holds `perMinute` tokens and refills at that
 * many a minute. A burst of the bucket's size is allowed at once, then one more every 60/N seconds.
 */
export interface TokenBuckets {
  /** Takes a token for `key`: 0 when one was there, else the seconds until the next one. */
  take(key: string): number;
}

/** Creates TokenBuckets. Buckets untouched for a minute are full again, and are forgotten. */
export function createTokenBuckets(perMinute: number, now: () => number = Date.now): TokenBuckets {
  const perMs = perMinute / 60_000;
  let buckets = new Map<string, {tokens: number; at: number}>();
  let lastSweep = now();
  return {
    take(key) {
      const time = now();
      if (time - lastSweep >= 60_000) {
        // Dropping full buckets keeps the map at about one minute of keys, however many a flood brings.
        lastSweep = time;
        buckets = new Map([...buckets].filter(([, bucket]) => time - bucket.at < 60_000));
      }
      const bucket = buckets.get(key) ?? {tokens: perMinute, at: time};
      bucket.tokens = Math.min(perMinute, bucket.tokens + (time - bucket.at) * perMs);
      bucket.at = time;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    },
  };
}
