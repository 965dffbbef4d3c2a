import type {SecretBox} from '../crypto/secret-box.ts';
import type {SqliteDatabase} from './database.ts';

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

/** The context a cached provider token is sealed under (its cache key: CorpID and secret hash). */
export const providerTokenSealContext = (key: string) => `provider_token:${key}`;

/** Creates the SQLite TokenCacheStore; tokens are sealed at rest like every secret. */
export function createTokenCacheStore(db: SqliteDatabase, box: SecretBox, now = Date.now): TokenCacheStore {
  const context = providerTokenSealContext;
  const select = db.prepare<[string], {token_sealed: string | null; expires_at: number}>('SELECT token_sealed, expires_at FROM provider_tokens WHERE corp_id = ?');
  const ensureRow = db.prepare('INSERT OR IGNORE INTO provider_tokens (corp_id) VALUES (?)');
  const claim = db.prepare('UPDATE provider_tokens SET refresh_lease_until = ? WHERE corp_id = ? AND refresh_lease_until < ?');
  return {
    async read(corpId) {
      const row = select.get(corpId);
      if (!row?.token_sealed) return null;
      return {token: box.open(row.token_sealed, context(corpId)), expiresAt: row.expires_at};
    },
    async write(corpId, value) {
      db.prepare(`INSERT INTO provider_tokens (corp_id, token_sealed, expires_at) VALUES (?, ?, ?)
        ON CONFLICT (corp_id) DO UPDATE SET token_sealed = excluded.token_sealed, expires_at = excluded.expires_at`)
        .run(corpId, box.seal(value.token, context(corpId)), value.expiresAt);
    },
    async drop(corpId, token) {
      const current = await this.read(corpId);
      if (current?.token === token) db.prepare('UPDATE provider_tokens SET token_sealed = NULL, expires_at = 0 WHERE corp_id = ?').run(corpId);
    },
    async claimRefresh(corpId, leaseMs) {
      const time = now();
      ensureRow.run(corpId);
      return claim.run(time + leaseMs, corpId, time).changes === 1;
    },
    async releaseRefresh(corpId) {
      db.prepare('UPDATE provider_tokens SET refresh_lease_until = 0 WHERE corp_id = ?').run(corpId);
    },
  };
}
