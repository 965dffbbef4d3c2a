import type {Sealer} from '../sealed-columns.ts';
import type {TokenCacheStore} from '../token-cache-store.ts';
import type {SqliteDatabase} from './sqlite-database.ts';

/** Creates the SQLite TokenCacheStore; tokens are sealed at rest like every secret. */
export function createSqliteTokenCacheStore(db: SqliteDatabase, sealer: Sealer, now = Date.now): TokenCacheStore {
  const select = db.prepare<[string], {token_sealed: string | null; expires_at: number}>('SELECT token_sealed, expires_at FROM provider_tokens WHERE corp_id = ?');
  const upsert = db.prepare(`INSERT INTO provider_tokens (corp_id, token_sealed, expires_at) VALUES (?, ?, ?)
    ON CONFLICT (corp_id) DO UPDATE SET token_sealed = excluded.token_sealed, expires_at = excluded.expires_at`);
  const clear = db.prepare('UPDATE provider_tokens SET token_sealed = NULL, expires_at = 0 WHERE corp_id = ?');
  const ensureRow = db.prepare('INSERT OR IGNORE INTO provider_tokens (corp_id) VALUES (?)');
  const claim = db.prepare('UPDATE provider_tokens SET refresh_lease_until = ? WHERE corp_id = ? AND refresh_lease_until < ?');
  const release = db.prepare('UPDATE provider_tokens SET refresh_lease_until = 0 WHERE corp_id = ?');
  return {
    async read(corpId) {
      const row = select.get(corpId);
      if (!row?.token_sealed) return null;
      return {token: sealer.providerToken.open(corpId, row.token_sealed), expiresAt: row.expires_at};
    },
    async write(corpId, value) {
      upsert.run(corpId, sealer.providerToken.seal(corpId, value.token), value.expiresAt);
    },
    async drop(corpId, token) {
      const current = await this.read(corpId);
      if (current?.token === token) clear.run(corpId);
    },
    async claimRefresh(corpId, leaseMs) {
      const time = now();
      ensureRow.run(corpId);
      return claim.run(time + leaseMs, corpId, time).changes === 1;
    },
    async releaseRefresh(corpId) {
      release.run(corpId);
    },
  };
}
