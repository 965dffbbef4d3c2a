import type {WecomBackoffStore} from './wecom-backoff-store.ts';

/** How stale this process's view of another process's back-off may be. */
export const BACKOFF_CACHE_TTL_MS = 1_000;

/**
 * Serves the back-off read every WeCom call makes from memory for `ttlMs`, so a login costs no
 * database round trip for it: a hold struck by another process is honoured here within `ttlMs`,
 * one struck by this process at once (a strike writes through and keeps the answer).
 */
export function cacheBackoffReads(
  store: WecomBackoffStore,
  {ttlMs = BACKOFF_CACHE_TTL_MS, now = Date.now}: {ttlMs?: number; now?: () => number} = {},
): WecomBackoffStore {
  const cached = new Map<string, {until: number; readAt: number}>();
  return {
    async until(corpId) {
      const hit = cached.get(corpId);
      if (hit && now() - hit.readAt < ttlMs) return hit.until;
      const until = await store.until(corpId);
      cached.set(corpId, {until, readAt: now()});
      return until;
    },
    async strike(corpId) {
      const until = await store.strike(corpId);
      cached.set(corpId, {until, readAt: now()});
      return until;
    },
  };
}
