import {createHash} from 'node:crypto';
import type {CachedProviderToken, TokenCacheStore} from '../db/token-cache-store.ts';
import type {WecomClient} from './wecom-client.ts';
import {TOKEN_ERRCODES, WecomApiError} from './wecom-errors.ts';
import type {WecomGuard} from './wecom-guard.ts';
import type {Metrics} from '../metrics.ts';

/** Hands out provider_access_tokens from the shared cache, fetching as rarely as WeCom asks. */
export interface ProviderTokens {
  /** A token with more than the refresh margin left, fetched at most once at a time per CorpID. */
  get(corpId: string, providerSecret: string): Promise<string>;
  /** Calls `use` with a token; on a token error drops that token, fetches a new one and retries once. */
  withToken<T>(corpId: string, providerSecret: string, use: (token: string) => Promise<T>): Promise<T>;
  /** Fetches from WeCom now, bypassing the cache (the admin credential check), and caches the answer. */
  fetchFresh(corpId: string, providerSecret: string): Promise<string>;
}

/** Options of createProviderTokens. */
export interface ProviderTokensOptions {
  store: TokenCacheStore;
  wecom: WecomClient;
  /** Refresh when less than this is left (5 minutes). */
  refreshMarginMs?: number;
  /** How long one process may hold the refresh lease before another may take over. */
  leaseMs?: number;
  /** Holds calls back during a CorpID's back-off and beyond its caps; none by default. */
  guard?: WecomGuard;
  /** Counts the tokens fetched. */
  metrics?: Pick<Metrics, 'providerTokenFetches'>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const UNGUARDED: WecomGuard = {run: (_corpId, call) => call()};

/**
 * The cache key of a token: the CorpID and a hash of the secret it was fetched with. Keyed by CorpID
 * alone, a connection with a wrong ProviderSecret would log users in with another connection's token.
 */
function cacheKey(corpId: string, providerSecret: string): string {
  return `${corpId}:${createHash('sha256').update(providerSecret).digest('base64url').slice(0, 22)}`;
}

const RETRY_DELAYS_MS = [200, 800];

/** Creates the ProviderTokens service over the shared token cache. */
export function createProviderTokens(options: ProviderTokensOptions): ProviderTokens {
  const {store, wecom, refreshMarginMs = 5 * 60_000, leaseMs = 30_000, guard = UNGUARDED, now = Date.now} = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // One in-flight refresh per CorpID in this process; the lease in the store extends that across processes.
  const inFlight = new Map<string, Promise<string>>();
  // This process's copy of the shared cache: a token stays the same while it is valid, so only a
  // token error or the refresh margin sends us back to the store.
  const known = new Map<string, CachedProviderToken>();
  const isFresh = (cached: CachedProviderToken | null | undefined): cached is CachedProviderToken => !!cached && cached.expiresAt - now() > refreshMarginMs;

  async function fetchAndCache(corpId: string, providerSecret: string): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      try {
        const {providerAccessToken, expiresIn} = await guard.run(corpId, () => wecom.getProviderToken(corpId, providerSecret));
        options.metrics?.providerTokenFetches.inc();
        const fetched = {token: providerAccessToken, expiresAt: now() + expiresIn * 1000};
        const key = cacheKey(corpId, providerSecret);
        await store.write(key, fetched);
        known.set(key, fetched);
        return providerAccessToken;
      } catch (error) {
        // Only "system busy" (-1) is worth a retry; 45009 means back off, config errors never heal by themselves.
        const busy = error instanceof WecomApiError && error.errcode === -1;
        if (!busy || attempt >= RETRY_DELAYS_MS.length) throw error;
        await sleep(RETRY_DELAYS_MS[attempt]!);
      }
    }
  }

  async function refresh(corpId: string, providerSecret: string, key: string): Promise<string> {
    const deadline = now() + leaseMs;
    for (;;) {
      if (await store.claimRefresh(key, leaseMs)) {
        try {
          // Another process may have finished its refresh just before we claimed the lease.
          const cached = await store.read(key);
          if (isFresh(cached)) return cached.token;
          return await fetchAndCache(corpId, providerSecret);
        } finally {
          await store.releaseRefresh(key);
        }
      }
      // Another process is refreshing: a still-valid token is good enough meanwhile; else wait for its result.
      const cached = await store.read(key);
      if (cached && cached.expiresAt > now()) return cached.token;
      if (now() > deadline) throw new Error(`Timed out waiting for another process to refresh the provider token of ${corpId}.`);
      await sleep(50);
    }
  }

  async function get(corpId: string, providerSecret: string): Promise<string> {
    const key = cacheKey(corpId, providerSecret);
    const mine = known.get(key);
    if (isFresh(mine)) return mine.token;
    const cached = await store.read(key);
    if (isFresh(cached)) {
      known.set(key, cached);
      return cached.token;
    }
    let pending = inFlight.get(key);
    if (!pending) {
      pending = refresh(corpId, providerSecret, key).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  }

  return {
    get,
    async withToken(corpId, providerSecret, use) {
      const token = await get(corpId, providerSecret);
      try {
        return await guard.run(corpId, () => use(token));
      } catch (error) {
        if (!(error instanceof WecomApiError && TOKEN_ERRCODES.has(error.errcode))) throw error;
        // WeCom may invalidate a token early. Drop it (only if nobody replaced it yet) and retry once.
        const key = cacheKey(corpId, providerSecret);
        if (known.get(key)?.token === token) known.delete(key);
        await store.drop(key, token);
        const fresh = await get(corpId, providerSecret);
        return guard.run(corpId, () => use(fresh));
      }
    },
    fetchFresh: fetchAndCache,
  };
}
