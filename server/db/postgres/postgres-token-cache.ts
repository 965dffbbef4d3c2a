import type pg from 'pg';
import type {Sealer} from '../sealed-columns.ts';
import type {TokenCacheStore} from '../token-cache-store.ts';

/** Creates the PostgreSQL TokenCacheStore; tokens are sealed at rest like every secret. */
export function createPostgresTokenCacheStore(pool: pg.Pool, sealer: Sealer, now = Date.now): TokenCacheStore {
  return {
    async read(corpId) {
      const {rows} = await pool.query<{token_sealed: string | null; expires_at: number}>({name: 'token-read', text: 'SELECT token_sealed, expires_at FROM provider_tokens WHERE corp_id = $1', values: [corpId]});
      const row = rows[0];
      if (!row?.token_sealed) return null;
      return {token: sealer.providerToken.open(corpId, row.token_sealed), expiresAt: row.expires_at};
    },
    async write(corpId, value) {
      await pool.query(`INSERT INTO provider_tokens (corp_id, token_sealed, expires_at) VALUES ($1, $2, $3)
        ON CONFLICT (corp_id) DO UPDATE SET token_sealed = EXCLUDED.token_sealed, expires_at = EXCLUDED.expires_at`,
      [corpId, sealer.providerToken.seal(corpId, value.token), value.expiresAt]);
    },
    async drop(corpId, token) {
      const current = await this.read(corpId);
      if (current?.token === token) await pool.query('UPDATE provider_tokens SET token_sealed = NULL, expires_at = 0 WHERE corp_id = $1', [corpId]);
    },
    async claimRefresh(corpId, leaseMs) {
      const time = now();
      // One autocommitted statement holds no connection through the WeCom fetch. A second claimer
      // waits on the row lock, then re-checks the WHERE against the new row and gets no row.
      const {rowCount} = await pool.query({
        name: 'token-claim',
        text: `INSERT INTO provider_tokens AS p (corp_id, refresh_lease_until) VALUES ($1, $2)
          ON CONFLICT (corp_id) DO UPDATE SET refresh_lease_until = EXCLUDED.refresh_lease_until WHERE p.refresh_lease_until < $3
          RETURNING corp_id`,
        values: [corpId, time + leaseMs, time],
      });
      return rowCount === 1;
    },
    async releaseRefresh(corpId) {
      await pool.query('UPDATE provider_tokens SET refresh_lease_until = 0 WHERE corp_id = $1', [corpId]);
    },
  };
}
