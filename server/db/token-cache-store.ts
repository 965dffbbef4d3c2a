/** A cached provider_access_token. */
export interface CachedProviderToken {
  token: string;
  expiresAt: number;
}

/**
 * The provider_access_token cache, shared by every process on the database. The refresh lease lets
 * exactly one process fetch a new token while the others wait for it.
 */
export interface TokenCacheStore {
  read(corpId: string): Promise<CachedProviderToken | null>;
  write(corpId: string, value: CachedProviderToken): Promise<void>;
  /** Drops the token only if it is still `token`, so a fresher token written meanwhile survives. */
  drop(corpId: string, token: string): Promise<void>;
  /** Takes the refresh lease for `leaseMs` unless another holder's lease is still running. */
  claimRefresh(corpId: string, leaseMs: number): Promise<boolean>;
  releaseRefresh(corpId: string): Promise<void>;
}
