import type {Sealer} from '../sealed-columns.ts';
import type {AccessTokenStore} from '../access-token-store.ts';
import type {SqliteDatabase} from './sqlite-database.ts';

/** Creates the SQLite AccessTokenStore; tokens are sealed at rest like every secret. */
export function createSqliteAccessTokenStore(db: SqliteDatabase, sealer: Sealer, now = Date.now): AccessTokenStore {
  const select = db.prepare<[string], {token_sealed: string | null; expires_at: number}>(
    'SELECT token_sealed, expires_at FROM access_tokens WHERE token_key = ?',
  );
  const upsert = db.prepare(`INSERT INTO access_tokens (token_key, token_sealed, expires_at) VALUES (?, ?, ?)
    ON CONFLICT (token_key) DO UPDATE SET token_sealed = excluded.token_sealed, expires_at = excluded.expires_at`);
  const clear = db.prepare('UPDATE access_tokens SET token_sealed = NULL, expires_at = 0 WHERE token_key = ?');
  const ensureRow = db.prepare('INSERT OR IGNORE INTO access_tokens (token_key) VALUES (?)');
  const claim = db.prepare(
    'UPDATE access_tokens SET refresh_lease_until = ? WHERE token_key = ? AND refresh_lease_until < ?',
  );
  const release = db.prepare('UPDATE access_tokens SET refresh_lease_until = 0 WHERE token_key = ?');
  return {
    async read(key) {
      const row = select.get(key);
      if (!row?.token_sealed) return null;
      return {token: sealer.accessToken.open(key, row.token_sealed), expiresAt: row.expires_at};
    },
    async write(key, value) {
      upsert.run(key, sealer.accessToken.seal(key, value.token), value.expiresAt);
    },
    async drop(key, token) {
      const current = await this.read(key);
      if (current?.token === token) clear.run(key);
    },
    async claimRefresh(key, leaseMs) {
      const time = now();
      ensureRow.run(key);
      return claim.run(time + leaseMs, key, time).changes === 1;
    },
    async releaseRefresh(key) {
      release.run(key);
    },
  };
}
