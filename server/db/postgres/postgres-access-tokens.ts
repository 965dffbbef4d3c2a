import type pg from 'pg';
import type {Sealer} from '../sealed-columns.ts';
import type {AccessTokenStore} from '../access-token-store.ts';

/** Creates the PostgreSQL AccessTokenStore; tokens are sealed at rest like every secret. */
export function createPostgresAccessTokenStore(pool: pg.Pool, sealer: Sealer, now = Date.now): AccessTokenStore {
  return {
    async read(key) {
      const {rows} = await pool.query<{token_sealed: string | null; expires_at: number}>({
        name: 'token-read',
        text: 'SELECT token_sealed, expires_at FROM access_tokens WHERE token_key = $1',
        values: [key],
      });
      const row = rows[0];
      if (!row?.token_sealed) return null;
      return {token: sealer.accessToken.open(key, row.token_sealed), expiresAt: row.expires_at};
    },
    async write(key, value) {
      await pool.query(
        `INSERT INTO access_tokens (token_key, token_sealed, expires_at) VALUES ($1, $2, $3)
        ON CONFLICT (token_key) DO UPDATE SET token_sealed = EXCLUDED.token_sealed, expires_at = EXCLUDED.expires_at`,
        [key, sealer.accessToken.seal(key, value.token), value.expiresAt],
      );
    },
    async drop(key, token) {
      const current = await this.read(key);
      if (current?.token === token)
        await pool.query('UPDATE access_tokens SET token_sealed = NULL, expires_at = 0 WHERE token_key = $1', [key]);
    },
    async claimRefresh(key, leaseMs) {
      const time = now();
      // One autocommitted statement holds no connection through the WeCom fetch. A second claimer
      // waits on the row lock, then re-checks the WHERE against the new row and gets no row.
      const {rowCount} = await pool.query({
        name: 'token-claim',
        text: `INSERT INTO access_tokens AS p (token_key, refresh_lease_until) VALUES ($1, $2)
          ON CONFLICT (token_key) DO UPDATE SET refresh_lease_until = EXCLUDED.refresh_lease_until WHERE
            p.refresh_lease_until < $3
          RETURNING token_key`,
        values: [key, time + leaseMs, time],
      });
      return rowCount === 1;
    },
    async releaseRefresh(key) {
      await pool.query('UPDATE access_tokens SET refresh_lease_until = 0 WHERE token_key = $1', [key]);
    },
  };
}
