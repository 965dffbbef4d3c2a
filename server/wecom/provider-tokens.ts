import type {Metrics} from '../metrics.ts';
import {createAccessTokens, secretBoundKey, type AccessTokensOptions} from './access-tokens.ts';
import type {WecomClient} from './wecom-client.ts';
import type {CallLane} from './wecom-guard.ts';

/** Hands out provider_access_tokens from the shared cache, fetching as rarely as WeCom asks. */
export interface ProviderTokens {
  /** A token with more than the refresh margin left, fetched at most once at a time per CorpID. */
  get(corpId: string, providerSecret: string): Promise<string>;
  /** Calls `use` with a token; on a token error drops that token, fetches a new one and retries once. */
  withToken<T>(corpId: string, providerSecret: string, use: (token: string) => Promise<T>, lane?: CallLane): Promise<T>;
  /** Fetches from WeCom now, bypassing the cache (the admin credential check), and caches the answer. */
  fetchFresh(corpId: string, providerSecret: string): Promise<string>;
}

/** Options of createProviderTokens. */
export interface ProviderTokensOptions extends Omit<AccessTokensOptions, 'onFetched'> {
  wecom: WecomClient;
  /** Counts the tokens fetched. */
  metrics?: Pick<Metrics, 'accessTokenFetches'>;
}

/** Creates the ProviderTokens service over the shared token cache. */
export function createProviderTokens(options: ProviderTokensOptions): ProviderTokens {
  type Credentials = {corpId: string; providerSecret: string};
  const tokens = createAccessTokens<Credentials>(
    {
      cacheKey: ({corpId, providerSecret}) => secretBoundKey(corpId, providerSecret),
      guardKey: ({corpId}) => corpId,
      fetch: async ({corpId, providerSecret}) => {
        const {providerAccessToken, expiresIn} = await options.wecom.getProviderToken(corpId, providerSecret);
        return {token: providerAccessToken, expiresIn};
      },
    },
    {...options, onFetched: () => options.metrics?.accessTokenFetches.inc()},
  );
  return {
    get: (corpId, providerSecret) => tokens.get({corpId, providerSecret}),
    withToken: (corpId, providerSecret, use, lane) => tokens.withToken({corpId, providerSecret}, use, lane),
    fetchFresh: (corpId, providerSecret) => tokens.fetchFresh({corpId, providerSecret}),
  };
}
