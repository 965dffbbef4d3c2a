import {createHash} from 'node:crypto';
import type {CachedAccessToken, AccessTokenStore} from '../db/access-token-store.ts';
import type {AccessToken} from './wecom-client.ts';
import {RETRY_ERRCODES, TOKEN_ERRCODES, WecomApiError} from './wecom-errors.ts';
import type {CallLane, WecomGuard} from './wecom-guard.ts';

/**
 * Where a kind of access token comes from: its cache key, the CorpID its calls count against, and
 * the WeCom call that mints it. `C` is the credentials the token is fetched with.
 */
export interface TokenSource<C> {
  /** The cache key of the token fetched with these credentials (never the secret itself). */
  cacheKey(credentials: C): string;
  /** The CorpID the guard's back-off and caps count the calls against. */
  guardKey(credentials: C): string;
  fetch(credentials: C): Promise<AccessToken>;
}

/** Hands out one kind of access token from the shared cache, fetching as rarely as WeCom asks. */
export interface AccessTokens<C> {
  /** A token with more than the refresh margin left, fetched at most once at a time per key. */
  get(credentials: C): Promise<string>;
  /**
   * Calls `use` with a token; on a token error drops that token, fetches a new one and retries once.
   * `lane` says whose budget the guard counts `use` against (a token fetch always counts as a login's).
   */
  withToken<T>(credentials: C, use: (token: string) => Promise<T>, lane?: CallLane): Promise<T>;
  /** Fetches from WeCom now, bypassing the cache (the admin credential check), and caches the answer. */
  fetchFresh(credentials: C): Promise<string>;
}

/** Options of createAccessTokens. */
export interface AccessTokensOptions {
  store: AccessTokenStore;
  /** Refresh when less than this is left (5 minutes). */
  refreshMarginMs?: number;
  /** How long one process may hold the refresh lease before another may take over. */
  leaseMs?: number;
  /** Holds calls back during a CorpID's back-off and beyond its caps; none by default. */
  guard?: WecomGuard;
  /** Told of every token fetched from WeCom (a metric). */
  onFetched?: () => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const UNGUARDED: WecomGuard = {run: (_corpId, call) => call()};

/**
 * The cache key of a token: its owner (a CorpID, a suite) and a hash of the secret it was fetched
 * with. Keyed by owner alone, a connection with a wrong secret would log users in with another
 * connection's token.
 */
export function secretBoundKey(owner: string, secret: string): string {
  return `${owner}:${createHash('sha256').update(secret).digest('base64url').slice(0, 22)}`;
}

const RETRY_DELAYS_MS = [200, 800];

/** Creates an AccessTokens service for `source` over the shared token cache. */
export function createAccessTokens<C>(source: TokenSource<C>, options: AccessTokensOptions): AccessTokens<C> {
  const {store, refreshMarginMs = 5 * 60_000, leaseMs = 30_000, guard = UNGUARDED, now = Date.now} = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // One in-flight refresh per CorpID in this process; the lease in the store extends that across processes.
  const inFlight = new Map<string, Promise<string>>();
  // This process's copy of the shared cache: a token stays the same while it is valid, so only a
  // token error or the refresh margin sends us back to the store.
  const known = new Map<string, CachedAccessToken>();
  const isFresh = (cached: CachedAccessToken | null | undefined): cached is CachedAccessToken =>
    !!cached && cached.expiresAt - now() > refreshMarginMs;

  async function fetchAndCache(credentials: C): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      try {
        const {token, expiresIn} = await guard.run(source.guardKey(credentials), () => source.fetch(credentials));
        options.onFetched?.();
        const fetched = {token, expiresAt: now() + expiresIn * 1000};
        const key = source.cacheKey(credentials);
        await store.write(key, fetched);
        known.set(key, fetched);
        return token;
      } catch (error) {
        // Only "system busy" (-1) is worth a retry; 45009 means back off, config errors never heal by themselves.
        const busy = error instanceof WecomApiError && RETRY_ERRCODES.has(error.errcode);
        if (!busy || attempt >= RETRY_DELAYS_MS.length) throw error;
        await sleep(RETRY_DELAYS_MS[attempt]!);
      }
    }
  }

  async function refresh(credentials: C, key: string): Promise<string> {
    const deadline = now() + leaseMs;
    for (;;) {
      if (await store.claimRefresh(key, leaseMs)) {
        try {
          // Another process may have finished its refresh just before we claimed the lease.
          const cached = await store.read(key);
          if (isFresh(cached)) return cached.token;
          return await fetchAndCache(credentials);
        } finally {
          await store.releaseRefresh(key);
        }
      }
      // Another process is refreshing: a still-valid token is good enough meanwhile; else wait for its result.
      const cached = await store.read(key);
      if (cached && cached.expiresAt > now()) return cached.token;
      if (now() > deadline)
        throw new Error(`Timed out waiting for another process to refresh the access token ${key.split(':')[0]}.`);
      await sleep(50);
    }
  }

  async function get(credentials: C): Promise<string> {
    const key = source.cacheKey(credentials);
    const mine = known.get(key);
    if (isFresh(mine)) return mine.token;
    const cached = await store.read(key);
    if (isFresh(cached)) {
      known.set(key, cached);
      return cached.token;
    }
    let pending = inFlight.get(key);
    if (!pending) {
      pending = refresh(credentials, key).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  }

  return {
    get,
    async withToken(credentials, use, lane) {
      const token = await get(credentials);
      const guardKey = source.guardKey(credentials);
      try {
        return await guard.run(guardKey, () => use(token), lane);
      } catch (error) {
        if (!(error instanceof WecomApiError && TOKEN_ERRCODES.has(error.errcode))) throw error;
        // WeCom may invalidate a token early. Drop it (only if nobody replaced it yet) and retry once.
        const key = source.cacheKey(credentials);
        if (known.get(key)?.token === token) known.delete(key);
        await store.drop(key, token);
        const fresh = await get(credentials);
        return guard.run(guardKey, () => use(fresh), lane);
      }
    },
    fetchFresh: fetchAndCache,
  };
}
