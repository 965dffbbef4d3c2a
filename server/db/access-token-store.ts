/** A cached WeCom access token: a provider_access_token or a suite_access_token. */
export interface CachedAccessToken {
  token: string;
  expiresAt: number;
}

/**
 * The cache of WeCom access tokens, shared by every process on the database: provider tokens keyed
 * by CorpID, suite tokens by `suite:` and the SuiteID (access-tokens.ts makes the keys). The refresh
 * lease lets exactly one process fetch a new token while the others wait for it.
 */
export interface AccessTokenStore {
  read(key: string): Promise<CachedAccessToken | null>;
  write(key: string, value: CachedAccessToken): Promise<void>;
  /** Drops the token only if it is still `token`, so a fresher token written meanwhile survives. */
  drop(key: string, token: string): Promise<void>;
  /** Takes the refresh lease for `leaseMs` unless another holder's lease is still running. */
  claimRefresh(key: string, leaseMs: number): Promise<boolean>;
  releaseRefresh(key: string): Promise<void>;
}
